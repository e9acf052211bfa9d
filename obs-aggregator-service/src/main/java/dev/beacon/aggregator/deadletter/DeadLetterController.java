package dev.beacon.aggregator.deadletter;

import dev.beacon.aggregator.web.Params;
import dev.beacon.identity.ForwardedIdentity;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code /api/obs/admin/dlt}: list dead letters and replay them, for platform admins only ({@link
 * PlatformAdmin}). Kafka clients block, so the work runs on the admin scheduler.
 */
@RestController
class DeadLetterController {

  private final DeadLetterService deadLetters;
  private final PlatformAdmin admins;
  private final Scheduler blocking;

  DeadLetterController(
      DeadLetterService deadLetters, PlatformAdmin admins, Scheduler adminScheduler) {
    this.deadLetters = deadLetters;
    this.admins = admins;
    this.blocking = adminScheduler;
  }

  /**
   * The newest dead letters of one topic ({@code topic}: the event topic or its {@code .dlt}) or of
   * all of them, newest first; {@code limit} 1–500, default 50.
   */
  @GetMapping("/api/obs/admin/dlt")
  Mono<DeadLetterPage> list(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam(required = false) String topic,
      @RequestParam(required = false) String limit) {
    admins.require(identity);
    List<String> topics =
        topic == null || topic.isBlank()
            ? List.copyOf(DeadLetterService.deadLetterTopics())
            : List.of(deadLetterTopic(topic));
    int max = Params.integer("limit", limit, 50, 1, 500);
    return Mono.fromCallable(() -> new DeadLetterPage(deadLetters.list(topics, max)))
        .subscribeOn(blocking);
  }

  /**
   * Re-publishes dead letters of one partition to their original topic: either {@code offsets}, or
   * every record from {@code from_offset} (default: the oldest) up to {@code up_to_offset}
   * inclusive; at most 1000 per call.
   */
  @PostMapping("/api/obs/admin/dlt/replay")
  Mono<ReplayResult> replay(
      @AuthenticationPrincipal ForwardedIdentity identity, @RequestBody ReplayRequest request) {
    admins.require(identity);
    if (request.topic() == null || request.topic().isBlank()) {
      throw Params.invalid("topic is required.");
    }
    String topic = deadLetterTopic(request.topic());
    if (request.partition() == null || request.partition() < 0) {
      throw Params.invalid("partition is required and must not be negative.");
    }
    boolean byOffsets = request.offsets() != null;
    boolean byRange = request.upToOffset() != null;
    if (byOffsets == byRange) {
      throw Params.invalid("Give either offsets or up_to_offset.");
    }
    DeadLetterService.ReplaySelection selection;
    if (byOffsets) {
      if (request.offsets().isEmpty()
          || request.offsets().size() > DeadLetterService.MAX_RECORDS
          || request.offsets().stream().anyMatch(offset -> offset == null || offset < 0)) {
        throw Params.invalid(
            "offsets must hold 1 to " + DeadLetterService.MAX_RECORDS + " offsets, none negative.");
      }
      selection = new DeadLetterService.ReplaySelection(List.copyOf(request.offsets()), 0, 0);
    } else {
      long from = request.fromOffset() == null ? 0 : request.fromOffset();
      if (from < 0 || request.upToOffset() < from) {
        throw Params.invalid("from_offset must be from 0 to up_to_offset.");
      }
      selection = new DeadLetterService.ReplaySelection(null, from, request.upToOffset());
    }
    return Mono.fromCallable(
            () -> {
              List<DeadLetterService.Replayed> outcomes =
                  deadLetters.replay(topic, request.partition(), selection);
              long replayed =
                  outcomes.stream().filter(outcome -> outcome.outcome().equals("replayed")).count();
              return new ReplayResult(topic, request.partition(), replayed, outcomes);
            })
        .subscribeOn(blocking);
  }

  private static String deadLetterTopic(String topic) {
    String name = topic.endsWith(".dlt") ? topic : topic + ".dlt";
    if (!DeadLetterService.deadLetterTopics().contains(name)) {
      throw Params.invalid(
          "topic must be one of "
              + String.join(", ", DeadLetterService.deadLetterTopics())
              + " or its event topic.");
    }
    return name;
  }

  /**
   * Dead letters, newest first.
   *
   * @param deadLetters the records
   */
  record DeadLetterPage(List<DeadLetter> deadLetters) {}

  /**
   * The body of a replay.
   *
   * @param topic the dead-letter topic (or its event topic)
   * @param partition the dead-letter partition
   * @param offsets the offsets to replay, or null for a range
   * @param fromOffset first offset of the range (default: the oldest)
   * @param upToOffset last offset of the range, inclusive
   */
  record ReplayRequest(
      String topic, Integer partition, List<Long> offsets, Long fromOffset, Long upToOffset) {}

  /**
   * What a replay did.
   *
   * @param topic the dead-letter topic
   * @param partition the dead-letter partition
   * @param replayed how many records were re-published
   * @param records the outcome per dead letter
   */
  record ReplayResult(
      String topic, int partition, long replayed, List<DeadLetterService.Replayed> records) {}
}

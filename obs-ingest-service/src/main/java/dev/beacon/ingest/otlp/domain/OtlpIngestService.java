package dev.beacon.ingest.otlp.domain;

import dev.beacon.identity.error.ApiException;
import dev.beacon.ingest.apikey.domain.ApiKeyService;
import dev.beacon.ingest.apikey.domain.AuthenticatedKey;
import dev.beacon.ingest.apikey.domain.Rejection;
import dev.beacon.ingest.config.IngestProperties;
import dev.beacon.ingest.events.domain.BatchIngestService;
import dev.beacon.ingest.events.domain.BatchOutcome;
import dev.beacon.ingest.events.domain.EventResult;
import dev.beacon.ingest.events.domain.IngestResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ingests one OTLP trace export: decode, map each span to events, then hand the events to the JSON
 * intake's {@link BatchIngestService} — the same validation, workspace stamping, per-key rejection
 * history and only-after-Kafka-acknowledged publishing. A span counts as rejected when any of its
 * events is.
 */
@Service
public class OtlpIngestService {

  private static final int MAX_REPORTED_REJECTIONS = 5;

  private final BatchIngestService batches;
  private final ApiKeyService keys;
  private final Clock clock;
  private final ObjectMapper json = JsonMapper.builder().build();
  private final JsonSpanDecoder jsonDecoder;
  private final SpanMapper mapper;
  private final int maxEventsPerBatch;
  private final Counter spansAccepted;
  private final Counter spansRejected;

  OtlpIngestService(
      BatchIngestService batches,
      ApiKeyService keys,
      IngestProperties properties,
      Clock clock,
      MeterRegistry meters) {
    IngestProperties.Limits limits = properties.limits();
    this.batches = batches;
    this.keys = keys;
    this.clock = clock;
    this.maxEventsPerBatch = limits.maxEventsPerBatch();
    this.jsonDecoder =
        new JsonSpanDecoder(
            limits.maxNestingDepth(),
            limits.maxNumberLength(),
            (int) limits.maxDecompressedBody().toBytes(),
            maxEventsPerBatch);
    this.mapper = new SpanMapper(json, limits.maxMetadataSize().toBytes());
    this.spansAccepted =
        Counter.builder("beacon.ingest.otlp.spans")
            .description("Spans of OTLP exports, accepted or rejected")
            .tag("outcome", "accepted")
            .register(meters);
    this.spansRejected =
        Counter.builder("beacon.ingest.otlp.spans").tag("outcome", "rejected").register(meters);
  }

  /**
   * Ingests a decompressed export body for a key. CPU-bound: call it off the event loop.
   *
   * @throws dev.beacon.ingest.events.domain.ApiException when the whole request is refused
   * @throws dev.beacon.ingest.events.kafka.KafkaUnavailableException when Kafka did not acknowledge
   */
  public Mono<OtlpOutcome> ingest(byte[] body, OtlpFormat format, AuthenticatedKey key) {
    return Mono.fromCallable(() -> prepare(body, format, key))
        .flatMap(prepared -> publish(prepared, key).map(rejected -> conclude(prepared, rejected)));
  }

  /** A mapped event and the span it came from. */
  private record SpanEvent(int spanIndex, ObjectNode event) {}

  /**
   * @param quotaExceeded the last batch answered 429 {@code monthly_quota_exceeded}, if any
   */
  private record Prepared(
      int spans,
      List<SpanEvent> events,
      boolean[] rejected,
      List<String> messages,
      AtomicReference<BatchOutcome> quotaExceeded) {}

  private Prepared prepare(byte[] body, OtlpFormat format, AuthenticatedKey key) {
    List<OtlpSpan> spans =
        format == OtlpFormat.PROTOBUF
            ? ProtobufSpanDecoder.decode(body, maxEventsPerBatch)
            : jsonDecoder.decode(body);
    boolean[] rejected = new boolean[spans.size()];
    List<String> messages = new ArrayList<>();
    List<SpanEvent> events = new ArrayList<>();
    List<Rejection> rejections = new ArrayList<>();
    Instant now = clock.instant();
    for (int i = 0; i < spans.size(); i++) {
      SpanMapper.Mapped mapped = mapper.map(spans.get(i));
      if (mapped.rejectionCode() != null) {
        rejected[i] = true;
        String message = "span " + i + ": " + mapped.rejectionMessage();
        messages.add(mapped.rejectionCode() + ": " + message);
        rejections.add(new Rejection(now, i, null, mapped.rejectionCode(), message));
        continue;
      }
      for (ObjectNode event : mapped.events()) {
        events.add(new SpanEvent(i, event));
      }
    }
    keys.recordRejections(key.id(), rejections);
    return new Prepared(spans.size(), events, rejected, messages, new AtomicReference<>());
  }

  /** Sends the events in batches of at most {@code max-events-per-batch}, one after the other. */
  private Mono<boolean[]> publish(Prepared prepared, AuthenticatedKey key) {
    List<List<SpanEvent>> chunks = new ArrayList<>();
    for (int from = 0; from < prepared.events().size(); from += maxEventsPerBatch) {
      chunks.add(
          prepared
              .events()
              .subList(from, Math.min(prepared.events().size(), from + maxEventsPerBatch)));
    }
    return Flux.fromIterable(chunks)
        .concatMap(
            chunk ->
                batches
                    .ingest(batchBody(chunk), key)
                    .doOnNext(
                        outcome -> {
                          if (outcome.status() == 429) {
                            prepared.quotaExceeded().set(outcome);
                          }
                          markRejected(outcome, chunk, prepared);
                        }))
        .then(Mono.fromSupplier(prepared::rejected));
  }

  private byte[] batchBody(List<SpanEvent> chunk) {
    ObjectNode body = json.createObjectNode();
    ArrayNode batch = body.putArray("batch");
    chunk.forEach(spanEvent -> batch.add(spanEvent.event()));
    return json.writeValueAsBytes(body);
  }

  private static void markRejected(BatchOutcome outcome, List<SpanEvent> chunk, Prepared prepared) {
    if (outcome.body().results() == null) {
      return;
    }
    for (EventResult result : outcome.body().results()) {
      if (result.isAccepted() || result.index() < 0 || result.index() >= chunk.size()) {
        continue;
      }
      SpanEvent rejected = chunk.get(result.index());
      prepared.rejected()[rejected.spanIndex()] = true;
      prepared
          .messages()
          .add(
              result.code()
                  + ": span "
                  + rejected.spanIndex()
                  + " ("
                  + rejected.event().path("type").asString()
                  + "): "
                  + result.message());
    }
  }

  private OtlpOutcome conclude(Prepared prepared, boolean[] rejected) {
    int count = 0;
    for (boolean spanRejected : rejected) {
      if (spanRejected) {
        count++;
      }
    }
    spansAccepted.increment(prepared.spans() - count);
    spansRejected.increment(count);
    if (count == prepared.spans() && prepared.quotaExceeded().get() != null) {
      throw quotaExceeded(prepared.quotaExceeded().get());
    }
    if (count == 0) {
      return new OtlpOutcome(prepared.spans(), 0, null);
    }
    List<String> messages = prepared.messages();
    String summary =
        String.join("; ", messages.subList(0, Math.min(MAX_REPORTED_REJECTIONS, messages.size())));
    if (messages.size() > MAX_REPORTED_REJECTIONS) {
      summary += "; and " + (messages.size() - MAX_REPORTED_REJECTIONS) + " more";
    }
    return new OtlpOutcome(prepared.spans(), count, truncate(summary, 2000));
  }

  /**
   * No span accepted because the monthly quota is used up: an OTLP error (429, {@code
   * RESOURCE_EXHAUSTED}) rather than a partial success, so that the exporter reports it; its {@code
   * ErrorInfo} carries the plan, the limit and when the quota resets.
   */
  private static ApiException quotaExceeded(BatchOutcome outcome) {
    IngestResponse body = outcome.body();
    return new ApiException(HttpStatus.TOO_MANY_REQUESTS, body.code(), body.message())
        .with("limit", body.limit())
        .with("plan", body.plan())
        .with("resets_at", body.resetsAt())
        .retryAfter(outcome.retryAfter());
  }

  private static String truncate(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max) + "…";
  }
}

package dev.beacon.ingest.events.domain;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import dev.beacon.identity.error.ApiException;
import dev.beacon.ingest.apikey.domain.ApiKeyService;
import dev.beacon.ingest.apikey.domain.AuthenticatedKey;
import dev.beacon.ingest.apikey.domain.Rejection;
import dev.beacon.ingest.config.IngestProperties;
import dev.beacon.ingest.events.kafka.EventPublisher;
import dev.beacon.ingest.events.kafka.OutgoingRecord;
import dev.beacon.ingest.usage.domain.MonthlyQuota;
import dev.beacon.ingest.usage.domain.QuotaGrant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a decompressed body into per-event results: parse, validate each event, stamp the key's
 * workspace over whatever the client sent (and, for a key bound to an agent, that agent where the
 * event names none, rejecting events that name another), reserve the valid events from the
 * workspace's monthly quota, send each distinct {@code event_id} once, and answer only after Kafka
 * acknowledged every accepted event. Both intake paths, JSON and OTLP, come through here.
 *
 * <p>The quota (ADR 0024) is asked once per batch, for the distinct valid events only; in batch
 * order the first ones granted are accepted and the rest rejected with {@code
 * monthly_quota_exceeded}. A batch Kafka did not acknowledge gives its grant back.
 */
@Service
public class BatchIngestService {

  /** {@code Retry-After} when the quota could not be checked (PostgreSQL unreachable). */
  private static final Duration QUOTA_RETRY_AFTER = Duration.ofSeconds(5);

  private final BatchParser parser;
  private final EventValidator validator;
  private final ObjectMapper json;
  private final EventPublisher publisher;
  private final IngestMetrics metrics;
  private final ApiKeyService keys;
  private final MonthlyQuota quota;
  private final Clock clock;

  BatchIngestService(
      IngestProperties properties,
      Clock clock,
      EventPublisher publisher,
      IngestMetrics metrics,
      ApiKeyService keys,
      MonthlyQuota quota) {
    IngestProperties.Limits limits = properties.limits();
    this.json = boundedJson(limits);
    this.parser = new BatchParser(json, limits);
    this.validator = new EventValidator(loadSchema(), json, limits, clock);
    this.publisher = publisher;
    this.metrics = metrics;
    this.keys = keys;
    this.quota = quota;
    this.clock = clock;
  }

  /**
   * Ingests one batch for a key. CPU-bound (parsing, validation): call it off the event loop.
   *
   * @throws ApiException when the whole request is refused
   */
  public Mono<BatchOutcome> ingest(byte[] body, AuthenticatedKey key) {
    return Mono.fromCallable(() -> prepare(body, key))
        .flatMap(
            prepared ->
                reserve(key, prepared)
                    .flatMap(
                        grant -> {
                          Admitted admitted = admit(prepared, grant);
                          return publisher
                              .publish(admitted.records())
                              .onErrorResume(
                                  error -> {
                                    metrics.rejected("kafka_unavailable", admitted.acceptedCount());
                                    return quota.release(grant).then(Mono.error(error));
                                  })
                              .then(Mono.fromCallable(() -> conclude(admitted, grant, key)));
                        }));
  }

  private Mono<QuotaGrant> reserve(AuthenticatedKey key, Prepared prepared) {
    return quota
        .reserve(key.workspaceId(), prepared.distinctCount())
        .onErrorMap(
            error -> !(error instanceof ApiException),
            error ->
                new ApiException(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "quota_unavailable",
                        "The monthly event quota could not be checked; retry the same batch"
                            + " later.")
                    .retryAfter(QUOTA_RETRY_AFTER));
  }

  /**
   * A valid event, in batch order, waiting for the quota.
   *
   * @param position its place in the results
   * @param record what to send; {@code null} for a repeat of an earlier {@code event_id}
   */
  private record Candidate(
      int position, int index, String eventId, UUID dedupeKey, OutgoingRecord record) {}

  /** A batch checked and ready for the quota. */
  private record Prepared(List<EventResult> results, List<Candidate> candidates) {

    /** Valid events with an {@code event_id} not seen earlier in the batch: what Kafka gets. */
    int distinctCount() {
      int count = 0;
      for (Candidate candidate : candidates) {
        if (candidate.record() != null) {
          count++;
        }
      }
      return count;
    }
  }

  /** A batch after the quota: its results and what to send. */
  private record Admitted(
      List<EventResult> results, List<OutgoingRecord> records, int acceptedCount) {}

  /**
   * The first {@code granted} distinct events in batch order are accepted (a repeat of an accepted
   * {@code event_id} with them, at no cost); the rest are rejected with {@code
   * monthly_quota_exceeded}.
   */
  private static Admitted admit(Prepared prepared, QuotaGrant grant) {
    List<EventResult> results = prepared.results();
    List<OutgoingRecord> records = new ArrayList<>(prepared.candidates().size());
    Set<UUID> admitted = new HashSet<>();
    int accepted = 0;
    String message = null;
    for (Candidate candidate : prepared.candidates()) {
      boolean accept =
          candidate.record() == null
              ? admitted.contains(candidate.dedupeKey())
              : records.size() < grant.granted();
      if (accept) {
        if (candidate.record() != null) {
          records.add(candidate.record());
          admitted.add(candidate.dedupeKey());
        }
        accepted++;
        continue;
      }
      if (message == null) {
        message = "Over the monthly event quota: " + grant.describe();
      }
      results.set(
          candidate.position(),
          EventResult.rejected(
              candidate.index(), candidate.eventId(), "monthly_quota_exceeded", message));
    }
    return new Admitted(results, records, accepted);
  }

  private Prepared prepare(byte[] body, AuthenticatedKey key) {
    String workspaceId = key.workspaceId();
    String boundAgent = key.agentId();
    List<RawEvent> events = parser.parse(body);
    metrics.batch(events.size());
    List<EventResult> results = new ArrayList<>(events.size());
    List<Candidate> candidates = new ArrayList<>(events.size());
    Set<UUID> seen = new HashSet<>();
    byte[] workspaceField = stampedFields(workspaceId, null);
    byte[] workspaceAndAgentFields =
        boundAgent == null ? null : stampedFields(workspaceId, boundAgent);
    for (RawEvent raw : events) {
      EventValidator.Checked checked = validator.check(raw);
      if (checked.rejection() != null) {
        results.add(checked.rejection());
        continue;
      }
      EventValidator.ValidEvent event = checked.valid();
      String agentId = event.agentId();
      boolean stampAgent = false;
      if (boundAgent != null) {
        String named = agentIdAsSent(event);
        if (named != null && !named.equals(boundAgent)) {
          results.add(agentMismatch(event, named, boundAgent));
          continue;
        }
        stampAgent = named == null;
        agentId = boundAgent;
      }
      OutgoingRecord record = null;
      if (seen.add(event.dedupeKey())) {
        record =
            new OutgoingRecord(
                Topics.forType(event.type()).name(),
                Topics.eventKey(workspaceId, agentId),
                stamped(
                    body,
                    raw,
                    event,
                    workspaceId,
                    stampAgent ? boundAgent : null,
                    stampAgent ? workspaceAndAgentFields : workspaceField));
      }
      candidates.add(
          new Candidate(results.size(), event.index(), event.eventId(), event.dedupeKey(), record));
      results.add(EventResult.accepted(event.index(), event.eventId()));
    }
    return new Prepared(results, candidates);
  }

  /** The event's own {@code agent_id}, whole (validation bounded it), or {@code null}. */
  private static String agentIdAsSent(EventValidator.ValidEvent event) {
    JsonNode agentId = event.node().get("agent_id");
    return agentId == null ? null : agentId.stringValue();
  }

  /**
   * A key bound to an agent speaks for that agent only: an event naming another one is refused on
   * its own rather than rewritten, so that a leaked key cannot write as other agents and a
   * misconfigured agent is told instead of being silently relabelled.
   */
  private static EventResult agentMismatch(
      EventValidator.ValidEvent event, String named, String boundAgent) {
    return EventResult.rejected(
        event.index(),
        event.eventId(),
        "agent_id_mismatch",
        "agent_id \""
            + named
            + "\" is not the agent this API key speaks for (\""
            + boundAgent
            + "\"); leave agent_id out or send \""
            + boundAgent
            + "\".");
  }

  /**
   * The event as Kafka will hold it: the client's bytes with the key's workspace (and, when {@code
   * agentId} is given, the key's agent) as the first fields. Splicing {@code "workspace_id":"…",}
   * after the opening brace keeps the event exactly as sent and avoids serialising every event
   * again; an event that carries its own {@code workspace_id} (ignored, by contract) is
   * re-serialised with the key's workspace instead, since a JSON object must not hold the name
   * twice.
   *
   * @param agentId the key's agent, for an event that names none; {@code null} to add no agent
   * @param fields the fields to splice in, from {@link #stampedFields}
   */
  private byte[] stamped(
      byte[] body,
      RawEvent raw,
      EventValidator.ValidEvent event,
      String workspaceId,
      String agentId,
      byte[] fields) {
    int start = raw.offset();
    int end = start + (int) raw.sizeBytes();
    boolean spliceable =
        !event.node().has("workspace_id")
            && !event.node().isEmpty()
            && body[start] == '{'
            && body[end - 1] == '}';
    if (!spliceable) {
      event.node().put("workspace_id", workspaceId);
      if (agentId != null) {
        event.node().put("agent_id", agentId);
      }
      return json.writeValueAsBytes(event.node());
    }
    byte[] value = new byte[fields.length + (end - start - 1)];
    System.arraycopy(fields, 0, value, 0, fields.length);
    System.arraycopy(body, start + 1, value, fields.length, end - start - 1);
    return value;
  }

  /**
   * {@code {"workspace_id":"<id>",} (then {@code "agent_id":"<agent>",} when {@code agentId} is
   * given) as UTF-8, with the values JSON-escaped.
   */
  private byte[] stampedFields(String workspaceId, String agentId) {
    StringBuilder fields =
        new StringBuilder("{\"workspace_id\":").append(json.writeValueAsString(workspaceId));
    if (agentId != null) {
      fields.append(",\"agent_id\":").append(json.writeValueAsString(agentId));
    }
    return fields.append(',').toString().getBytes(StandardCharsets.UTF_8);
  }

  private BatchOutcome conclude(Admitted prepared, QuotaGrant grant, AuthenticatedKey key) {
    int accepted = prepared.acceptedCount();
    int rejected = prepared.results().size() - accepted;
    metrics.accepted(accepted);
    List<Rejection> rejections = new ArrayList<>(rejected);
    Instant now = clock.instant();
    for (EventResult result : prepared.results()) {
      if (!result.isAccepted()) {
        metrics.rejected(result.code(), 1);
        rejections.add(
            new Rejection(now, result.index(), result.eventId(), result.code(), result.message()));
      }
    }
    keys.recordRejections(key.id(), rejections);
    if (rejected == 0) {
      return new BatchOutcome(200, new IngestResponse(null, null, accepted, 0, List.of()));
    }
    if (accepted > 0) {
      return new BatchOutcome(
          207, new IngestResponse(null, null, accepted, rejected, prepared.results()));
    }
    if (grant.exceeded()) {
      return quotaExceeded(prepared, grant, now);
    }
    List<String> codes = rejections.stream().map(Rejection::code).distinct().toList();
    String code = codes.size() == 1 ? codes.get(0) : "all_events_rejected";
    int status = code.equals("event_too_large") ? 413 : 400;
    return new BatchOutcome(
        status,
        new IngestResponse(
            code,
            "No event of the batch was accepted; see results.",
            0,
            rejected,
            prepared.results()));
  }

  /**
   * Nothing accepted because the quota is used up: 429 with the plan, its limit and when it resets,
   * and the per-event results (events that were invalid as well keep their own code).
   */
  private static BatchOutcome quotaExceeded(Admitted prepared, QuotaGrant grant, Instant now) {
    return new BatchOutcome(
        429,
        new IngestResponse(
            "monthly_quota_exceeded",
            "Nothing was accepted: "
                + grant.describe()
                + " Upgrade the plan to send more this month.",
            grant.limit(),
            grant.plan(),
            grant.resetsAt().toString(),
            0,
            prepared.results().size(),
            prepared.results()),
        Duration.ofSeconds(grant.secondsUntilReset(now)));
  }

  /** The JSON Schema that events are validated against, served at {@code /api/obs/v1/schema}. */
  public static byte[] schemaBytes() {
    try (InputStream in = ObsEvent.class.getResourceAsStream(ObsEvent.SCHEMA_RESOURCE)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Schema loadSchema() {
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder ->
                builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    try (InputStream in = ObsEvent.class.getResourceAsStream(ObsEvent.SCHEMA_RESOURCE)) {
      return registry.getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectMapper boundedJson(IngestProperties.Limits limits) {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxNestingDepth())
                    .maxStringLength(limits.maxStringLength())
                    .maxNumberLength(limits.maxNumberLength())
                    .maxNameLength(limits.maxStringLength())
                    .build())
            .build();
    // the batch parser reads events one by one from a shared parser and checks the end itself;
    // duplicate names are found while building the trees (see BatchParser)
    return JsonMapper.builder(factory)
        .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .build();
  }
}

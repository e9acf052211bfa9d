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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
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
 * event names none, rejecting events that name another), send each distinct {@code event_id} once,
 * and answer only after Kafka acknowledged every accepted event. Both intake paths, JSON and OTLP,
 * come through here.
 */
@Service
public class BatchIngestService {

  private final BatchParser parser;
  private final EventValidator validator;
  private final ObjectMapper json;
  private final EventPublisher publisher;
  private final IngestMetrics metrics;
  private final ApiKeyService keys;
  private final Clock clock;

  BatchIngestService(
      IngestProperties properties,
      Clock clock,
      EventPublisher publisher,
      IngestMetrics metrics,
      ApiKeyService keys) {
    IngestProperties.Limits limits = properties.limits();
    this.json = boundedJson(limits);
    this.parser = new BatchParser(json, limits);
    this.validator = new EventValidator(loadSchema(), json, limits, clock);
    this.publisher = publisher;
    this.metrics = metrics;
    this.keys = keys;
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
                publisher
                    .publish(prepared.records())
                    .doOnError(
                        error -> metrics.rejected("kafka_unavailable", prepared.acceptedCount()))
                    .then(Mono.fromCallable(() -> conclude(prepared, key))));
  }

  /** A batch checked and ready to send. */
  private record Prepared(
      List<EventResult> results, List<OutgoingRecord> records, int acceptedCount) {}

  private Prepared prepare(byte[] body, AuthenticatedKey key) {
    String workspaceId = key.workspaceId();
    String boundAgent = key.agentId();
    List<RawEvent> events = parser.parse(body);
    metrics.batch(events.size());
    List<EventResult> results = new ArrayList<>(events.size());
    List<OutgoingRecord> records = new ArrayList<>(events.size());
    Set<UUID> sent = new HashSet<>();
    byte[] workspaceField = stampedFields(workspaceId, null);
    byte[] workspaceAndAgentFields =
        boundAgent == null ? null : stampedFields(workspaceId, boundAgent);
    int accepted = 0;
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
      accepted++;
      results.add(EventResult.accepted(event.index(), event.eventId()));
      if (sent.add(event.dedupeKey())) {
        records.add(
            new OutgoingRecord(
                Topics.forType(event.type()).name(),
                Topics.eventKey(workspaceId, agentId),
                stamped(
                    body,
                    raw,
                    event,
                    workspaceId,
                    stampAgent ? boundAgent : null,
                    stampAgent ? workspaceAndAgentFields : workspaceField)));
      }
    }
    return new Prepared(results, records, accepted);
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

  private BatchOutcome conclude(Prepared prepared, AuthenticatedKey key) {
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

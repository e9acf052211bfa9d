package dev.beacon.sdk;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where a {@link BeaconClient} sends its events: the ingest HTTP API (for external agents, with an
 * API key) or Kafka directly (for Beacon's own services, which know their workspace).
 */
public final class Transport {

  private final String description;
  private final SenderFactory factory;

  private Transport(String description, SenderFactory factory) {
    this.description = description;
    this.factory = factory;
  }

  /**
   * The ingest API at {@code baseUri} ({@code POST <baseUri>/api/obs/v1/events}), gzip-compressed,
   * with a 10 second request timeout.
   *
   * @param baseUri e.g. {@code https://beacon.example.com} or {@code http://localhost:8084}
   * @param apiKey the API key, sent as {@code Authorization: Bearer <key>}
   * @return the transport
   */
  public static Transport http(URI baseUri, String apiKey) {
    // longer than ingest's 10 s bound on Kafka acknowledgements, so its 503 arrives before a
    // timeout
    return http(baseUri, apiKey, true, Duration.ofSeconds(15));
  }

  /**
   * The ingest API with explicit options.
   *
   * @param baseUri the ingest base URI
   * @param apiKey the API key
   * @param gzip whether to compress request bodies ({@code Content-Encoding: gzip})
   * @param requestTimeout how long one request may take before it counts as a network error
   * @return the transport
   */
  public static Transport http(URI baseUri, String apiKey, boolean gzip, Duration requestTimeout) {
    Objects.requireNonNull(baseUri, "baseUri");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    return new Transport(
        "http " + baseUri,
        (settings, counters) ->
            new HttpSender(baseUri, apiKey, gzip, requestTimeout, settings, counters));
  }

  /**
   * Kafka, with the SDK's producer defaults ({@code acks=all}, idempotence, lz4, {@code
   * linger.ms=5}, bounded {@code max.block.ms} and {@code delivery.timeout.ms}).
   *
   * @param bootstrapServers the brokers
   * @param workspaceId stamped on every event that has none, required to key the record; may be
   *     {@code null} if every event carries its own
   * @return the transport
   */
  public static Transport kafka(String bootstrapServers, String workspaceId) {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    return kafka(Map.of("bootstrap.servers", bootstrapServers), workspaceId);
  }

  /**
   * Kafka, with producer properties that override the SDK's defaults (serializers are always the
   * SDK's own).
   *
   * @param producerConfig Kafka producer properties, {@code bootstrap.servers} at least
   * @param workspaceId stamped on every event that has none; may be {@code null} if every event
   *     carries its own
   * @return the transport
   */
  public static Transport kafka(Map<String, Object> producerConfig, String workspaceId) {
    Map<String, Object> config = Map.copyOf(producerConfig);
    return new Transport(
        "kafka " + config.get("bootstrap.servers"),
        (settings, counters) -> new KafkaSender(config, workspaceId, settings, counters));
  }

  static Transport of(String description, SenderFactory factory) {
    return new Transport(description, factory);
  }

  Sender createSender(ClientSettings settings, Counters counters) {
    return factory.create(settings, counters);
  }

  @Override
  public String toString() {
    return description;
  }

  @FunctionalInterface
  interface SenderFactory {
    Sender create(ClientSettings settings, Counters counters);
  }
}

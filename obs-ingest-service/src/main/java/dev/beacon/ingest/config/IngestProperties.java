package dev.beacon.ingest.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code beacon.ingest.*}: the documented limits of the intake API, key caching,
 * rate limits, Kafka publishing bounds and headless bootstrap.
 *
 * @param limits request and event size limits
 * @param keyCacheTtl how long a key lookup is cached; bounds how late a revocation or a new agent
 *     binding is noticed by every instance, so it may be at most 5 s
 * @param rateLimit default per-key rate limit
 * @param publish Kafka publishing bounds
 * @param rejections how many recent rejections are kept per key
 * @param init the key provisioned at start from {@code BEACON_INIT_API_KEY}
 */
@Validated
@ConfigurationProperties("beacon.ingest")
public record IngestProperties(
    @Valid @NotNull @DefaultValue Limits limits,
    @NotNull @DefaultValue("4s") Duration keyCacheTtl,
    @Valid @NotNull @DefaultValue RateLimit rateLimit,
    @Valid @NotNull @DefaultValue Publish publish,
    @Valid @NotNull @DefaultValue Rejections rejections,
    @NotNull @DefaultValue Init init) {

  /** Revocation must reach every instance within five seconds. */
  @AssertTrue(message = "beacon.ingest.key-cache-ttl must be between 0 and 5s")
  boolean isKeyCacheTtlWithinRevocationBound() {
    return keyCacheTtl != null
        && !keyCacheTtl.isNegative()
        && keyCacheTtl.compareTo(Duration.ofSeconds(5)) <= 0;
  }

  /**
   * @param maxEventsPerBatch events in one request
   * @param maxCompressedBody body size on the wire when {@code Content-Encoding: gzip}
   * @param maxDecompressedBody body size after decompression, or of an uncompressed body
   * @param maxEventSize one event, as sent
   * @param maxMetadataSize an event's {@code metadata} object, serialised
   * @param maxNestingDepth JSON nesting depth of the whole body
   * @param maxStringLength any JSON string, in characters
   * @param maxNumberLength any JSON number, in characters
   * @param maxFutureSkew how far in the future {@code occurred_at} may lie
   * @param maxAge how old {@code occurred_at} may be (the retention)
   */
  public record Limits(
      @Min(1) @Max(10_000) @DefaultValue("1000") int maxEventsPerBatch,
      @NotNull @DefaultValue("1MB") DataSize maxCompressedBody,
      @NotNull @DefaultValue("5MB") DataSize maxDecompressedBody,
      @NotNull @DefaultValue("64KB") DataSize maxEventSize,
      @NotNull @DefaultValue("16KB") DataSize maxMetadataSize,
      @Min(4) @Max(1000) @DefaultValue("32") int maxNestingDepth,
      @Min(64) @DefaultValue("16384") int maxStringLength,
      @Min(16) @Max(10_000) @DefaultValue("64") int maxNumberLength,
      @NotNull @DefaultValue("5m") Duration maxFutureSkew,
      @NotNull @DefaultValue("30d") Duration maxAge) {}

  /**
   * @param requestsPerSecond requests a key may make per second unless the key sets its own rate
   * @param maxTrackedKeys how many per-key limiters are kept in memory
   */
  public record RateLimit(
      @Min(1) @DefaultValue("1000") int requestsPerSecond,
      @Min(100) @DefaultValue("100000") int maxTrackedKeys) {}

  /**
   * @param timeout hard bound on waiting for Kafka's acknowledgements of one request; past it the
   *     request gets 503
   * @param retryAfter the {@code Retry-After} sent with 503
   * @param senderThreads threads that call the producer's {@code send()}, off the event loop
   * @param maxQueuedBatches batches waiting for a sender thread before the request gets 503
   * @param healthTimeout how long the readiness check waits for the broker
   */
  public record Publish(
      @NotNull @DefaultValue("10s") Duration timeout,
      @NotNull @DefaultValue("5s") Duration retryAfter,
      @Min(1) @Max(64) @DefaultValue("4") int senderThreads,
      @Min(1) @DefaultValue("1000") int maxQueuedBatches,
      @NotNull @DefaultValue("2s") Duration healthTimeout) {}

  /**
   * @param keptPerKey recent rejections kept per key, oldest dropped first
   * @param recordedPerRequest rejections of one request that are recorded
   */
  public record Rejections(
      @Min(1) @Max(10_000) @DefaultValue("100") int keptPerKey,
      @Min(1) @Max(1000) @DefaultValue("20") int recordedPerRequest) {}

  /**
   * @param apiKey the key to provision ({@code BEACON_INIT_API_KEY}); empty for none
   * @param workspace the workspace it belongs to ({@code BEACON_INIT_WORKSPACE}); until the gateway
   *     owns workspaces, its value is used as the workspace id
   */
  public record Init(String apiKey, String workspace) {

    /** Keeps the key out of logs and error reports. */
    @Override
    public String toString() {
      return "Init[apiKey="
          + (apiKey == null || apiKey.isEmpty() ? "<unset>" : "<hidden>")
          + ", workspace="
          + workspace
          + "]";
    }
  }
}

package dev.beacon.ingest.apikey.domain;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.beacon.entitlements.Entitlements;
import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.identity.error.ApiException;
import dev.beacon.ingest.apikey.store.ApiKeyRepository;
import dev.beacon.ingest.apikey.store.ApiKeyRow;
import dev.beacon.ingest.apikey.store.RejectionRow;
import dev.beacon.ingest.config.IngestProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Creates, lists, binds to an agent, revokes and authenticates API keys, and keeps each key's
 * recent rejections.
 *
 * <p>Lookups by secret hash are cached for {@code beacon.ingest.key-cache-ttl} (at most 5 s), so a
 * key revoked or bound to another agent on one instance is seen that way by every instance within
 * that time; the instance that makes the change drops its cache entry at once. Only SHA-256 hashes
 * of secrets are held, in memory and in the database.
 */
@Service
public class ApiKeyService {

  private static final Logger log = LoggerFactory.getLogger(ApiKeyService.class);
  private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
  private static final int MAX_PENDING_WRITES = 8;
  private static final int MAX_MESSAGE_LENGTH = 500;

  private final ApiKeyRepository keys;
  private final WorkspaceEntitlements entitlements;
  private final IngestProperties properties;
  private final Clock clock;
  private final AsyncCache<ByteBuffer, Optional<ApiKeyRow>> lookups;
  private final ConcurrentMap<UUID, Instant> lastTouched = new ConcurrentHashMap<>();
  private final AtomicInteger pendingWrites = new AtomicInteger();
  private final Counter rejectionsNotRecorded;

  ApiKeyService(
      ApiKeyRepository keys,
      IngestProperties properties,
      Clock clock,
      MeterRegistry meters,
      WorkspaceEntitlements entitlements) {
    this.keys = keys;
    this.entitlements = entitlements;
    this.properties = properties;
    this.clock = clock;
    this.lookups =
        Caffeine.newBuilder()
            .expireAfterWrite(properties.keyCacheTtl())
            .maximumSize(100_000)
            .buildAsync();
    this.rejectionsNotRecorded =
        Counter.builder("beacon.ingest.rejections.unrecorded")
            .description("Rejections counted in metrics but not written to the per-key history")
            .register(meters);
  }

  /**
   * Checks a presented key: its shape and checksum first (no lookup for a malformed key), then the
   * cached lookup by hash, expiry and revocation. The hash is compared in constant time.
   */
  public Mono<KeyCheck> authenticate(String presented) {
    if (presented == null || !ApiKeyFormat.isWellFormed(presented)) {
      return Mono.just(new KeyCheck.Invalid());
    }
    byte[] hash = ApiKeyFormat.sha256(presented);
    return Mono.fromFuture(
            lookups.get(
                ByteBuffer.wrap(hash),
                (key, executor) ->
                    keys.findBySecretHash(hash)
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .toFuture()))
        .map(row -> check(row, hash));
  }

  private KeyCheck check(Optional<ApiKeyRow> found, byte[] hash) {
    if (found.isEmpty() || !MessageDigest.isEqual(found.get().secretSha256(), hash)) {
      return new KeyCheck.Invalid();
    }
    ApiKeyRow row = found.get();
    Instant now = clock.instant();
    if (row.revokedAt() != null) {
      return new KeyCheck.Revoked();
    }
    if (row.expiresAt() != null && !now.isBefore(row.expiresAt())) {
      return new KeyCheck.Invalid();
    }
    touch(row.id(), now);
    return new KeyCheck.Valid(
        new AuthenticatedKey(
            row.id(),
            row.workspaceId(),
            scopes(row.scopes()),
            row.rateLimitPerSecond(),
            row.expiresAt(),
            row.agentId()));
  }

  private void touch(UUID id, Instant now) {
    Instant previous = lastTouched.get(id);
    if (previous != null && previous.plus(TOUCH_INTERVAL).isAfter(now)) {
      return;
    }
    lastTouched.put(id, now);
    runInBackground(keys.touch(id, now), "record last use of key " + id);
  }

  /**
   * Creates a key in a workspace, unless the workspace already has as many active keys as its plan
   * allows ({@code api_keys}; revoked and expired keys do not count). The limit gates new keys
   * only: keys over a lowered limit keep working.
   *
   * @param agentId the one agent the key speaks for (a valid {@link AgentIds id}), or {@code null}
   * @return the key including its secret, which is never shown again
   * @throws ApiException {@code 403 plan_limit_reached} at the limit
   */
  public Mono<ApiKeyView> create(
      String workspaceId,
      String createdBy,
      String name,
      Set<ApiKeyScope> scopes,
      Instant expiresAt,
      Integer rateLimitPerSecond,
      String agentId) {
    String secret = ApiKeyFormat.generate();
    ApiKeyRow row =
        new ApiKeyRow(
            UUID.randomUUID(),
            workspaceId,
            name,
            ApiKeyFormat.displayPrefix(secret),
            ApiKeyFormat.sha256(secret),
            scopeValues(scopes),
            rateLimitPerSecond,
            createdBy,
            clock.instant(),
            expiresAt,
            null,
            null,
            agentId);
    Entitlements plan = entitlements.of(workspaceId);
    return keys.insertWithin(row, plan.apiKeys(), row.createdAt())
        .flatMap(
            created -> created ? Mono.just(view(row, secret)) : Mono.error(limitReached(plan)));
  }

  private static ApiException limitReached(Entitlements plan) {
    return ApiException.forbidden(
            "plan_limit_reached",
            "The "
                + plan.plan()
                + " plan allows "
                + plan.apiKeys()
                + " active API keys per workspace; revoke a key or upgrade the plan.")
        .with("limit", plan.apiKeys())
        .with("plan", plan.plan());
  }

  /** The workspace's active keys (neither revoked nor expired), as its plan counts them. */
  public Mono<Long> countActive(String workspaceId) {
    return keys.countActive(workspaceId, clock.instant());
  }

  /**
   * Provisions a known key with the {@code ingest} and {@code read} scopes, idempotently: nothing
   * happens when it already exists. Not gated by the plan's {@code api_keys}: it is the operator's
   * key from the environment, and refusing it would leave a headless install without any key; it
   * counts as an active key like any other.
   *
   * @return whether the key was created now
   */
  public Mono<Boolean> provision(String secret, String workspaceId, String name) {
    if (!ApiKeyFormat.isWellFormed(secret)) {
      return Mono.error(
          new IllegalArgumentException(
              "not a Beacon API key (bcn_ + 32 base62 characters + 6-character checksum)"));
    }
    ApiKeyRow row =
        new ApiKeyRow(
            UUID.nameUUIDFromBytes(ApiKeyFormat.sha256(secret)),
            workspaceId,
            name,
            ApiKeyFormat.displayPrefix(secret),
            ApiKeyFormat.sha256(secret),
            scopeValues(EnumSet.of(ApiKeyScope.INGEST, ApiKeyScope.READ)),
            null,
            null,
            clock.instant(),
            null,
            null,
            null,
            null);
    return keys.insertIfAbsent(row);
  }

  /** A workspace's keys, newest first, without secrets. */
  public Flux<ApiKeyView> list(String workspaceId) {
    return keys.findByWorkspace(workspaceId).map(row -> view(row, null));
  }

  /** A workspace's key by id, without its secret; empty for another workspace's key. */
  public Mono<ApiKeyView> find(String workspaceId, UUID id) {
    return keys.findInWorkspace(workspaceId, id).map(row -> view(row, null));
  }

  /**
   * Binds a workspace's key to one agent, or unbinds it ({@code agentId} {@code null}). Every
   * instance authenticates the key with its new binding within {@code beacon.ingest.key-cache-ttl},
   * this one at once; a revoked key is left as it is.
   *
   * @param agentId a valid {@link AgentIds id}, or {@code null}
   */
  public Mono<KeyUpdate> bindAgent(String workspaceId, UUID id, String agentId) {
    return keys.updateAgentUnlessRevoked(workspaceId, id, agentId)
        .map(
            row -> {
              lookups.synchronous().invalidate(ByteBuffer.wrap(row.secretSha256()));
              return (KeyUpdate) new KeyUpdate.Updated(view(row, null));
            })
        .switchIfEmpty(
            Mono.defer(
                () ->
                    keys.findInWorkspace(workspaceId, id)
                        .map(row -> (KeyUpdate) new KeyUpdate.Revoked())
                        .defaultIfEmpty(new KeyUpdate.NotFound())));
  }

  /**
   * Revokes a workspace's key.
   *
   * @return whether the workspace has such a key
   */
  public Mono<Boolean> revoke(String workspaceId, UUID id) {
    return keys.findInWorkspace(workspaceId, id)
        .flatMap(
            row ->
                keys.revoke(workspaceId, id, clock.instant())
                    .doOnNext(
                        done ->
                            lookups.synchronous().invalidate(ByteBuffer.wrap(row.secretSha256()))))
        .defaultIfEmpty(false);
  }

  /** The most recent rejections of a workspace's key; empty when there is no such key. */
  public Mono<List<Rejection>> recentRejections(String workspaceId, UUID id) {
    return keys.findInWorkspace(workspaceId, id)
        .flatMap(
            row ->
                keys.recentRejections(id, properties.rejections().keptPerKey())
                    .map(
                        r ->
                            new Rejection(
                                r.rejectedAt(), r.eventIndex(), r.eventId(), r.code(), r.message()))
                    .collectList());
  }

  /**
   * Appends rejections to a key's history in the background, keeping the newest {@code
   * beacon.ingest.rejections.kept-per-key}. At most {@code recorded-per-request} of one request are
   * written; under a flood of rejections some are only counted in metrics.
   */
  public void recordRejections(UUID keyId, List<Rejection> rejections) {
    if (rejections.isEmpty()) {
      return;
    }
    int limit = properties.rejections().recordedPerRequest();
    List<Rejection> recorded =
        rejections.size() > limit ? rejections.subList(0, limit) : rejections;
    if (rejections.size() > recorded.size()) {
      rejectionsNotRecorded.increment(rejections.size() - recorded.size());
    }
    Instant now = clock.instant();
    List<RejectionRow> rows =
        recorded.stream()
            .map(
                r ->
                    new RejectionRow(
                        keyId,
                        now,
                        r.index(),
                        truncate(r.eventId(), 128),
                        r.code(),
                        truncate(r.message(), MAX_MESSAGE_LENGTH)))
            .toList();
    if (pendingWrites.incrementAndGet() > MAX_PENDING_WRITES) {
      pendingWrites.decrementAndGet();
      rejectionsNotRecorded.increment(rows.size());
      return;
    }
    keys.appendRejections(keyId, rows, properties.rejections().keptPerKey())
        .doFinally(signal -> pendingWrites.decrementAndGet())
        .subscribe(
            null,
            error ->
                log.warn("Could not record rejections of key {}: {}", keyId, error.toString()));
  }

  private void runInBackground(Mono<Void> work, String what) {
    work.subscribe(null, error -> log.warn("Could not {}: {}", what, error.toString()));
  }

  private static String truncate(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  private static List<String> scopeValues(Set<ApiKeyScope> scopes) {
    return scopes.stream().sorted().map(ApiKeyScope::value).toList();
  }

  private static Set<ApiKeyScope> scopes(List<String> values) {
    EnumSet<ApiKeyScope> scopes = EnumSet.noneOf(ApiKeyScope.class);
    values.forEach(value -> ApiKeyScope.of(value).ifPresent(scopes::add));
    return scopes;
  }

  private static ApiKeyView view(ApiKeyRow row, String secret) {
    return new ApiKeyView(
        row.id(),
        row.name(),
        row.displayPrefix(),
        row.scopes(),
        row.rateLimitPerSecond(),
        row.createdAt(),
        row.expiresAt(),
        row.lastUsedAt(),
        row.revokedAt(),
        row.revokedAt() != null,
        row.agentId(),
        secret);
  }
}

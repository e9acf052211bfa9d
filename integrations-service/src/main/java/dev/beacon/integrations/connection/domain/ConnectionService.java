package dev.beacon.integrations.connection.domain;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.config.IntegrationsProperties;
import dev.beacon.integrations.connection.domain.OAuthStateRepository.PendingAuthorization;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Connecting, listing and disconnecting a workspace's OAuth connections.
 *
 * <p>A connection belongs to its workspace and records the member who made it; every member of the
 * workspace may use and disconnect it (ADR 0020). The flow is driven here rather than by a login
 * session: {@link #authorize} stores a random single-use {@code state} (its SHA-256) with the
 * workspace, member, provider and PKCE verifier; {@link #complete} takes it back, exchanges the
 * code and stores the tokens encrypted.
 */
@Service
public class ConnectionService {

  private static final Logger log = LoggerFactory.getLogger(ConnectionService.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A provider as the providers list shows it. */
  public record ProviderView(ProviderId provider, boolean configured, List<String> scopes) {}

  private final OAuthClient oauth;
  private final TokenCipher cipher;
  private final ConnectionRepository connections;
  private final OAuthStateRepository states;
  private final IntegrationsProperties properties;
  private final Clock clock;

  ConnectionService(
      OAuthClient oauth,
      TokenCipher cipher,
      ConnectionRepository connections,
      OAuthStateRepository states,
      IntegrationsProperties properties,
      Clock clock) {
    this.oauth = oauth;
    this.cipher = cipher;
    this.connections = connections;
    this.states = states;
    this.properties = properties;
    this.clock = clock;
  }

  public List<ProviderView> providers() {
    return List.of(ProviderId.values()).stream()
        .map(p -> new ProviderView(p, oauth.settings(p).configured(), oauth.settings(p).scopes()))
        .toList();
  }

  /** The provider's consent URL for this member; its state is valid once, for the state TTL. */
  public Mono<URI> authorize(ForwardedIdentity caller, ProviderId provider) {
    IntegrationsProperties.Provider settings = oauth.settings(provider);
    if (!settings.configured()) {
      return Mono.error(notConfigured(provider));
    }
    if (!cipher.isConfigured()) {
      return Mono.error(TokenCipher.unconfigured());
    }
    String state = random(32);
    String verifier = random(48);
    URI url = oauth.authorizationUrl(provider, state, verifier);
    Instant now = clock.instant();
    return states
        .deleteCreatedBefore(now.minus(properties.oauth().stateTtl()))
        .then(
            states.save(
                sha256(state),
                new PendingAuthorization(
                    caller.workspaceId(), caller.userId(), provider, verifier, now)))
        .thenReturn(url);
  }

  /**
   * Finishes an authorization: the state must be one {@link #authorize} issued for this provider,
   * not yet used and not older than the TTL. Answers the page the browser returns to.
   */
  /**
   * The Integrations page telling a browser why a callback failed: {@code
   * /integrations?error=<code>&provider=<provider>} (the page explains the code).
   */
  public URI failurePage(String provider, String code) {
    return org.springframework.web.util.UriComponentsBuilder.fromUriString(
            properties.publicUrl() + "/integrations")
        .queryParam("error", code)
        .queryParam("provider", provider)
        .encode()
        .build()
        .toUri();
  }

  public Mono<URI> complete(ProviderId provider, String code, String state, String error) {
    if (state == null || state.isBlank()) {
      return Mono.error(invalidState());
    }
    return states
        .take(sha256(state))
        .switchIfEmpty(Mono.error(invalidState()))
        .flatMap(
            pending -> {
              if (pending.provider() != provider
                  || pending
                      .createdAt()
                      .plus(properties.oauth().stateTtl())
                      .isBefore(clock.instant())) {
                return Mono.error(invalidState());
              }
              if (error != null) {
                return Mono.error(
                    ApiException.badRequest(
                            "authorization_denied",
                            provider.displayName()
                                + " did not authorize the connection ("
                                + error
                                + ").")
                        .with("provider", provider.id()));
              }
              if (code == null || code.isBlank()) {
                return Mono.error(
                    ApiException.badRequest("invalid_request", "The callback has no code."));
              }
              return connect(provider, pending, code);
            })
        .thenReturn(
            URI.create(properties.publicUrl() + "/integrations?connected=" + provider.id()));
  }

  private Mono<Void> connect(ProviderId provider, PendingAuthorization pending, String code) {
    return oauth
        .exchange(provider, code, pending.codeVerifier(), pending.workspaceId())
        .onErrorMap(
            e -> !(e instanceof ApiException),
            e -> {
              log.warn(
                  "{} refused the code exchange: {}",
                  provider.displayName(),
                  e instanceof ProviderRefusedException refused
                      ? refused.error()
                      : e.getClass().getSimpleName());
              return new ApiException(
                      HttpStatus.BAD_GATEWAY,
                      "token_exchange_failed",
                      provider.displayName() + " did not exchange the authorization code.")
                  .with("provider", provider.id());
            })
        .flatMap(
            granted ->
                granted.account() != null
                    ? Mono.just(granted)
                    : oauth
                        .account(provider, granted.accessToken(), pending.workspaceId())
                        .map(
                            account ->
                                new GrantedTokens(
                                    granted.accessToken(),
                                    granted.refreshToken(),
                                    granted.expiresAt(),
                                    granted.scopes(),
                                    account))
                        .onErrorResume(
                            e -> {
                              log.warn(
                                  "{} did not name the connected account: {}",
                                  provider.displayName(),
                                  e.getClass().getSimpleName());
                              return Mono.empty();
                            })
                        .defaultIfEmpty(granted))
        .flatMap(granted -> store(provider, pending, granted));
  }

  private Mono<Void> store(
      ProviderId provider, PendingAuthorization pending, GrantedTokens granted) {
    UUID id = UUID.randomUUID();
    String workspace = pending.workspaceId();
    Connection connection =
        new Connection(
            id,
            workspace,
            provider,
            granted.account(),
            granted.scopes() != null ? granted.scopes() : oauth.settings(provider).scopes(),
            pending.userId(),
            clock.instant(),
            null,
            ConnectionStatus.OK,
            null,
            null);
    byte[] access =
        cipher.encrypt(id, workspace, provider, TokenCipher.Kind.ACCESS, granted.accessToken());
    byte[] refresh =
        granted.refreshToken() == null
            ? null
            : cipher.encrypt(
                id, workspace, provider, TokenCipher.Kind.REFRESH, granted.refreshToken());
    log.info(
        "workspace {} connected {} (connection {}, by {})",
        workspace,
        provider.id(),
        id,
        pending.userId());
    return connections.insert(
        new ConnectionRepository.Row(connection, access, refresh, granted.expiresAt()));
  }

  public Flux<Connection> list(String workspaceId) {
    return connections.list(workspaceId);
  }

  /**
   * Revokes the connection at its provider (where it offers revocation) and deletes it. A
   * revocation the provider refuses or does not answer is logged and the row is deleted anyway: the
   * member asked for Beacon to stop using it. A credential connection is only deleted: its key or
   * bot token is revoked where it was made (Binance's API management, BotFather's {@code /revoke}).
   *
   * <p>Google is revoked with the refresh token (ending the whole grant); every other provider with
   * the access token, refreshed first when it has expired (Dropbox's last four hours, and revoking
   * a live one ends its refresh token too).
   */
  public Mono<Void> disconnect(ForwardedIdentity caller, UUID id) {
    return connections
        .find(caller.workspaceId(), id)
        .switchIfEmpty(Mono.error(notFound(id)))
        .flatMap(
            row ->
                revoke(row)
                    .then(connections.delete(caller.workspaceId(), id))
                    .doOnNext(
                        deleted ->
                            log.info(
                                "workspace {} disconnected {} (connection {}, by {})",
                                caller.workspaceId(),
                                row.connection().provider().id(),
                                id,
                                caller.userId()))
                    .then());
  }

  private Mono<Void> revoke(ConnectionRepository.Row row) {
    if (!(row.connection().provider() instanceof ProviderId provider)) {
      return Mono.empty();
    }
    return revocationToken(row, provider)
        .flatMap(token -> oauth.revoke(provider, token, row.connection().workspaceId()))
        .onErrorResume(
            e -> {
              log.warn(
                  "{} did not revoke connection {}: {}",
                  provider.displayName(),
                  row.connection().id(),
                  e instanceof ProviderRefusedException refused
                      ? refused.error()
                      : e.getClass().getSimpleName());
              return Mono.empty();
            });
  }

  /** The token the provider's revocation takes (decrypted now: an unreadable one fails here). */
  private Mono<String> revocationToken(ConnectionRepository.Row row, ProviderId provider) {
    Connection c = row.connection();
    String refresh =
        row.refreshToken() == null
            ? null
            : cipher.decrypt(
                c.id(),
                c.workspaceId(),
                c.provider(),
                TokenCipher.Kind.REFRESH,
                row.refreshToken());
    if (refresh != null && OAuthClient.revokesWithRefreshToken(provider)) {
      return Mono.just(refresh);
    }
    String access =
        cipher.decrypt(
            c.id(), c.workspaceId(), c.provider(), TokenCipher.Kind.ACCESS, row.accessToken());
    boolean expired =
        row.expiresAt() != null
            && row.expiresAt().isBefore(clock.instant().plus(properties.oauth().refreshBefore()));
    if (!expired || refresh == null) {
      return Mono.just(access);
    }
    return oauth.refresh(provider, refresh, c.workspaceId()).map(GrantedTokens::accessToken);
  }

  /**
   * Sets the availability target of one of the caller's workspace's connections, or clears it with
   * {@code null}; 404 {@code connection_not_found} for another workspace's or no connection.
   */
  public Mono<Connection> setAvailabilityTarget(
      ForwardedIdentity caller, UUID id, BigDecimal target) {
    return connections
        .updateAvailabilityTarget(caller.workspaceId(), id, target)
        .filter(updated -> updated > 0)
        .switchIfEmpty(Mono.error(notFound(id)))
        .then(connections.find(caller.workspaceId(), id))
        .map(ConnectionRepository.Row::connection)
        .switchIfEmpty(Mono.error(notFound(id)))
        .doOnNext(
            c ->
                log.info(
                    "workspace {} set the availability target of connection {} to {} (by {})",
                    caller.workspaceId(),
                    id,
                    target == null ? "none" : AvailabilityTarget.format(target),
                    caller.userId()));
  }

  /**
   * The provider refused the connection's token (HTTP 401, Slack's {@code invalid_auth} …): the
   * connection is {@code needs_reauth} until someone connects again.
   */
  public Mono<Void> refused(Connection connection, String code, String message) {
    log.warn(
        "{} refused the token of connection {} ({}): it is now needs_reauth",
        connection.provider().displayName(),
        connection.id(),
        code);
    return connections.recordError(
        connection.id(),
        ConnectionStatus.NEEDS_REAUTH,
        new Connection.LastError(code, message, clock.instant()));
  }

  /** Records an error a tool met calling the provider (rate limit, timeout, provider error). */
  public Mono<Void> recordError(Connection connection, String code, String message) {
    return connections.recordError(
        connection.id(), null, new Connection.LastError(code, message, clock.instant()));
  }

  static ApiException notFound(UUID id) {
    return ApiException.notFound("connection_not_found", "There is no connection " + id + ".");
  }

  private static ApiException notConfigured(ProviderId provider) {
    return ApiException.conflict(
            "provider_not_configured",
            provider.displayName()
                + " is not configured: set BEACON_INTEGRATIONS_"
                + provider.name()
                + "_CLIENT_ID and _CLIENT_SECRET.")
        .with("provider", provider.id());
  }

  private static ApiException invalidState() {
    return ApiException.badRequest(
        "invalid_state",
        "This authorization is unknown, expired or already used; start connecting again.");
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.beacon.integrations.connection.domain;

import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.config.IntegrationsProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClientException;
import reactor.core.publisher.Mono;

/**
 * A connection's access token for a tool executor to call its provider with. A token with less than
 * {@code beacon.integrations.oauth.refresh-before} (60 s) left is refreshed first; a refresh the
 * provider refuses ({@code invalid_grant}: revoked, expired) turns the connection {@code
 * needs_reauth} and answers 409 {@code needs_reauth}; another refusal turns it {@code error}, and a
 * provider that does not answer leaves it as it was; both answer 502 {@code token_refresh_failed}.
 * Marks the connection used. A credential connection has no access token: {@link #credentials}
 * hands out its sealed fields instead.
 *
 * <p>Notion, Todoist and (for some clients) Spotify rotate refresh tokens: a refresh token works
 * once. So a connection is refreshed once at a time in this process (concurrent uses wait for the
 * one refresh under way), and a refresh refused as {@code invalid_grant} is believed only if the
 * row still holds the refresh token that was sent — if another replica refreshed in between, its
 * new access token is used instead.
 */
@Service
public class TokenService {

  private static final Logger log = LoggerFactory.getLogger(TokenService.class);

  /**
   * Refusals that mean the grant is gone: RFC 6749's {@code invalid_grant} (Google, GitHub Apps,
   * Notion, Todoist, Dropbox, Spotify), Slack's {@code invalid_refresh_token} and {@code
   * token_revoked}.
   */
  private static final Set<String> GRANT_GONE =
      Set.of("invalid_grant", "invalid_refresh_token", "token_revoked");

  private final ConnectionRepository connections;
  private final TokenCipher cipher;
  private final OAuthClient oauth;
  private final IntegrationsProperties properties;
  private final Clock clock;
  private final Map<UUID, Mono<String>> refreshing = new ConcurrentHashMap<>();

  TokenService(
      ConnectionRepository connections,
      TokenCipher cipher,
      OAuthClient oauth,
      IntegrationsProperties properties,
      Clock clock) {
    this.connections = connections;
    this.cipher = cipher;
    this.oauth = oauth;
    this.properties = properties;
    this.clock = clock;
  }

  public Mono<String> accessToken(Connection connection) {
    return connections
        .find(connection.workspaceId(), connection.id())
        .switchIfEmpty(Mono.error(ConnectionService.notFound(connection.id())))
        .flatMap(this::fresh);
  }

  /**
   * A credential connection's credentials (API key and secret, bot token), or 409 {@code
   * needs_reauth} once the provider refused them. Marks the connection used.
   */
  public Mono<Credentials> credentials(Connection connection) {
    return connections
        .find(connection.workspaceId(), connection.id())
        .switchIfEmpty(Mono.error(ConnectionService.notFound(connection.id())))
        .flatMap(
            row -> {
              Connection c = row.connection();
              if (c.status() == ConnectionStatus.NEEDS_REAUTH) {
                return Mono.error(needsReauth(c));
              }
              Credentials credentials =
                  Credentials.fromJson(
                      cipher.decrypt(
                          c.id(),
                          c.workspaceId(),
                          c.provider(),
                          TokenCipher.Kind.CREDENTIALS,
                          row.accessToken()));
              return connections.markUsed(c.id(), clock.instant()).thenReturn(credentials);
            });
  }

  private Mono<String> fresh(ConnectionRepository.Row row) {
    Connection c = row.connection();
    if (c.status() == ConnectionStatus.NEEDS_REAUTH) {
      return Mono.error(needsReauth(c));
    }
    if (!(c.provider() instanceof ProviderId provider)) {
      throw new IllegalArgumentException(c.provider().id() + " connections have no access token");
    }
    Instant now = clock.instant();
    boolean expiring =
        row.expiresAt() != null
            && row.expiresAt().isBefore(now.plus(properties.oauth().refreshBefore()));
    if (!expiring) {
      String token =
          cipher.decrypt(
              c.id(), c.workspaceId(), c.provider(), TokenCipher.Kind.ACCESS, row.accessToken());
      return connections.markUsed(c.id(), now).thenReturn(token);
    }
    if (row.refreshToken() == null) {
      return connections
          .markStatus(c.id(), ConnectionStatus.NEEDS_REAUTH)
          .then(Mono.error(needsReauth(c)));
    }
    // one refresh per connection at a time; the ones that arrive meanwhile share its outcome, and
    // it is forgotten before anyone sees the outcome, so a later use reads the row anew
    return refreshing.computeIfAbsent(
        c.id(),
        id ->
            refresh(row, provider, now)
                .doOnSuccess(token -> refreshing.remove(id))
                .doOnError(e -> refreshing.remove(id))
                .cache());
  }

  private Mono<String> refresh(ConnectionRepository.Row row, ProviderId provider, Instant now) {
    Connection c = row.connection();
    String refreshToken =
        cipher.decrypt(
            c.id(), c.workspaceId(), c.provider(), TokenCipher.Kind.REFRESH, row.refreshToken());
    return oauth
        .refresh(provider, refreshToken, c.workspaceId())
        .flatMap(
            granted -> {
              String newRefresh =
                  granted.refreshToken() != null ? granted.refreshToken() : refreshToken;
              return connections
                  .updateTokens(
                      c.id(),
                      cipher.encrypt(
                          c.id(),
                          c.workspaceId(),
                          c.provider(),
                          TokenCipher.Kind.ACCESS,
                          granted.accessToken()),
                      cipher.encrypt(
                          c.id(),
                          c.workspaceId(),
                          c.provider(),
                          TokenCipher.Kind.REFRESH,
                          newRefresh),
                      granted.expiresAt(),
                      now)
                  .doOnSuccess(
                      done ->
                          log.info(
                              "refreshed the token of connection {} ({})",
                              c.id(),
                              c.provider().id()))
                  .thenReturn(granted.accessToken());
            })
        .onErrorResume(
            ProviderRefusedException.class,
            refused ->
                GRANT_GONE.contains(refused.error())
                    ? refreshedElsewhere(row).switchIfEmpty(refusedRefresh(c, refused))
                    : refusedRefresh(c, refused))
        .onErrorMap(
            e -> e instanceof WebClientException || e instanceof TimeoutException,
            e -> {
              // the provider did not answer: the grant may be fine, so the status stays
              log.warn(
                  "{} did not answer the refresh of connection {}: {}",
                  c.provider().displayName(),
                  c.id(),
                  e.getClass().getSimpleName());
              return refreshFailed(c);
            });
  }

  /**
   * The access token another replica stored while this one's refresh was refused: the row's refresh
   * token is no longer the one sent (every refresh seals it anew). Empty when it still is.
   */
  private Mono<String> refreshedElsewhere(ConnectionRepository.Row sent) {
    Connection c = sent.connection();
    return connections
        .find(c.workspaceId(), c.id())
        .filter(
            current ->
                current.connection().status() == ConnectionStatus.OK
                    && current.refreshToken() != null
                    && !Arrays.equals(current.refreshToken(), sent.refreshToken()))
        .map(
            current -> {
              log.info(
                  "connection {} ({}) was refreshed elsewhere meanwhile; using that token",
                  c.id(),
                  c.provider().id());
              return cipher.decrypt(
                  c.id(),
                  c.workspaceId(),
                  c.provider(),
                  TokenCipher.Kind.ACCESS,
                  current.accessToken());
            });
  }

  private Mono<String> refusedRefresh(Connection c, ProviderRefusedException refused) {
    boolean revoked = GRANT_GONE.contains(refused.error());
    ConnectionStatus status = revoked ? ConnectionStatus.NEEDS_REAUTH : ConnectionStatus.ERROR;
    log.warn(
        "{} refused to refresh connection {} ({}): it is now {}",
        c.provider().displayName(),
        c.id(),
        refused.error(),
        status.value());
    return connections
        .markStatus(c.id(), status)
        .then(Mono.error(revoked ? needsReauth(c) : refreshFailed(c)));
  }

  private static ApiException refreshFailed(Connection c) {
    return new ApiException(
            HttpStatus.BAD_GATEWAY,
            "token_refresh_failed",
            c.provider().displayName() + " did not refresh the token.")
        .with("connection_id", c.id().toString());
  }

  private static ApiException needsReauth(Connection c) {
    return ApiException.conflict(
            "needs_reauth",
            "The " + c.provider().displayName() + " connection must be connected again.")
        .with("connection_id", c.id().toString());
  }
}

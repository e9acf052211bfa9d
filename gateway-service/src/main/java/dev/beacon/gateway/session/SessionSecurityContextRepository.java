package dev.beacon.gateway.session;

import java.time.Duration;
import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Keeps the browser's security context in {@link SessionStore} instead of a {@code WebSession}: the
 * cookie names a row in PostgreSQL, so any gateway instance, before or after a restart, recognises
 * it. Saving a fresh login starts a new session (and ends the one the browser had, so a planted
 * cookie cannot be promoted); saving {@code null} (logout) ends the current one.
 */
@Component
public class SessionSecurityContextRepository implements ServerSecurityContextRepository {

  private static final String LOADED = SessionSecurityContextRepository.class.getName() + ".loaded";

  private final SessionStore sessions;
  private final SessionProperties properties;

  SessionSecurityContextRepository(SessionStore sessions, SessionProperties properties) {
    this.sessions = sessions;
    this.properties = properties;
  }

  @Override
  public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
    Mono<Void> endCurrent =
        cookie(exchange)
            .map(value -> sessions.delete(SessionStore.hash(value)))
            .orElse(Mono.empty());
    Authentication authentication = context == null ? null : context.getAuthentication();
    if (!(authentication instanceof SessionAuthentication login)) {
      return endCurrent.then(Mono.fromRunnable(() -> writeCookie(exchange, "", Duration.ZERO)));
    }
    SessionUser user = login.getPrincipal();
    return endCurrent
        .then(sessions.create(user.userId(), user.workspaceId()))
        .doOnNext(id -> writeCookie(exchange, id, properties.absoluteTimeout()))
        .then();
  }

  @Override
  public Mono<SecurityContext> load(ServerWebExchange exchange) {
    Mono<SecurityContext> cached = exchange.getAttribute(LOADED);
    if (cached != null) {
      return cached;
    }
    Mono<SecurityContext> loaded =
        cookie(exchange)
            .map(sessions::find)
            .orElse(Mono.empty())
            .<SecurityContext>map(user -> new SecurityContextImpl(new SessionAuthentication(user)))
            .cache();
    exchange.getAttributes().put(LOADED, loaded);
    return loaded;
  }

  /** Ends the browser's session cookie without touching the store (after logout everywhere). */
  public void clearCookie(ServerWebExchange exchange) {
    writeCookie(exchange, "", Duration.ZERO);
  }

  @Scheduled(fixedDelayString = "${beacon.gateway.session.cleanup-interval:PT10M}")
  void deleteExpiredSessions() {
    sessions.deleteExpired().subscribe();
  }

  private java.util.Optional<String> cookie(ServerWebExchange exchange) {
    HttpCookie cookie = exchange.getRequest().getCookies().getFirst(properties.cookieName());
    return java.util.Optional.ofNullable(cookie)
        .map(HttpCookie::getValue)
        .filter(value -> !value.isBlank());
  }

  private void writeCookie(ServerWebExchange exchange, String value, Duration maxAge) {
    exchange
        .getResponse()
        .addCookie(
            ResponseCookie.from(properties.cookieName(), value)
                .httpOnly(true)
                .secure(secure(exchange))
                .sameSite("Lax")
                .path("/")
                .maxAge(maxAge)
                .build());
  }

  private boolean secure(ServerWebExchange exchange) {
    return switch (properties.secureCookie()) {
      case "always" -> true;
      case "never" -> false;
      default -> "https".equalsIgnoreCase(exchange.getRequest().getURI().getScheme());
    };
  }
}

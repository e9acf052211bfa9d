package dev.beacon.gateway.routing;

import dev.beacon.gateway.account.AccountService;
import dev.beacon.gateway.apikey.ApiKeyPrincipal;
import dev.beacon.gateway.session.SessionUser;
import dev.beacon.gateway.web.KeyedRateLimiter;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiErrors;
import dev.beacon.identity.error.ApiException;
import java.time.Duration;
import java.util.Set;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Decides what a service learns about the caller of a routed request.
 *
 * <ul>
 *   <li>Always removes any client-sent {@value ForwardedIdentity#HEADER}, the browser's cookies
 *       (the session must not reach services) and the CSRF header.
 *   <li>A browser session: signs a fresh identity for the user, the session's current workspace and
 *       the user's role there, read from the database on every request (a removed member loses
 *       access at once). A viewer's state-changing request is refused here with 403 {@code
 *       forbidden_role}, as the services would.
 *   <li>An API key with the read scope: signs the key's workspace with the viewer role; one with
 *       the tools scope, on integrations' MCP endpoint only: with the member role.
 *   <li>Anonymous (only ingest's intake paths get here): forwards no identity; {@code
 *       Authorization} is kept for ingest's own API-key check. Elsewhere it is removed.
 *   <li>Each session or key gets a per-second budget of routed requests (429 {@code rate_limited}).
 * </ul>
 */
@Component
class ForwardedIdentityFilter implements GlobalFilter, Ordered {

  private static final Set<HttpMethod> READS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private static final ApiException VIEWER =
      ApiException.forbidden(
          "forbidden_role", "Your role in this workspace does not allow changes.");
  private static final ApiException NO_WORKSPACE =
      ApiException.forbidden("no_workspace", "You are not a member of any workspace.");
  private static final ApiException RATE_LIMITED =
      new ApiException(
              HttpStatus.TOO_MANY_REQUESTS,
              "rate_limited",
              "Too many requests. Slow down a little.")
          .retryAfter(Duration.ofSeconds(1));

  private final IdentitySigner signer;
  private final AccountService accounts;
  private final KeyedRateLimiter perSession;

  ForwardedIdentityFilter(
      IdentitySigner signer, AccountService accounts, RoutingProperties properties) {
    this.signer = signer;
    this.accounts = accounts;
    this.perSession =
        new KeyedRateLimiter(
            "routed-requests",
            properties.sessionRequestsPerSecond(),
            Duration.ofSeconds(1),
            100_000);
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 200;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
    boolean toIngest =
        route != null && "obs-ingest".equals(route.getMetadata().get(ServiceRoutes.SERVICE));
    return ReactiveSecurityContextHolder.getContext()
        .map(SecurityContext::getAuthentication)
        .filter(Authentication::isAuthenticated)
        .map(Authentication::getPrincipal)
        .flatMap(principal -> identityFor(principal, exchange))
        .map(signed -> new Decision(signed, null))
        .defaultIfEmpty(new Decision(null, null))
        .onErrorResume(ApiException.class, refusal -> Mono.just(new Decision(null, refusal)))
        .flatMap(
            decision -> {
              if (decision.refusal() != null) {
                return ApiErrors.write(exchange, decision.refusal());
              }
              ServerHttpRequest request =
                  exchange
                      .getRequest()
                      .mutate()
                      .headers(
                          headers -> {
                            headers.remove(ForwardedIdentity.HEADER);
                            headers.remove(HttpHeaders.COOKIE);
                            headers.remove("X-XSRF-TOKEN");
                            if (decision.signed() != null || !toIngest) {
                              headers.remove(HttpHeaders.AUTHORIZATION);
                            }
                            if (decision.signed() != null) {
                              headers.set(ForwardedIdentity.HEADER, decision.signed());
                            }
                          })
                      .build();
              return chain.filter(exchange.mutate().request(request).build());
            });
  }

  private Mono<String> identityFor(Object principal, ServerWebExchange exchange) {
    if (principal instanceof SessionUser user) {
      if (!perSession.tryAcquire("session:" + user.sessionIdHash())) {
        return Mono.error(RATE_LIMITED);
      }
      return accounts
          .currentMembership(user.userId(), user.workspaceId())
          .switchIfEmpty(Mono.error(NO_WORKSPACE))
          .flatMap(
              membership -> {
                if (!membership.role().canWrite()
                    && !READS.contains(exchange.getRequest().getMethod())) {
                  return Mono.error(VIEWER);
                }
                return Mono.just(
                    signer.sign(
                        user.userId().toString(),
                        membership.workspaceId().toString(),
                        membership.role()));
              });
    }
    if (principal instanceof ApiKeyPrincipal key) {
      if (!perSession.tryAcquire("key:" + key.keyId())) {
        return Mono.error(RATE_LIMITED);
      }
      // a tools key is only ever authenticated on the MCP endpoint, where it acts as a member
      return Mono.just(
          signer.sign(
              "api-key:" + key.keyId(),
              key.workspaceId(),
              key.forTools() ? Role.MEMBER : Role.VIEWER));
    }
    return Mono.empty();
  }

  /** A routed request the gateway answers itself, or the identity to forward. */
  private record Decision(String signed, ApiException refusal) {}
}

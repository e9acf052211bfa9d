package dev.beacon.identity;

import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads the token from {@value ForwardedIdentity#HEADER} (the raw JWT, no {@code Bearer} prefix).
 * Public paths are not looked at, so a stale identity never breaks a health check or an API-key
 * endpoint.
 */
final class IdentityHeaderConverter implements ServerAuthenticationConverter {

  private final ServerWebExchangeMatcher publicPaths;

  IdentityHeaderConverter(ServerWebExchangeMatcher publicPaths) {
    this.publicPaths = publicPaths;
  }

  @Override
  public Mono<Authentication> convert(ServerWebExchange exchange) {
    return publicPaths
        .matches(exchange)
        .filter(match -> !match.isMatch())
        .flatMap(notPublic -> Mono.justOrEmpty(token(exchange)));
  }

  private static Authentication token(ServerWebExchange exchange) {
    List<String> values = exchange.getRequest().getHeaders().get(ForwardedIdentity.HEADER);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new InvalidBearerTokenException("More than one forwarded identity");
    }
    String token = values.get(0).strip();
    return token.isEmpty() ? null : new BearerTokenAuthenticationToken(token);
  }
}

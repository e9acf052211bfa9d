package dev.beacon.gateway.login;

import dev.beacon.gateway.account.Emails;
import dev.beacon.gateway.web.KeyedRateLimiter;
import dev.beacon.identity.error.ApiErrors;
import dev.beacon.identity.error.ApiException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Limits sign-in link requests per email address and per client address. The answer to a limited
 * request is the same whether or not the address has an account.
 *
 * <p>The client address is the connection's remote address; behind a proxy set {@code
 * server.forward-headers-strategy=native} so that it is the proxy's {@code X-Forwarded-For}.
 */
class LoginRateLimitFilter implements WebFilter {

  static final String GENERATE_PATH = "/ott/generate";

  private final KeyedRateLimiter perEmail;
  private final KeyedRateLimiter perIp;

  LoginRateLimitFilter(LoginProperties properties) {
    this.perEmail =
        new KeyedRateLimiter(
            "login-email", properties.perEmailLimit(), properties.limitPeriod(), 100_000);
    this.perIp =
        new KeyedRateLimiter(
            "login-ip", properties.perIpLimit(), properties.limitPeriod(), 100_000);
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (exchange.getRequest().getMethod() != HttpMethod.POST
        || !GENERATE_PATH.equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
      return chain.filter(exchange);
    }
    return exchange
        .getFormData()
        .flatMap(
            form -> {
              Optional<String> email = Emails.normalize(form.getFirst("username"));
              if (email.isEmpty()) {
                return ApiErrors.write(
                    exchange,
                    HttpStatus.BAD_REQUEST,
                    "invalid_email",
                    "Enter a valid email address.");
              }
              if (!perIp.tryAcquire(clientAddress(exchange))) {
                return limited(exchange, perIp);
              }
              if (!perEmail.tryAcquire(email.get())) {
                return limited(exchange, perEmail);
              }
              return chain.filter(exchange);
            });
  }

  private static Mono<Void> limited(ServerWebExchange exchange, KeyedRateLimiter limiter) {
    return ApiErrors.write(
        exchange,
        new ApiException(
                HttpStatus.TOO_MANY_REQUESTS,
                "too_many_login_requests",
                "Too many sign-in requests. Wait a few minutes and try again.")
            .retryAfter(Duration.ofSeconds(limiter.retryAfterSeconds())));
  }

  private static String clientAddress(ServerWebExchange exchange) {
    InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
    if (remote == null) {
      return "unknown";
    }
    return remote.getAddress() != null
        ? remote.getAddress().getHostAddress()
        : remote.getHostString();
  }
}

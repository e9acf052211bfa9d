package dev.beacon.identity;

import dev.beacon.identity.error.ApiErrors;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers a rejected request with a JSON error of a stable code. The body is one of four fixed
 * texts: nothing from the token, the secret or the underlying exception reaches the caller.
 */
final class IdentityErrorHandler
    implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

  private static final Logger log = LoggerFactory.getLogger(IdentityErrorHandler.class);

  /** A stable error code and the fixed message that goes with it. */
  enum Rejection {
    IDENTITY_MISSING(
        HttpStatus.UNAUTHORIZED,
        "This request needs the " + ForwardedIdentity.HEADER + " header that the gateway sets."),
    IDENTITY_INVALID(HttpStatus.UNAUTHORIZED, "The forwarded identity is not valid."),
    IDENTITY_EXPIRED(HttpStatus.UNAUTHORIZED, "The forwarded identity has expired."),
    FORBIDDEN_ROLE(HttpStatus.FORBIDDEN, "Your role in this workspace cannot change anything.");

    private final HttpStatus status;
    private final String message;

    Rejection(HttpStatus status, String message) {
      this.status = status;
      this.message = message;
    }

    String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Override
  public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
    Rejection rejection = classify(failure);
    log.debug(
        "Rejected {} {}: {} ({})",
        exchange.getRequest().getMethod(),
        exchange.getRequest().getPath(),
        rejection.code(),
        failure.getMessage());
    return write(exchange, rejection);
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
    log.debug(
        "Refused {} {}: {}",
        exchange.getRequest().getMethod(),
        exchange.getRequest().getPath(),
        Rejection.FORBIDDEN_ROLE.code());
    return write(exchange, Rejection.FORBIDDEN_ROLE);
  }

  static Rejection classify(AuthenticationException failure) {
    if (failure instanceof AuthenticationCredentialsNotFoundException
        || failure instanceof InsufficientAuthenticationException) {
      return Rejection.IDENTITY_MISSING;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof JwtValidationException invalid
          && !invalid.getErrors().isEmpty()
          && invalid.getErrors().stream()
              .allMatch(e -> IdentityDecoders.EXPIRED.equals(e.getErrorCode()))) {
        return Rejection.IDENTITY_EXPIRED;
      }
    }
    return Rejection.IDENTITY_INVALID;
  }

  private static Mono<Void> write(ServerWebExchange exchange, Rejection rejection) {
    return ApiErrors.write(exchange, rejection.status, rejection.code(), rejection.message);
  }
}

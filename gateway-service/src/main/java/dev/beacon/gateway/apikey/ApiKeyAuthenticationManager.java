package dev.beacon.gateway.apikey;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import reactor.core.publisher.Mono;

/** Authenticates {@code Authorization: Bearer <api key>} on read requests through ingest. */
public class ApiKeyAuthenticationManager implements ReactiveAuthenticationManager {

  static final String READ_SCOPE = "read";

  private final ApiKeyClient client;

  public ApiKeyAuthenticationManager(ApiKeyClient client) {
    this.client = client;
  }

  @Override
  public Mono<Authentication> authenticate(Authentication authentication) {
    String key = String.valueOf(authentication.getCredentials());
    return client
        .verify(key)
        .onErrorMap(
            e -> !(e instanceof AuthenticationException),
            e -> new AuthenticationServiceException("API key verification unavailable", e))
        .flatMap(
            verification -> {
              if (!verification.valid()) {
                return Mono.error(new BadCredentialsException("Unknown or revoked API key"));
              }
              if (!verification.hasScope(READ_SCOPE)) {
                return Mono.error(
                    new InsufficientAuthenticationException("API key lacks the read scope"));
              }
              return Mono.just(
                  new ApiKeyAuthentication(
                      new ApiKeyPrincipal(verification.keyId(), verification.workspaceId())));
            });
  }

  /** A verified read key; its credentials are not kept. */
  public static final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final ApiKeyPrincipal principal;

    ApiKeyAuthentication(ApiKeyPrincipal principal) {
      super(List.of(new SimpleGrantedAuthority("SCOPE_read")));
      this.principal = principal;
      setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
      return "";
    }

    @Override
    public ApiKeyPrincipal getPrincipal() {
      return principal;
    }
  }
}

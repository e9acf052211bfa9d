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

/**
 * Authenticates {@code Authorization: Bearer <api key>} through ingest, for one scope: {@value
 * #READ_SCOPE} on the obs read API, {@value #TOOLS_SCOPE} on integrations' MCP endpoint.
 */
public class ApiKeyAuthenticationManager implements ReactiveAuthenticationManager {

  /** Reads the obs API of the key's workspace, as a viewer. */
  public static final String READ_SCOPE = "read";

  /** Calls the key's workspace's tools over MCP, as a member. */
  public static final String TOOLS_SCOPE = "tools";

  private final ApiKeyClient client;
  private final String scope;

  public ApiKeyAuthenticationManager(ApiKeyClient client, String scope) {
    this.client = client;
    this.scope = scope;
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
              if (!verification.hasScope(scope)) {
                return Mono.error(
                    new InsufficientAuthenticationException(
                        "API key lacks the " + scope + " scope"));
              }
              return Mono.just(
                  new ApiKeyAuthentication(
                      new ApiKeyPrincipal(verification.keyId(), verification.workspaceId(), scope),
                      scope));
            });
  }

  /** A verified key, for the scope it was checked for; its credentials are not kept. */
  public static final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final ApiKeyPrincipal principal;

    ApiKeyAuthentication(ApiKeyPrincipal principal, String scope) {
      super(List.of(new SimpleGrantedAuthority("SCOPE_" + scope)));
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

package dev.beacon.identity;

import java.util.Objects;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import reactor.core.publisher.Mono;

/** Access to the identity of the request being served, for code that is not a controller. */
public final class ForwardedIdentities {

  private ForwardedIdentities() {}

  /**
   * The verified identity of the current request, read from the reactive security context. Empty
   * outside a request, and on public paths, where no identity is checked.
   */
  public static Mono<ForwardedIdentity> current() {
    return ReactiveSecurityContextHolder.getContext()
        .map(SecurityContext::getAuthentication)
        .filter(Objects::nonNull)
        .map(Authentication::getPrincipal)
        .filter(ForwardedIdentity.class::isInstance)
        .cast(ForwardedIdentity.class);
  }
}

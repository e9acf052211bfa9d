package dev.beacon.identity;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * A request authenticated by a verified forwarded identity. Its principal is the {@link
 * ForwardedIdentity}; its one authority is {@code ROLE_<ROLE>}. It holds no credentials: the token
 * is not kept once verified.
 */
final class ForwardedIdentityAuthentication extends AbstractAuthenticationToken {

  private static final long serialVersionUID = 1L;

  private final ForwardedIdentity identity;

  ForwardedIdentityAuthentication(ForwardedIdentity identity) {
    super(AuthorityUtils.createAuthorityList("ROLE_" + identity.role().name()));
    this.identity = identity;
    setAuthenticated(true);
  }

  @Override
  public ForwardedIdentity getPrincipal() {
    return identity;
  }

  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public String getName() {
    return identity.userId();
  }
}

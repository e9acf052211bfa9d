package dev.beacon.gateway.session;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated browser user; the role comes from the workspace, not from here. */
public final class SessionAuthentication extends AbstractAuthenticationToken {

  private final SessionUser user;

  public SessionAuthentication(SessionUser user) {
    super(List.of(new SimpleGrantedAuthority("ROLE_USER")));
    this.user = user;
    setAuthenticated(true);
  }

  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public SessionUser getPrincipal() {
    return user;
  }

  @Override
  public String getName() {
    return user.userId().toString();
  }
}

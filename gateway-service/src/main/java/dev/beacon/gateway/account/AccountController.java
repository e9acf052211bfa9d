package dev.beacon.gateway.account;

import dev.beacon.gateway.mail.Mail;
import dev.beacon.gateway.mail.Mailer;
import dev.beacon.gateway.mail.MailingProperties;
import dev.beacon.gateway.session.SessionSecurityContextRepository;
import dev.beacon.gateway.session.SessionStore;
import dev.beacon.gateway.session.SessionUser;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The signed-in user's own account: who they are, their workspaces, the members of the current one,
 * and their sessions. Answered by the gateway itself, not routed.
 */
@RestController
class AccountController {

  /** {@code GET /api/me}. */
  record Me(
      UserView user, WorkspaceView workspace, String role, List<WorkspaceChoice> workspaces) {}

  record UserView(UUID id, String email) {}

  record WorkspaceView(UUID id, String name) {}

  record WorkspaceChoice(UUID id, String name, String role) {}

  /** A member as the API shows it; roles are the lower-case claim values. */
  record MemberView(UUID id, String email, String role) {

    static MemberView of(Member member) {
      return new MemberView(member.id(), member.email(), member.role().claimValue());
    }
  }

  record SwitchWorkspace(UUID workspace) {}

  record Invitation(String email, String role) {}

  record RoleChange(String role) {}

  private final AccountService accounts;
  private final SessionStore sessions;
  private final SessionSecurityContextRepository sessionCookies;
  private final Mailer mailer;
  private final String publicUrl;

  AccountController(
      AccountService accounts,
      SessionStore sessions,
      SessionSecurityContextRepository sessionCookies,
      Mailer mailer,
      MailingProperties mailing) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.sessionCookies = sessionCookies;
    this.mailer = mailer;
    this.publicUrl = mailing.publicUrl().replaceAll("/+$", "") + "/";
  }

  @GetMapping("/api/me")
  Mono<Me> me(@AuthenticationPrincipal SessionUser user) {
    return accounts
        .memberships(user.userId())
        .collectList()
        .map(
            all -> {
              Membership current =
                  all.stream()
                      .filter(m -> m.workspaceId().equals(user.workspaceId()))
                      .findFirst()
                      .or(() -> all.stream().findFirst())
                      .orElse(null);
              return new Me(
                  new UserView(user.userId(), user.email()),
                  current == null
                      ? null
                      : new WorkspaceView(current.workspaceId(), current.workspaceName()),
                  current == null ? null : current.role().claimValue(),
                  all.stream()
                      .map(
                          m ->
                              new WorkspaceChoice(
                                  m.workspaceId(), m.workspaceName(), m.role().claimValue()))
                      .toList());
            });
  }

  @PutMapping("/api/me/workspace")
  Mono<Me> switchWorkspace(
      @AuthenticationPrincipal SessionUser user, @RequestBody SwitchWorkspace request) {
    if (request.workspace() == null) {
      return Mono.error(ApiException.badRequest("invalid_request", "workspace is required"));
    }
    return accounts
        .membership(user.userId(), request.workspace())
        .switchIfEmpty(Mono.error(AccountService.NOT_FOUND))
        .flatMap(m -> sessions.switchWorkspace(user.sessionIdHash(), m.workspaceId()))
        .then(
            Mono.defer(
                () ->
                    me(
                        new SessionUser(
                            user.userId(),
                            user.email(),
                            request.workspace(),
                            user.sessionIdHash()))));
  }

  /** Logout everywhere: ends every session of the user, this one included. */
  @DeleteMapping("/api/me/sessions")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> logoutEverywhere(
      @AuthenticationPrincipal SessionUser user, ServerWebExchange exchange) {
    return sessions
        .deleteAll(user.userId())
        .doOnNext(ended -> sessionCookies.clearCookie(exchange))
        .then();
  }

  @GetMapping("/api/workspace/members")
  Mono<List<MemberView>> members(@AuthenticationPrincipal SessionUser user) {
    return current(user)
        .flatMap(actor -> accounts.members(actor).map(MemberView::of).collectList());
  }

  @PostMapping("/api/workspace/members")
  Mono<ResponseEntity<MemberView>> invite(
      @AuthenticationPrincipal SessionUser user, @RequestBody Invitation invitation) {
    Role role = parseRole(invitation.role() == null ? "member" : invitation.role());
    return current(user)
        .flatMap(
            actor ->
                accounts
                    .invite(actor, invitation.email(), role)
                    .flatMap(member -> tellInvitee(user, actor, member).thenReturn(member)))
        .map(member -> ResponseEntity.status(HttpStatus.CREATED).body(MemberView.of(member)));
  }

  @PatchMapping("/api/workspace/members/{userId}")
  Mono<MemberView> changeRole(
      @AuthenticationPrincipal SessionUser user,
      @PathVariable UUID userId,
      @RequestBody RoleChange change) {
    Role role = parseRole(change.role());
    return current(user)
        .flatMap(actor -> accounts.changeRole(actor, userId, role))
        .map(MemberView::of);
  }

  @DeleteMapping("/api/workspace/members/{userId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> remove(@AuthenticationPrincipal SessionUser user, @PathVariable UUID userId) {
    return current(user).flatMap(actor -> accounts.remove(actor, userId));
  }

  /** The invitee signs in with the usual magic link; the mail only points them to the gateway. */
  private Mono<Void> tellInvitee(SessionUser inviter, Membership workspace, Member invitee) {
    String text =
        inviter.email()
            + " invited you to the Beacon workspace \""
            + workspace.workspaceName()
            + "\" as "
            + invitee.role().claimValue()
            + ".\n\nSign in with this address at "
            + publicUrl
            + " to join.";
    return mailer
        .send(
            new Mail(
                invitee.email(),
                "You were invited to " + workspace.workspaceName() + " on Beacon",
                text,
                publicUrl,
                Instant.now()))
        .onErrorResume(e -> Mono.empty());
  }

  private Mono<Membership> current(SessionUser user) {
    return accounts
        .currentMembership(user.userId(), user.workspaceId())
        .switchIfEmpty(Mono.error(AccountService.NOT_FOUND));
  }

  private static Role parseRole(String value) {
    return Role.fromClaim(value)
        .orElseThrow(
            () ->
                ApiException.badRequest(
                    "invalid_request", "role must be one of owner, admin, member, viewer"));
  }
}

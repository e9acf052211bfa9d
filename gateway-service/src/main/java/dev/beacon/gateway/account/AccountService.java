package dev.beacon.gateway.account;

import dev.beacon.entitlements.Entitlements;
import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.identity.BootstrapWorkspace;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import io.r2dbc.spi.Readable;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Users, workspaces and memberships in the {@code identity} schema.
 *
 * <p>Rules that hold whoever calls: an email is one user; a user's first sign-in gives them a
 * personal workspace they own; only owners and admins manage members, only owners make or unmake
 * owners; a workspace always keeps at least one owner; an invitation never makes a workspace larger
 * than its plan's {@code members} entitlement.
 */
@Service
public class AccountService {

  /** The same answer for a workspace or member that does not exist and one of another workspace. */
  static final ApiException NOT_FOUND =
      ApiException.notFound("not_found", "No such workspace or member.");

  private final DatabaseClient db;
  private final TransactionalOperator tx;
  private final WorkspaceEntitlements entitlements;

  AccountService(
      DatabaseClient db,
      ReactiveTransactionManager transactions,
      WorkspaceEntitlements entitlements) {
    this.db = db;
    this.tx = TransactionalOperator.create(transactions);
    this.entitlements = entitlements;
  }

  /** The user with this (normalized) email, created if new. */
  public Mono<UUID> findOrCreateUser(String email) {
    return db.sql(
            "INSERT INTO identity.users (id, email) VALUES (:id, :email)"
                + " ON CONFLICT (email) DO NOTHING")
        .bind("id", UUID.randomUUID())
        .bind("email", email)
        .then()
        .then(
            db.sql("SELECT id FROM identity.users WHERE email = :email")
                .bind("email", email)
                .map(row -> row.get("id", UUID.class))
                .one());
  }

  /**
   * Records a successful sign-in: creates the user on first login and gives them a personal
   * workspace if they have none yet. Returns the user id.
   */
  public Mono<UUID> signIn(String email) {
    return findOrCreateUser(email)
        .flatMap(
            userId ->
                ensurePersonalWorkspace(userId, personalWorkspaceName(email))
                    .then(
                        db.sql("UPDATE identity.users SET last_login_at = now() WHERE id = :id")
                            .bind("id", userId)
                            .then())
                    .thenReturn(userId));
  }

  /**
   * Makes {@code workspaceName} exist with {@code email}'s user as owner; idempotent. Used by the
   * headless bootstrap. The workspace gets the id {@link BootstrapWorkspace#idFor} derives from its
   * name, the same id the ingest service gives the bootstrap API key's workspace. The operator's
   * own bootstrap is not held to the plan's member limit: a start never fails on it.
   */
  public Mono<UUID> provision(String email, String workspaceName) {
    UUID workspaceId = BootstrapWorkspace.idFor(workspaceName);
    return findOrCreateUser(email)
        .flatMap(
            userId ->
                db.sql(
                        "INSERT INTO identity.workspaces (id, name) VALUES (:id, :name)"
                            + " ON CONFLICT (id) DO NOTHING")
                    .bind("id", workspaceId)
                    .bind("name", workspaceName)
                    .then()
                    .then(insertMembership(workspaceId, userId, Role.OWNER))
                    .then(
                        db.sql(
                                "UPDATE identity.users SET personal_workspace_id = :w"
                                    + " WHERE id = :u AND personal_workspace_id IS NULL")
                            .bind("w", workspaceId)
                            .bind("u", userId)
                            .then())
                    .as(tx::transactional)
                    .thenReturn(workspaceId));
  }

  private Mono<Void> ensurePersonalWorkspace(UUID userId, String name) {
    UUID workspaceId = UUID.randomUUID();
    Mono<Void> create =
        db.sql(
                "UPDATE identity.users SET personal_workspace_id = :w"
                    + " WHERE id = :u AND personal_workspace_id IS NULL")
            .bind("w", workspaceId)
            .bind("u", userId)
            .fetch()
            .rowsUpdated()
            .flatMap(
                updated ->
                    updated == 0
                        ? Mono.<Void>empty()
                        : insertWorkspace(workspaceId, name)
                            .then(insertMembership(workspaceId, userId, Role.OWNER)));
    // claim the slot first so that concurrent first logins create one workspace; the foreign key
    // to the workspace row is checked at commit (DEFERRABLE INITIALLY DEFERRED)
    return create.as(tx::transactional);
  }

  private Mono<Void> insertWorkspace(UUID workspaceId, String name) {
    return db.sql("INSERT INTO identity.workspaces (id, name) VALUES (:id, :name)")
        .bind("id", workspaceId)
        .bind("name", name)
        .then();
  }

  private Mono<Void> insertMembership(UUID workspaceId, UUID userId, Role role) {
    return db.sql(
            "INSERT INTO identity.memberships (workspace_id, user_id, role)"
                + " VALUES (:w, :u, :role) ON CONFLICT (workspace_id, user_id) DO NOTHING")
        .bind("w", workspaceId)
        .bind("u", userId)
        .bind("role", role.claimValue())
        .then();
  }

  /** Every workspace the user belongs to, their personal workspace first. */
  public Flux<Membership> memberships(UUID userId) {
    return db.sql(
            "SELECT m.workspace_id, w.name, m.user_id, m.role FROM identity.memberships m"
                + " JOIN identity.workspaces w ON w.id = m.workspace_id"
                + " JOIN identity.users u ON u.id = m.user_id"
                + " WHERE m.user_id = :u"
                + " ORDER BY (w.id = u.personal_workspace_id) DESC, w.created_at, w.id")
        .bind("u", userId)
        .map(
            row ->
                new Membership(
                    row.get("workspace_id", UUID.class),
                    row.get("name", String.class),
                    row.get("user_id", UUID.class),
                    roleOf(row.get("role", String.class))))
        .all();
  }

  /**
   * The user's membership in {@code preferred}, or in their first workspace when that one is unset
   * or no longer theirs; empty when they belong to none.
   */
  public Mono<Membership> currentMembership(UUID userId, UUID preferred) {
    return memberships(userId)
        .collectList()
        .flatMap(
            all ->
                Mono.justOrEmpty(
                    all.stream()
                        .filter(m -> m.workspaceId().equals(preferred))
                        .findFirst()
                        .or(() -> all.stream().findFirst())));
  }

  /** The user's membership in exactly this workspace. */
  public Mono<Membership> membership(UUID userId, UUID workspaceId) {
    return memberships(userId).filter(m -> m.workspaceId().equals(workspaceId)).next();
  }

  /** Members of a workspace, visible to any member of it. */
  public Flux<Member> members(Membership actor) {
    return db.sql(
            "SELECT u.id, u.email, m.role FROM identity.memberships m"
                + " JOIN identity.users u ON u.id = m.user_id"
                + " WHERE m.workspace_id = :w ORDER BY u.email")
        .bind("w", actor.workspaceId())
        .map(AccountService::memberOf)
        .all();
  }

  /**
   * Adds the person with {@code email} to the actor's workspace with {@code role}, creating the
   * user if they have never signed in; they sign in through the same magic link. Inviting someone
   * who is already a member changes nothing and answers the member as they are.
   *
   * <p>Every membership counts against the plan's {@code members}, also that of an invited person
   * who has not signed in yet: their membership exists from the invitation, so a sign-in never has
   * to be refused. The check, the new user and the membership run in one transaction under a
   * per-workspace advisory lock, so concurrent invitations never exceed the limit, and a refused
   * invitation stores nothing.
   */
  public Mono<Member> invite(Membership actor, String rawEmail, Role role) {
    String email =
        Emails.normalize(rawEmail)
            .orElseThrow(
                () -> ApiException.badRequest("invalid_request", "email is not a valid address"));
    requireManager(actor, role);
    UUID workspaceId = actor.workspaceId();
    return lockMembers(workspaceId)
        .then(memberByEmail(workspaceId, email))
        .switchIfEmpty(Mono.defer(() -> addWithinLimit(workspaceId, email, role)))
        .as(tx::transactional);
  }

  /** Serialises every change to the number of members of one workspace until the commit. */
  private Mono<Void> lockMembers(UUID workspaceId) {
    return db.sql("SELECT pg_advisory_xact_lock(hashtext('identity.memberships:' || :w))")
        .bind("w", workspaceId.toString())
        .then();
  }

  private Mono<Member> addWithinLimit(UUID workspaceId, String email, Role role) {
    Entitlements limits = entitlements.of(workspaceId.toString());
    return db.sql("SELECT count(*) AS n FROM identity.memberships WHERE workspace_id = :w")
        .bind("w", workspaceId)
        .map(row -> row.get("n", Long.class))
        .one()
        .flatMap(
            members ->
                members >= limits.members()
                    ? Mono.error(memberLimitReached(limits))
                    : findOrCreateUser(email)
                        .flatMap(
                            userId ->
                                insertMembership(workspaceId, userId, role)
                                    .then(member(workspaceId, userId))));
  }

  private static ApiException memberLimitReached(Entitlements limits) {
    return ApiException.forbidden(
            "plan_limit_reached",
            "The "
                + limits.plan()
                + " plan allows "
                + limits.members()
                + " members per workspace; remove a member or upgrade the plan.")
        .with("limit", limits.members())
        .with("plan", limits.plan());
  }

  /** Changes a member's role; the last owner cannot be demoted. */
  public Mono<Member> changeRole(Membership actor, UUID userId, Role role) {
    return member(actor.workspaceId(), userId)
        .switchIfEmpty(Mono.error(NOT_FOUND))
        .flatMap(
            target -> {
              requireManager(actor, role);
              requireManager(actor, target.role());
              return keepAnOwner(actor.workspaceId(), target, role)
                  .then(
                      db.sql(
                              "UPDATE identity.memberships SET role = :role"
                                  + " WHERE workspace_id = :w AND user_id = :u")
                          .bind("role", role.claimValue())
                          .bind("w", actor.workspaceId())
                          .bind("u", userId)
                          .then())
                  .as(tx::transactional)
                  .then(member(actor.workspaceId(), userId));
            });
  }

  /** Removes a member (or the actor themselves: leaving); the last owner cannot leave. */
  public Mono<Void> remove(Membership actor, UUID userId) {
    return member(actor.workspaceId(), userId)
        .switchIfEmpty(Mono.error(NOT_FOUND))
        .flatMap(
            target -> {
              if (!target.id().equals(actor.userId())) {
                requireManager(actor, target.role());
              }
              return keepAnOwner(actor.workspaceId(), target, null)
                  .then(
                      db.sql(
                              "DELETE FROM identity.memberships"
                                  + " WHERE workspace_id = :w AND user_id = :u")
                          .bind("w", actor.workspaceId())
                          .bind("u", userId)
                          .then())
                  .as(tx::transactional);
            });
  }

  private Mono<Void> keepAnOwner(UUID workspaceId, Member target, Role newRole) {
    if (target.role() != Role.OWNER || newRole == Role.OWNER) {
      return Mono.empty();
    }
    // lock the owners' rows so that two owners cannot both leave at once
    return db.sql(
            "SELECT user_id FROM identity.memberships"
                + " WHERE workspace_id = :w AND role = 'owner' FOR UPDATE")
        .bind("w", workspaceId)
        .map(row -> row.get("user_id", UUID.class))
        .all()
        .count()
        .flatMap(
            owners ->
                owners <= 1
                    ? Mono.error(
                        ApiException.conflict(
                            "last_owner",
                            "A workspace needs at least one owner: make someone else owner first."))
                    : Mono.empty());
  }

  private Mono<Member> memberByEmail(UUID workspaceId, String email) {
    return db.sql(
            "SELECT u.id, u.email, m.role FROM identity.memberships m"
                + " JOIN identity.users u ON u.id = m.user_id"
                + " WHERE m.workspace_id = :w AND u.email = :email")
        .bind("w", workspaceId)
        .bind("email", email)
        .map(AccountService::memberOf)
        .one();
  }

  private Mono<Member> member(UUID workspaceId, UUID userId) {
    return db.sql(
            "SELECT u.id, u.email, m.role FROM identity.memberships m"
                + " JOIN identity.users u ON u.id = m.user_id"
                + " WHERE m.workspace_id = :w AND m.user_id = :u")
        .bind("w", workspaceId)
        .bind("u", userId)
        .map(AccountService::memberOf)
        .one();
  }

  /** Owners manage everyone; admins manage everyone but owners; others manage no one. */
  private static void requireManager(Membership actor, Role affected) {
    boolean allowed =
        actor.role() == Role.OWNER || (actor.role() == Role.ADMIN && affected != Role.OWNER);
    if (!allowed) {
      throw ApiException.forbidden(
          "forbidden_role", "Your role in this workspace does not allow this.");
    }
  }

  private static Member memberOf(Readable row) {
    return new Member(
        row.get("id", UUID.class),
        row.get("email", String.class),
        roleOf(row.get("role", String.class)));
  }

  private static Role roleOf(String claim) {
    return Role.fromClaim(claim).orElseThrow();
  }

  private static String personalWorkspaceName(String email) {
    return email.substring(0, email.indexOf('@')) + "'s workspace";
  }
}

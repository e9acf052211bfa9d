package dev.beacon.chat.external.domain;

import dev.beacon.chat.agent.domain.AgentService;
import dev.beacon.chat.agent.domain.AgentView;
import dev.beacon.chat.external.store.ExternalAgentRepository;
import dev.beacon.chat.external.store.ExternalAgentRow;
import dev.beacon.identity.error.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * A workspace's external agents: register, read, change, archive; and the directory of every agent
 * id of the workspace with its name. An external agent's {@code agent_id} is unique in the
 * workspace, archived or not, and is never the id of one of the workspace's own agents, so each
 * agent id of an event has at most one name.
 */
@Service
public class ExternalAgentService {

  private static final Pattern UUID_TEXT = ExternalAgentInput.KEY_ID;

  private final ExternalAgentRepository repository;
  private final AgentService agents;
  private final IngestKeys keys;
  private final TransactionalOperator tx;
  private final Clock clock;

  ExternalAgentService(
      ExternalAgentRepository repository,
      AgentService agents,
      IngestKeys keys,
      TransactionalOperator tx,
      Clock clock) {
    this.repository = repository;
    this.agents = agents;
    this.keys = keys;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * Registers an external agent from a request body; a named API key is bound to its agent in
   * obs-ingest, in the same transaction as the row (a refusal there stores nothing).
   *
   * @param identityToken the caller's forwarded identity, for obs-ingest's own checks
   */
  public Mono<ExternalAgentView> create(
      String workspaceId, String userId, String identityToken, JsonNode body) {
    Instant now = now();
    ExternalAgentRow base =
        new ExternalAgentRow(
            UUID.randomUUID(), workspaceId, null, null, "", null, null, userId, now, now);
    ExternalAgentRow row = ExternalAgentInput.apply(body, base);
    return notAWorkspaceAgent(workspaceId, row.agentId())
        .then(repository.insert(row).then(relink(identityToken, null, row)).as(tx::transactional))
        .onErrorMap(DuplicateKeyException.class, e -> conflict(e, row))
        .thenReturn(ExternalAgentView.of(row));
  }

  /** The workspace's external agent, archived or not; 404 for an id of another workspace. */
  public Mono<ExternalAgentView> get(String workspaceId, UUID id) {
    return find(workspaceId, id).map(ExternalAgentView::of);
  }

  /** The workspace's external agents, oldest first. */
  public Mono<List<ExternalAgentView>> list(String workspaceId, boolean includeArchived) {
    return repository
        .findByWorkspace(workspaceId, includeArchived)
        .map(ExternalAgentView::of)
        .collectList();
  }

  /**
   * Changes the fields a body names; an archived external agent cannot be changed. A new or changed
   * key link (another key, or the same key for a new {@code agent_id}) is bound in obs-ingest in
   * the same transaction, and a key no longer named is unbound.
   */
  public Mono<ExternalAgentView> update(
      String workspaceId, UUID id, String identityToken, JsonNode body) {
    return find(workspaceId, id)
        .flatMap(
            existing -> {
              if (existing.archivedAt() != null) {
                return Mono.error(
                    ApiException.conflict(
                        "external_agent_archived",
                        "An archived external agent cannot be changed."));
              }
              ExternalAgentRow applied = ExternalAgentInput.apply(body, existing);
              ExternalAgentRow changed = withTimes(applied, applied.archivedAt(), now());
              return notAWorkspaceAgent(workspaceId, changed.agentId())
                  .then(
                      repository
                          .update(changed)
                          .then(relink(identityToken, existing, changed))
                          .as(tx::transactional))
                  .onErrorMap(DuplicateKeyException.class, e -> conflict(e, changed))
                  .thenReturn(ExternalAgentView.of(changed));
            });
  }

  /**
   * Archives an external agent; archiving an archived one changes nothing. Its name is free again;
   * its agent id stays taken, so its old events keep their name in the directory.
   */
  public Mono<ExternalAgentView> archive(String workspaceId, UUID id) {
    return find(workspaceId, id)
        .flatMap(
            existing -> {
              if (existing.archivedAt() != null) {
                return Mono.just(ExternalAgentView.of(existing));
              }
              Instant now = now();
              ExternalAgentRow archived = withTimes(existing, now, now);
              return repository.update(archived).thenReturn(ExternalAgentView.of(archived));
            });
  }

  /**
   * Every agent id of the workspace with its name, archived ones included: the workspace's own
   * agents (oldest first), then its external agents (oldest first).
   */
  public Mono<List<DirectoryEntry>> directory(String workspaceId) {
    Flux<DirectoryEntry> own =
        agents
            .list(workspaceId, true)
            .flatMapIterable(list -> list)
            .map(
                agent ->
                    new DirectoryEntry(
                        agent.id().toString(),
                        agent.name(),
                        DirectoryEntry.WORKSPACE,
                        agent.archived()));
    Flux<DirectoryEntry> external =
        repository
            .findByWorkspace(workspaceId, true)
            .map(
                row ->
                    new DirectoryEntry(
                        row.agentId(),
                        row.name(),
                        DirectoryEntry.EXTERNAL,
                        row.archivedAt() != null));
    return own.concatWith(external).collectList();
  }

  /**
   * The obs-ingest calls that move a registration's key link from {@code before} ({@code null} when
   * new) to {@code after}: the new link is bound first, since that is the call that can be refused
   * (unknown or revoked key, a role that may not), then a key no longer named is unbound.
   */
  private Mono<Void> relink(String identityToken, ExternalAgentRow before, ExternalAgentRow after) {
    UUID oldKey = before == null ? null : before.apiKeyId();
    UUID newKey = after.apiKeyId();
    Mono<Void> calls = Mono.empty();
    if (newKey != null && (!newKey.equals(oldKey) || !after.agentId().equals(before.agentId()))) {
      calls = calls.then(keys.bind(identityToken, newKey, after.agentId()));
    }
    if (oldKey != null && !oldKey.equals(newKey)) {
      calls = calls.then(keys.bind(identityToken, oldKey, null));
    }
    return calls;
  }

  /** 404 {@code not_found}: the same answer for an unknown id and another workspace's. */
  public static ApiException notFound() {
    return ApiException.notFound("not_found", "No such external agent in this workspace.");
  }

  /** 409 {@code agent_id_taken} when the id is one of the workspace's own agents' (any case). */
  private Mono<Void> notAWorkspaceAgent(String workspaceId, String agentId) {
    if (!UUID_TEXT.matcher(agentId).matches()) {
      return Mono.empty();
    }
    return agents
        .get(workspaceId, UUID.fromString(agentId))
        .map(AgentView::name)
        .onErrorResume(
            ApiException.class,
            e -> e.status() == HttpStatus.NOT_FOUND ? Mono.empty() : Mono.error(e))
        .flatMap(
            name ->
                Mono.error(
                    agentIdTaken(
                        "'"
                            + agentId
                            + "' is the id of this workspace's agent '"
                            + name
                            + "'; its events already have that name.")));
  }

  private Mono<ExternalAgentRow> find(String workspaceId, UUID id) {
    return repository
        .find(workspaceId, id)
        .switchIfEmpty(Mono.error(ExternalAgentService::notFound));
  }

  private static ApiException conflict(DuplicateKeyException e, ExternalAgentRow row) {
    if (ExternalAgentRepository.isApiKeyConflict(e)) {
      return ApiException.conflict(
              "api_key_linked",
              "This API key is already linked to another external agent of this workspace; a key"
                  + " speaks for one agent.")
          .with("field", "api_key_id");
    }
    if (ExternalAgentRepository.isAgentIdConflict(e)) {
      return agentIdTaken(
          "This workspace already has an external agent with agent_id '" + row.agentId() + "'.");
    }
    return ApiException.conflict(
            "external_agent_name_taken",
            "This workspace already has an external agent named '" + row.name() + "'.")
        .with("field", "name");
  }

  private static ApiException agentIdTaken(String message) {
    return ApiException.conflict("agent_id_taken", message).with("field", "agent_id");
  }

  private static ExternalAgentRow withTimes(
      ExternalAgentRow row, Instant archivedAt, Instant updatedAt) {
    return new ExternalAgentRow(
        row.id(),
        row.workspaceId(),
        row.name(),
        row.agentId(),
        row.description(),
        row.apiKeyId(),
        archivedAt,
        row.createdBy(),
        row.createdAt(),
        updatedAt);
  }

  /** Microseconds, as PostgreSQL keeps them, so an answer equals what a later read returns. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}

package dev.beacon.chat.agent.domain;

import dev.beacon.chat.agent.store.AgentRepository;
import dev.beacon.chat.agent.store.AgentRow;
import dev.beacon.chat.provider.domain.ProviderSettingsService;
import dev.beacon.identity.error.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * A workspace's agents: create, read, change and archive. Agents are never deleted (their ids are
 * in the event log); an archived agent keeps its id and frees its name.
 */
@Service
public class AgentService {

  private final AgentRepository repository;
  private final Clock clock;
  private final ProviderSettingsService providers;

  AgentService(AgentRepository repository, Clock clock, ProviderSettingsService providers) {
    this.repository = repository;
    this.clock = clock;
    this.providers = providers;
  }

  /** Creates an agent from a request body. */
  public Mono<AgentView> create(String workspaceId, String userId, JsonNode body) {
    Instant now = now();
    AgentRow base =
        new AgentRow(
            UUID.randomUUID(),
            workspaceId,
            null,
            "",
            "",
            null,
            null,
            null,
            null,
            List.of(),
            null,
            userId,
            now,
            now);
    AgentRow row = AgentInput.apply(body, base, providers::isSelectable);
    return repository
        .insert(row)
        .onErrorMap(DuplicateKeyException.class, e -> duplicateName(row.name()))
        .thenReturn(AgentView.of(row));
  }

  /** The workspace's agent, archived or not; 404 for an id of another workspace. */
  public Mono<AgentView> get(String workspaceId, UUID id) {
    return find(workspaceId, id).map(AgentView::of);
  }

  /** The workspace's agents, oldest first. */
  public Mono<List<AgentView>> list(String workspaceId, boolean includeArchived) {
    return repository
        .findByWorkspace(workspaceId, includeArchived)
        .map(AgentView::of)
        .collectList();
  }

  /** Changes the fields a body names; an archived agent cannot be changed. */
  public Mono<AgentView> update(String workspaceId, UUID id, JsonNode body) {
    return find(workspaceId, id)
        .flatMap(
            existing -> {
              if (existing.archivedAt() != null) {
                return Mono.error(
                    ApiException.conflict(
                        "agent_archived", "An archived agent cannot be changed."));
              }
              AgentRow changed =
                  withUpdatedAt(AgentInput.apply(body, existing, providers::isSelectable), now());
              return repository
                  .update(changed)
                  .onErrorMap(DuplicateKeyException.class, e -> duplicateName(changed.name()))
                  .thenReturn(AgentView.of(changed));
            });
  }

  /** Archives an agent; archiving an archived agent changes nothing. */
  public Mono<AgentView> archive(String workspaceId, UUID id) {
    return find(workspaceId, id)
        .flatMap(
            existing -> {
              if (existing.archivedAt() != null) {
                return Mono.just(AgentView.of(existing));
              }
              Instant now = now();
              AgentRow archived =
                  new AgentRow(
                      existing.id(),
                      existing.workspaceId(),
                      existing.name(),
                      existing.description(),
                      existing.systemPrompt(),
                      existing.provider(),
                      existing.model(),
                      existing.temperature(),
                      existing.maxTokens(),
                      existing.tools(),
                      now,
                      existing.createdBy(),
                      existing.createdAt(),
                      now);
              return repository.update(archived).thenReturn(AgentView.of(archived));
            });
  }

  private Mono<AgentRow> find(String workspaceId, UUID id) {
    return repository.find(workspaceId, id).switchIfEmpty(Mono.error(AgentService::notFound));
  }

  /** 404 {@code not_found}: the same answer for an unknown id and another workspace's agent. */
  public static ApiException notFound() {
    return ApiException.notFound("not_found", "No such agent in this workspace.");
  }

  private static ApiException duplicateName(String name) {
    return ApiException.conflict(
            "duplicate_agent_name", "This workspace already has an agent named '" + name + "'.")
        .with("field", "name");
  }

  private static AgentRow withUpdatedAt(AgentRow row, Instant at) {
    return new AgentRow(
        row.id(),
        row.workspaceId(),
        row.name(),
        row.description(),
        row.systemPrompt(),
        row.provider(),
        row.model(),
        row.temperature(),
        row.maxTokens(),
        row.tools(),
        row.archivedAt(),
        row.createdBy(),
        row.createdAt(),
        at);
  }

  /** Microseconds, as PostgreSQL keeps them, so an answer equals what a later read returns. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}

package dev.beacon.chat.approval.domain;

import dev.beacon.chat.agent.domain.AgentService;
import dev.beacon.chat.agent.domain.AgentView;
import dev.beacon.chat.approval.store.ApprovalRepository;
import dev.beacon.chat.approval.store.ApprovalRow;
import dev.beacon.chat.config.ChatProperties;
import dev.beacon.chat.events.ChatEvents;
import dev.beacon.chat.events.RunRef;
import dev.beacon.events.ActionState;
import dev.beacon.identity.error.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Moves approval requests through their states and publishes each state as an {@code action} event
 * (kind = the tool's name, action id = the approval's id). A decision is a conditional update, so
 * two people deciding at once give one decision and one 409.
 */
@Service
public class ApprovalService {

  public static final Set<String> STATES =
      Set.of("pending", "approved", "rejected", "expired", "executed", "failed");

  /** The longest rejection reason kept. */
  public static final int MAX_REASON = 1000;

  private final ApprovalRepository repository;
  private final AgentService agents;
  private final ChatEvents events;
  private final ApplicationEventPublisher publisher;
  private final Clock clock;
  private final Duration ttl;

  ApprovalService(
      ApprovalRepository repository,
      AgentService agents,
      ChatEvents events,
      ApplicationEventPublisher publisher,
      Clock clock,
      ChatProperties properties) {
    this.repository = repository;
    this.agents = agents;
    this.events = events;
    this.publisher = publisher;
    this.clock = clock;
    this.ttl = properties.approvals().ttl();
  }

  /** Asks for a decision on a write tool call: a pending approval and a {@code proposed} event. */
  public Mono<ApprovalRow> request(
      RunRef run, UUID conversationId, String toolCallId, String tool, String argumentsJson) {
    Instant now = now();
    ApprovalRow row =
        new ApprovalRow(
            UUID.randomUUID(),
            run.workspaceId(),
            conversationId,
            UUID.fromString(run.agentId()),
            UUID.fromString(run.runId()),
            run.traceId(),
            run.spanId(),
            toolCallId,
            tool,
            argumentsJson,
            "pending",
            now,
            now.plus(ttl),
            null,
            null,
            null,
            null);
    return repository
        .insert(row)
        .doOnSuccess(done -> events.action(run, row.id(), tool, ActionState.PROPOSED, false, null))
        .thenReturn(row);
  }

  public Mono<List<ApprovalView>> list(String workspaceId, String state, UUID agentId, int limit) {
    if (state != null && !STATES.contains(state)) {
      return Mono.error(
          ApiException.badRequest(
                  "invalid_request",
                  "state must be one of " + String.join(", ", STATES.stream().sorted().toList()))
              .with("field", "state"));
    }
    return views(workspaceId, repository.list(workspaceId, state, agentId, limit));
  }

  /** Every approval of a conversation, any state. */
  public Mono<List<ApprovalView>> forConversation(String workspaceId, UUID conversationId) {
    return views(workspaceId, repository.forConversation(conversationId));
  }

  /** The approvals of one turn, oldest first. */
  public Flux<ApprovalRow> forRun(UUID conversationId, UUID runId) {
    return repository.forRun(conversationId, runId);
  }

  public Mono<ApprovalView> get(String workspaceId, UUID id) {
    return repository
        .find(workspaceId, id)
        .switchIfEmpty(Mono.error(ApprovalService::notFound))
        .flatMap(row -> view(workspaceId, row));
  }

  /** pending → approved; the turn goes on once none of its approvals is pending. */
  public Mono<ApprovalView> approve(String workspaceId, String userId, UUID id) {
    return decide(workspaceId, userId, id, "approved", null, ActionState.APPROVED);
  }

  /** pending → rejected with an optional reason, which the model is told. */
  public Mono<ApprovalView> reject(String workspaceId, String userId, UUID id, String reason) {
    String kept = reason == null || reason.isBlank() ? null : reason.strip();
    if (kept != null && kept.codePointCount(0, kept.length()) > MAX_REASON) {
      return Mono.error(
          ApiException.badRequest(
                  "invalid_request", "reason must be at most " + MAX_REASON + " characters")
              .with("field", "reason"));
    }
    return decide(workspaceId, userId, id, "rejected", kept, ActionState.REJECTED);
  }

  private Mono<ApprovalView> decide(
      String workspaceId, String userId, UUID id, String state, String reason, ActionState event) {
    return repository
        .decide(workspaceId, id, state, userId, now(), reason)
        .switchIfEmpty(
            Mono.defer(
                () ->
                    repository
                        .find(workspaceId, id)
                        .switchIfEmpty(Mono.error(ApprovalService::notFound))
                        .flatMap(
                            current ->
                                Mono.error(
                                    ApiException.conflict(
                                            "approval_decided",
                                            "This approval is not pending any more: it is "
                                                + current.state()
                                                + ".")
                                        .with("state", current.state())))))
        .doOnNext(
            decided -> {
              events.action(runOf(decided), decided.id(), decided.tool(), event, false, userId);
              publisher.publishEvent(new ApprovalDecided(decided));
            })
        .flatMap(decided -> view(workspaceId, decided));
  }

  /**
   * Expires every request due now; each gets a {@code rejected} event with {@code expired: true}
   * and its turn goes on.
   */
  public Mono<Long> expireDue() {
    return expireDue(now());
  }

  /** Expires every request due at {@code at}. */
  public Mono<Long> expireDue(Instant at) {
    return repository
        .expireDue(at)
        .doOnNext(
            expired -> {
              events.action(
                  runOf(expired), expired.id(), expired.tool(), ActionState.REJECTED, true, null);
              publisher.publishEvent(new ApprovalDecided(expired));
            })
        .count();
  }

  /** approved → executed or failed once the tool ran, with its result. */
  public Mono<ApprovalRow> finish(ApprovalRow approved, boolean ok, String result) {
    return repository
        .finish(approved.id(), ok ? "executed" : "failed", result)
        .doOnNext(
            done ->
                events.action(
                    runOf(done),
                    done.id(),
                    done.tool(),
                    ok ? ActionState.EXECUTED : ActionState.FAILED,
                    false,
                    null));
  }

  private static RunRef runOf(ApprovalRow row) {
    return new RunRef(
        row.workspaceId(),
        row.agentId().toString(),
        row.runId().toString(),
        row.runTraceId(),
        row.runSpanId());
  }

  private Mono<List<ApprovalView>> views(String workspaceId, Flux<ApprovalRow> rows) {
    return names(workspaceId)
        .flatMap(
            names -> rows.map(row -> ApprovalView.of(row, names.get(row.agentId()))).collectList());
  }

  /** One approval with its agent's name (the agent is looked up alone, archived or not). */
  private Mono<ApprovalView> view(String workspaceId, ApprovalRow row) {
    return agents
        .get(workspaceId, row.agentId())
        .map(agent -> ApprovalView.of(row, agent.name()))
        .onErrorResume(ApiException.class, e -> Mono.just(ApprovalView.of(row, null)));
  }

  private Mono<Map<UUID, String>> names(String workspaceId) {
    return agents
        .list(workspaceId, true)
        .map(
            list ->
                list.stream()
                    .collect(Collectors.toMap(AgentView::id, AgentView::name, (a, b) -> a)));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  public static ApiException notFound() {
    return ApiException.notFound("not_found", "No such approval in this workspace.");
  }
}

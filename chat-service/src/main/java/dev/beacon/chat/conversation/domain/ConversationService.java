package dev.beacon.chat.conversation.domain;

import dev.beacon.chat.agent.domain.AgentService;
import dev.beacon.chat.agent.domain.AgentView;
import dev.beacon.chat.approval.domain.ApprovalDecided;
import dev.beacon.chat.approval.domain.ApprovalService;
import dev.beacon.chat.approval.store.ApprovalRow;
import dev.beacon.chat.conversation.store.ConversationRepository;
import dev.beacon.chat.conversation.store.ConversationRow;
import dev.beacon.chat.conversation.store.MessageRow;
import dev.beacon.chat.events.ChatEvents;
import dev.beacon.chat.events.RunRef;
import dev.beacon.chat.llm.ChatModels;
import dev.beacon.chat.tool.ToolCatalog;
import dev.beacon.chat.tool.ToolSpec;
import dev.beacon.identity.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Conversations and their turns. A turn runs detached from the request that started it: the answer
 * streams to that request, and a client that goes away does not stop the turn, whose messages are
 * stored either way; {@link #follow} joins a running turn. One turn per conversation at a time (a
 * conditional update), and one replica runs turns (the live stream is in memory).
 */
@Service
public class ConversationService {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);

  /** The longest user message, in characters. */
  public static final int MAX_MESSAGE = 32_000;

  private static final int TITLE_LENGTH = 80;

  private final ConversationRepository conversations;
  private final AgentService agents;
  private final ChatModels models;
  private final ToolCatalog tools;
  private final ApprovalService approvals;
  private final TurnEngine engine;
  private final ChatEvents events;
  private final Clock clock;
  private final Map<UUID, Sinks.Many<TurnEvent>> live = new ConcurrentHashMap<>();

  /** Starting a turn and storing its user message commit together, or neither does. */
  private final TransactionalOperator tx;

  ConversationService(
      ConversationRepository conversations,
      AgentService agents,
      ChatModels models,
      ToolCatalog tools,
      ApprovalService approvals,
      TurnEngine engine,
      ChatEvents events,
      TransactionalOperator tx,
      Clock clock) {
    this.tx = tx;
    this.conversations = conversations;
    this.agents = agents;
    this.models = models;
    this.tools = tools;
    this.approvals = approvals;
    this.engine = engine;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Turns that were running when the service stopped cannot go on: their conversations unlock, and
   * each such turn stops with {@code turn_interrupted}, so whoever waits for its stop hears of it.
   */
  @EventListener(ApplicationReadyEvent.class)
  void releaseInterruptedTurns() {
    Long released =
        conversations
            .running()
            .concatMap(
                conversation -> engine.interrupted(conversation).filter(Boolean::booleanValue))
            .count()
            .block();
    if (released != null && released > 0) {
      log.info("Released {} conversation(s) whose turn a restart interrupted", released);
    }
  }

  public Mono<ConversationView> create(
      String workspaceId, String userId, UUID agentId, String title) {
    return agents
        .get(workspaceId, agentId)
        .onErrorMap(
            ApiException.class,
            e ->
                ApiException.notFound("agent_not_found", "No such agent in this workspace.")
                    .with("field", "agent_id"))
        .flatMap(
            agent -> {
              if (agent.archived()) {
                return Mono.error(
                    ApiException.conflict(
                        "agent_archived", "The agent is archived: it takes no new conversations."));
              }
              Instant now = now();
              ConversationRow row =
                  new ConversationRow(
                      UUID.randomUUID(),
                      workspaceId,
                      agentId,
                      title == null ? "" : title,
                      ConversationRow.IDLE,
                      null,
                      null,
                      null,
                      null,
                      0,
                      0,
                      0,
                      userId,
                      now,
                      now);
              return conversations.insert(row).thenReturn(ConversationView.of(row, agent.name()));
            });
  }

  /** A page of conversations, latest activity first, and the cursor of the next page. */
  public Mono<Map<String, Object>> list(
      String workspaceId, UUID agentId, String cursor, int limit) {
    Cursor after = cursor == null ? null : Cursor.decode(cursor);
    return names(workspaceId)
        .flatMap(
            names ->
                conversations
                    .list(
                        workspaceId,
                        agentId,
                        after == null ? null : after.updatedAt(),
                        after == null ? null : after.id(),
                        limit + 1)
                    .collectList()
                    .map(
                        rows -> {
                          List<ConversationRow> page =
                              rows.subList(0, Math.min(limit, rows.size()));
                          Map<String, Object> body = new LinkedHashMap<>();
                          body.put(
                              "conversations",
                              page.stream()
                                  .map(r -> ConversationView.of(r, names.get(r.agentId())))
                                  .toList());
                          ConversationRow last = page.isEmpty() ? null : page.get(page.size() - 1);
                          body.put(
                              "next_cursor",
                              rows.size() > limit && last != null
                                  ? new Cursor(last.updatedAt(), last.id()).encode()
                                  : null);
                          return body;
                        }));
  }

  /** A conversation with its messages and approvals. */
  public Mono<Map<String, Object>> get(String workspaceId, UUID id) {
    return find(workspaceId, id)
        .flatMap(
            row ->
                Mono.zip(
                        names(workspaceId),
                        conversations.messages(id).collectList(),
                        approvals.forConversation(workspaceId, id))
                    .map(
                        parts -> {
                          Map<String, Object> body = new LinkedHashMap<>();
                          body.put(
                              "conversation",
                              ConversationView.of(row, parts.getT1().get(row.agentId())));
                          body.put("messages", MessageView.of(parts.getT2()));
                          body.put("approvals", parts.getT3());
                          return body;
                        }));
  }

  /**
   * The user's message starts a turn; the answer streams back. Refusals that need no turn (no such
   * conversation, a provider not configured, a turn already running) come as plain errors before
   * any event.
   */
  public Mono<Flux<TurnEvent>> send(String workspaceId, String userId, UUID id, String content) {
    if (content == null || content.isBlank()) {
      return Mono.error(
          ApiException.badRequest("invalid_message", "content must not be empty")
              .with("field", "content"));
    }
    if (content.indexOf('\u0000') >= 0) {
      // PostgreSQL text cannot hold it; refused here rather than failing the stored turn
      return Mono.error(
          ApiException.badRequest("invalid_message", "content must not contain NUL characters")
              .with("field", "content"));
    }
    if (content.codePointCount(0, content.length()) > MAX_MESSAGE) {
      return Mono.error(
          ApiException.badRequest(
                  "invalid_message", "content must be at most " + MAX_MESSAGE + " characters")
              .with("field", "content"));
    }
    UUID runId = UUID.randomUUID();
    return find(workspaceId, id)
        .flatMap(
            conversation ->
                agents
                    .get(workspaceId, conversation.agentId())
                    .flatMap(
                        agent -> {
                          RunRef run =
                              new RunRef(
                                  workspaceId,
                                  agent.id().toString(),
                                  runId.toString(),
                                  RunRef.newTraceId(),
                                  RunRef.newSpanId());
                          Instant startedAt = now();
                          return prepare(
                                  workspaceId, userId, conversation, agent, run, startedAt, 0, 0, 0)
                              .flatMap(
                                  turn ->
                                      conversations
                                          .startTurn(
                                              workspaceId,
                                              id,
                                              runId,
                                              run.traceId(),
                                              run.spanId(),
                                              startedAt)
                                          .flatMap(
                                              started ->
                                                  started
                                                      ? userMessage(turn, conversation, content)
                                                      : Mono.error(turnInProgress()))
                                          .as(tx::transactional));
                        }))
        .map(
            started -> {
              events.runStart(
                  started.turn().run,
                  Map.of(
                      "conversation_id", id.toString(), "agent_name", started.turn().agent.name()));
              return detach(id, engine.begin(started.turn(), started.message()));
            });
  }

  private record Started(Turn turn, MessageRow message) {}

  private Mono<Started> userMessage(Turn turn, ConversationRow conversation, String content) {
    MessageRow row = MessageRow.user(conversation.id(), turn.runId(), content, now());
    Mono<Void> titled =
        conversation.title().isEmpty()
            ? conversations.setTitle(conversation.id(), title(content))
            : Mono.empty();
    return titled.then(conversations.append(row)).map(stored -> new Started(turn, stored));
  }

  /** Joins the conversation's running turn; when none runs, one {@code done} with its state. */
  public Mono<Flux<TurnEvent>> follow(String workspaceId, UUID id) {
    return find(workspaceId, id)
        .map(
            conversation -> {
              Sinks.Many<TurnEvent> running = live.get(id);
              if (running != null) {
                return running.asFlux();
              }
              Map<String, Object> done = new LinkedHashMap<>();
              done.put("run_id", conversation.lastRunId());
              done.put("state", conversation.state());
              done.put("usage", null);
              return Flux.just(new TurnEvent("done", done));
            });
  }

  /** An approval was decided: when none of its turn's approvals is pending, the turn goes on. */
  @EventListener
  void onApprovalDecided(ApprovalDecided decided) {
    ApprovalRow approval = decided.approval();
    approvals
        .forRun(approval.conversationId(), approval.runId())
        .any(a -> a.state().equals("pending"))
        .filter(pending -> !pending)
        .flatMap(none -> resume(approval))
        .subscribe(
            ignored -> {},
            e ->
                log.warn(
                    "Conversation {} could not resume after an approval: {}",
                    approval.conversationId(),
                    e.toString()));
  }

  private Mono<Boolean> resume(ApprovalRow approval) {
    Instant now = now();
    return conversations
        .resumeTurn(approval.conversationId(), approval.runId(), now)
        .filter(Boolean::booleanValue)
        .flatMap(resumed -> conversations.find(approval.workspaceId(), approval.conversationId()))
        .flatMap(
            conversation -> {
              RunRef run = TurnEngine.run(conversation, approval.workspaceId());
              String user =
                  approval.decidedBy() != null ? approval.decidedBy() : conversation.createdBy();
              return agents
                  .get(approval.workspaceId(), conversation.agentId())
                  .flatMap(
                      agent ->
                          prepare(
                              approval.workspaceId(),
                              user,
                              conversation,
                              agent,
                              run,
                              conversation.runStartedAt() == null
                                  ? now
                                  : conversation.runStartedAt(),
                              conversation.runModelCalls(),
                              conversation.runToolCalls(),
                              conversation.runStops()))
                  .map(turn -> detach(conversation.id(), engine.resume(turn)))
                  .onErrorResume(
                      ApiException.class,
                      e ->
                          Mono.just(
                              detach(
                                  conversation.id(),
                                  engine.abandon(
                                      new Turn(
                                          approval.workspaceId(),
                                          user,
                                          conversation.id(),
                                          null,
                                          null,
                                          run,
                                          conversation.runStartedAt() == null
                                              ? now
                                              : conversation.runStartedAt(),
                                          Map.of(),
                                          conversation.runModelCalls(),
                                          conversation.runToolCalls(),
                                          conversation.runStops()),
                                      e.code(),
                                      e.getMessage()))));
            })
        .map(flux -> true);
  }

  private Mono<Turn> prepare(
      String workspaceId,
      String userId,
      ConversationRow conversation,
      AgentView agent,
      RunRef run,
      Instant startedAt,
      int modelCalls,
      int toolCalls,
      int stops) {
    List<String> names = agent.tools().stream().map(AgentView.Tool::name).toList();
    return models
        .forAgent(workspaceId, agent)
        .zipWith(tools.find(workspaceId, userId, names))
        .map(
            both -> {
              Map<String, ToolSpec> byFunction = new LinkedHashMap<>();
              for (ToolSpec spec : both.getT2().values()) {
                byFunction.putIfAbsent(OfferedTool.functionName(spec.name()), spec);
              }
              return new Turn(
                  workspaceId,
                  userId,
                  conversation.id(),
                  agent,
                  both.getT1(),
                  run,
                  startedAt,
                  byFunction,
                  modelCalls,
                  toolCalls,
                  stops);
            });
  }

  /**
   * Runs the turn on its own: every event is kept for whoever follows (the request that started it,
   * or {@link #follow}), and a subscriber that leaves does not cancel it.
   */
  private Flux<TurnEvent> detach(UUID conversationId, Flux<TurnEvent> turn) {
    Sinks.Many<TurnEvent> sink = Sinks.many().replay().all();
    live.put(conversationId, sink);
    turn.doFinally(signal -> live.remove(conversationId, sink))
        .subscribe(
            event ->
                sink.emitNext(
                    event, Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofSeconds(1))),
            error -> sink.tryEmitError(error),
            sink::tryEmitComplete);
    return sink.asFlux();
  }

  private Mono<ConversationRow> find(String workspaceId, UUID id) {
    return conversations
        .find(workspaceId, id)
        .switchIfEmpty(Mono.error(ConversationService::notFound));
  }

  private Mono<Map<UUID, String>> names(String workspaceId) {
    return agents
        .list(workspaceId, true)
        .map(
            list ->
                list.stream()
                    .collect(Collectors.toMap(AgentView::id, AgentView::name, (a, b) -> a)));
  }

  private static String title(String content) {
    String line = content.strip().replaceAll("\\s+", " ");
    if (line.codePointCount(0, line.length()) <= TITLE_LENGTH) {
      return line;
    }
    return line.substring(0, line.offsetByCodePoints(0, TITLE_LENGTH - 1)) + "…";
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  public static ApiException notFound() {
    return ApiException.notFound("not_found", "No such conversation in this workspace.");
  }

  static ApiException turnInProgress() {
    return ApiException.conflict(
        "turn_in_progress",
        "A turn of this conversation is running or waits for an approval; send the next message after it.");
  }

  /** The keyset cursor of the conversation list: the last row's (updated_at, id). */
  record Cursor(Instant updatedAt, UUID id) {

    String encode() {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString((updatedAt + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor) {
      try {
        String[] parts =
            new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                .split("\\|", 2);
        return new Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
      } catch (RuntimeException e) {
        throw ApiException.badRequest("invalid_cursor", "The cursor is not one this API gave.")
            .with("field", "cursor");
      }
    }
  }
}

package dev.beacon.chat.conversation.domain;

import dev.beacon.chat.approval.domain.ApprovalService;
import dev.beacon.chat.approval.domain.ApprovalView;
import dev.beacon.chat.approval.store.ApprovalRow;
import dev.beacon.chat.config.ChatProperties;
import dev.beacon.chat.conversation.store.ConversationRepository;
import dev.beacon.chat.conversation.store.ConversationRow;
import dev.beacon.chat.conversation.store.MessageRow;
import dev.beacon.chat.conversation.store.TurnStopRow;
import dev.beacon.chat.events.ChatEvents;
import dev.beacon.chat.events.RunRef;
import dev.beacon.chat.events.TokenUsage;
import dev.beacon.chat.llm.ModelCallException;
import dev.beacon.chat.llm.ModelCalls;
import dev.beacon.chat.llm.ModelChunk;
import dev.beacon.chat.tool.ToolOutcome;
import dev.beacon.chat.tool.ToolSpec;
import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.events.ErrorDetails;
import dev.beacon.events.TurnStop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tool loop of one turn. Each step: stream the model's answer over the conversation so far,
 * store it, then run its tool calls in order — read tools (and write tools the agent lets run
 * freely) at once, write tools whose policy needs approval as approval requests — and go on until
 * the model answers without tools. Bounded by {@code beacon.chat.loop.*}; a tool's failure is a
 * result for the model; a provider's failure ends the turn with a clear message stored on the
 * conversation. Every step publishes its event, and every stop — the turn ends or pauses for
 * approvals — is written to the turn-stops outbox together with the conversation's new state.
 */
@Component
class TurnEngine {

  private static final Logger log = LoggerFactory.getLogger(TurnEngine.class);
  private static final JsonMapper JSON = JsonMapper.shared();

  /** The code of a hosted call refused because the workspace's credits are used up. */
  static final String HOSTED_CREDITS_EXHAUSTED = "hosted_credits_exhausted";

  private final ConversationRepository conversations;
  private final ApprovalService approvals;
  private final dev.beacon.chat.tool.ToolCatalog tools;
  private final ModelCalls models;
  private final ChatEvents events;
  private final Clock clock;
  private final ChatProperties.Loop limits;
  private final WorkspaceEntitlements entitlements;
  private final ApplicationEventPublisher publisher;

  TurnEngine(
      ConversationRepository conversations,
      ApprovalService approvals,
      dev.beacon.chat.tool.ToolCatalog tools,
      ModelCalls models,
      ChatEvents events,
      Clock clock,
      ChatProperties properties,
      WorkspaceEntitlements entitlements,
      ApplicationEventPublisher publisher) {
    this.entitlements = entitlements;
    this.publisher = publisher;
    this.conversations = conversations;
    this.approvals = approvals;
    this.tools = tools;
    this.models = models;
    this.events = events;
    this.clock = clock;
    this.limits = properties.loop();
  }

  /** A new turn after the user's (stored) message. */
  Flux<TurnEvent> begin(Turn turn, MessageRow userMessage) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("run_id", turn.run.runId());
    run.put("trace_id", turn.run.traceId());
    run.put("conversation_id", turn.conversationId);
    run.put("message", MessageView.of(userMessage));
    return guarded(turn, Flux.just(new TurnEvent("run", run)).concatWith(step(turn)));
  }

  /**
   * A turn that waited for approvals goes on: approved calls run, rejected and expired ones are
   * told to the model as such, then the loop continues.
   */
  Flux<TurnEvent> resume(Turn turn) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("run_id", turn.run.runId());
    run.put("trace_id", turn.run.traceId());
    run.put("conversation_id", turn.conversationId);
    run.put("message", null);
    Flux<TurnEvent> settled =
        conversations
            .messages(turn.conversationId)
            .filter(m -> m.role().equals("tool") && m.runId().equals(turn.runId()))
            .map(MessageRow::toolCallId)
            .collect(Collectors.toSet())
            .flatMapMany(
                answered ->
                    approvals
                        .forRun(turn.conversationId, turn.runId())
                        .filter(a -> !answered.contains(a.toolCallId()))
                        .concatMap(a -> settle(turn, a)));
    return guarded(
        turn, Flux.just(new TurnEvent("run", run)).concatWith(settled).concatWith(step(turn)));
  }

  /** A turn that cannot go on at all (its agent or provider is gone): stored, told, ended. */
  Flux<TurnEvent> abandon(Turn turn, String code, String message) {
    return fail(turn, code, message, null, null);
  }

  private Flux<TurnEvent> settle(Turn turn, ApprovalRow approval) {
    ToolSpec spec =
        turn.tools.values().stream()
            .filter(t -> t.name().equals(approval.tool()))
            .findFirst()
            .orElse(null);
    return switch (approval.state()) {
      case "approved" -> {
        if (spec == null) {
          decided(turn, approval, "failed");
          yield approvals
              .finish(approval, false, "The tool is not available to the agent any more.")
              .thenMany(
                  toolMessage(
                      turn,
                      approval.toolCallId(),
                      approval.tool(),
                      "error: the tool is not available to the agent any more",
                      "error"));
        }
        yield execute(turn, approval.toolCallId(), spec, parse(approval.arguments()), approval);
      }
      case "rejected" -> {
        decided(turn, approval, "rejected");
        yield toolMessage(
            turn,
            approval.toolCallId(),
            approval.tool(),
            "rejected: a person rejected this call"
                + (approval.reason() == null ? "." : ": " + approval.reason())
                + " It was not executed.",
            "rejected");
      }
      case "expired" -> {
        decided(turn, approval, "expired");
        yield toolMessage(
            turn,
            approval.toolCallId(),
            approval.tool(),
            "expired: nobody approved this call in time. It was not executed.",
            "expired");
      }
      default -> Flux.empty();
    };
  }

  /** Remembers how an approval of the turn ended, for the turn's stop. */
  private static void decided(Turn turn, ApprovalRow approval, String state) {
    turn.decisions.add(
        new TurnStop.Decision(
            approval.id().toString(),
            approval.tool(),
            state,
            state.equals("rejected") ? approval.reason() : null));
  }

  /** One model call and what follows from its answer. */
  private Flux<TurnEvent> step(Turn turn) {
    return Flux.defer(
        () -> {
          if (turn.modelCalls >= limits.maxModelCalls()) {
            return fail(
                turn,
                "loop_limit",
                "The agent stopped after "
                    + limits.maxModelCalls()
                    + " model calls in one turn without a final answer.",
                null,
                null);
          }
          if (turn.model.hosted() && !entitlements.of(turn.workspaceId).hostedLlmAllowed()) {
            return fail(turn, HOSTED_CREDITS_EXHAUSTED, creditsExhausted(turn), null, null);
          }
          turn.modelCalls++;
          return conversations
              .messages(turn.conversationId)
              .collectList()
              .flatMapMany(
                  rows ->
                      models.stream(
                              turn.model,
                              turn.model.prompt(
                                  PromptHistory.of(
                                      rows,
                                      turn.model.provider().family()
                                          == dev.beacon.chat.provider.domain.ProviderFamily
                                              .GOOGLE_GENAI),
                                  turn.offered))
                          .concatMap(
                              chunk ->
                                  chunk instanceof ModelChunk.Text text
                                      ? Flux.just(
                                          new TurnEvent("delta", Map.of("text", text.delta())))
                                      : answered(turn, (ModelChunk.Done) chunk, usedCallIds(rows))))
              .onErrorResume(
                  ModelCallException.class,
                  e -> {
                    String message = message(turn, e);
                    events.llmCall(
                        turn.run,
                        turn.model.provider().id(),
                        turn.model.model(),
                        turn.model.hosted(),
                        TokenUsage.NONE,
                        0,
                        new ErrorDetails(e.code(), message));
                    return fail(turn, e.code(), message, null, null);
                  });
        });
  }

  /**
   * The message of a failed model call; a hosted key refused is the platform's problem, not a key
   * the workspace can check.
   */
  private static String message(Turn turn, ModelCallException e) {
    if (turn.model.hosted() && e.code().equals("provider_key_refused")) {
      String name = turn.model.provider().displayName();
      return name
          + " refused Beacon's hosted key. Try again later, or add your own "
          + name
          + " API key under Settings → Model providers.";
    }
    return e.getMessage();
  }

  /** The message of a hosted call refused for credits: where to buy them, or how to go without. */
  private static String creditsExhausted(Turn turn) {
    String name = turn.model.provider().displayName();
    return "This workspace has used up its hosted credits, so Beacon did not call "
        + name
        + " with its hosted key. Buy credits on the Billing page (/billing), or add your own "
        + name
        + " API key under Settings → Model providers.";
  }

  /** The tool call ids the conversation has used: a model that repeats one gets a fresh one. */
  private static java.util.Set<String> usedCallIds(java.util.List<MessageRow> rows) {
    java.util.Set<String> used = new java.util.HashSet<>();
    for (MessageRow row : rows) {
      if (row.toolCallId() != null) {
        used.add(row.toolCallId());
      }
      PromptHistory.toolCalls(row.toolCalls()).forEach(call -> used.add(call.id()));
    }
    return used;
  }

  private static java.util.List<AssistantMessage.ToolCall> uniqueIds(
      java.util.List<AssistantMessage.ToolCall> calls, java.util.Set<String> used) {
    java.util.List<AssistantMessage.ToolCall> unique = new java.util.ArrayList<>();
    for (AssistantMessage.ToolCall call : calls) {
      String id = call.id();
      for (int n = 2; used.contains(id); n++) {
        id = call.id() + "_" + n;
      }
      used.add(id);
      unique.add(new AssistantMessage.ToolCall(id, call.type(), call.name(), call.arguments()));
    }
    return unique;
  }

  private Flux<TurnEvent> answered(
      Turn turn, ModelChunk.Done answer, java.util.Set<String> usedCallIds) {
    ModelChunk.Done done =
        new ModelChunk.Done(
            answer.text(),
            uniqueIds(answer.toolCalls(), usedCallIds),
            answer.usage(),
            answer.durationMs());
    events.llmCall(
        turn.run,
        turn.model.provider().id(),
        turn.model.model(),
        turn.model.hosted(),
        done.usage(),
        done.durationMs(),
        null);
    turn.usage = turn.usage.plus(done.usage());
    if (done.text() != null && !done.text().isBlank()) {
      turn.answer = done.text();
    }
    ArrayNode calls = JSON.createArrayNode();
    for (AssistantMessage.ToolCall call : done.toolCalls()) {
      ToolSpec spec = turn.tools.get(call.name());
      ObjectNode stored = calls.addObject();
      stored.put("id", call.id());
      stored.put("name", spec == null ? call.name() : spec.name());
      stored.set("arguments", argumentsNode(call.arguments()));
    }
    MessageRow assistant =
        MessageRow.assistant(
            turn.conversationId,
            turn.runId(),
            done.text(),
            calls.toString(),
            turn.model.provider().id(),
            turn.model.model(),
            new MessageRow.Tokens(
                done.usage().inputTokens(),
                done.usage().outputTokens(),
                done.usage().cachedInputTokens(),
                done.usage().reasoningTokens()),
            now());
    return conversations
        .append(assistant)
        .flatMapMany(
            stored -> {
              Flux<TurnEvent> message =
                  Flux.just(new TurnEvent("message", MessageView.wrap(stored)));
              if (done.toolCalls().isEmpty()) {
                return message.concatWith(finish(turn));
              }
              AtomicInteger waiting = new AtomicInteger();
              Flux<TurnEvent> calledTools =
                  Flux.fromIterable(done.toolCalls()).concatMap(call -> call(turn, call, waiting));
              return message
                  .concatWith(calledTools)
                  .concatWith(Flux.defer(() -> waiting.get() > 0 ? pause(turn) : step(turn)));
            });
  }

  /** One tool call the model made: refused, run, or put to approval. */
  private Flux<TurnEvent> call(Turn turn, AssistantMessage.ToolCall call, AtomicInteger waiting) {
    ToolSpec spec = turn.tools.get(call.name());
    if (spec == null) {
      return toolMessage(
          turn,
          call.id(),
          call.name(),
          "error: there is no tool named " + call.name() + " for this agent",
          "error");
    }
    JsonNode arguments;
    try {
      arguments = parseArguments(call.arguments());
    } catch (JacksonException | IllegalArgumentException e) {
      return toolMessage(
          turn, call.id(), spec.name(), "error: the arguments were not a JSON object", "error");
    }
    if (turn.needsApproval(spec)) {
      waiting.incrementAndGet();
      turn.waiting.add(spec.name());
      return approvals
          .request(turn.run, turn.conversationId, call.id(), spec.name(), arguments.toString())
          .flatMap(row -> approvals.get(turn.workspaceId, row.id()))
          .map(view -> new TurnEvent("approval", Map.<String, ApprovalView>of("approval", view)))
          .flux();
    }
    return execute(turn, call.id(), spec, arguments, null);
  }

  /** Runs a tool within the turn's budget; an approved call finishes its approval too. */
  private Flux<TurnEvent> execute(
      Turn turn, String callId, ToolSpec spec, JsonNode arguments, ApprovalRow approval) {
    if (turn.toolCalls >= limits.maxToolCalls()) {
      String limit =
          "error: the turn's limit of " + limits.maxToolCalls() + " tool calls is reached";
      if (approval != null) {
        decided(turn, approval, "failed");
      }
      Mono<?> finished = approval == null ? Mono.empty() : approvals.finish(approval, false, limit);
      return finished.thenMany(toolMessage(turn, callId, spec.name(), limit, "error"));
    }
    turn.toolCalls++;
    Map<String, Object> started = new LinkedHashMap<>();
    started.put("id", callId);
    started.put("name", spec.name());
    started.put("arguments", arguments);
    started.put("kind", spec.kind().id());
    started.put("status", "running");
    long begun = System.nanoTime();
    String user =
        approval != null && approval.decidedBy() != null ? approval.decidedBy() : turn.userId;
    String spanId = RunRef.newSpanId();
    return Flux.just(new TurnEvent("tool_call", started))
        .concatWith(
            tools
                .execute(turn.run, user, spec, arguments, callId, spanId)
                .flatMapMany(
                    outcome -> {
                      long durationMs = (System.nanoTime() - begun) / 1_000_000;
                      events.toolCall(
                          turn.run,
                          spanId,
                          spec.name(),
                          spec.integration(),
                          durationMs,
                          outcome.ok()
                              ? null
                              : new ErrorDetails(outcome.errorType(), outcome.result()));
                      if (approval != null) {
                        decided(turn, approval, outcome.ok() ? "executed" : "failed");
                      }
                      Mono<?> finished =
                          approval == null
                              ? Mono.empty()
                              : approvals.finish(approval, outcome.ok(), outcome.result());
                      return finished.thenMany(
                          toolMessage(
                              turn,
                              callId,
                              spec.name(),
                              outcome.ok() ? outcome.result() : "error: " + outcome.result(),
                              outcome.ok() ? "ok" : "error"));
                    }));
  }

  private Flux<TurnEvent> toolMessage(
      Turn turn, String callId, String toolName, String content, String status) {
    MessageRow row =
        MessageRow.tool(
            turn.conversationId,
            turn.runId(),
            callId,
            toolName,
            status,
            content.length() <= ToolOutcome.MAX_RESULT + 40
                ? content
                : content.substring(0, ToolOutcome.MAX_RESULT),
            now());
    return conversations
        .append(row)
        .map(
            stored -> {
              Map<String, Object> result = new LinkedHashMap<>();
              result.put("id", callId);
              result.put("name", toolName);
              result.put("status", status);
              result.put("result", stored.content());
              result.put("message", MessageView.of(stored));
              return new TurnEvent("tool_result", result);
            })
        .flux();
  }

  /** The model answered without tools: the turn ends. */
  private Flux<TurnEvent> finish(Turn turn) {
    return Flux.defer(
        () ->
            stop(turn, ConversationRow.IDLE, null)
                .then(
                    Mono.fromCallable(
                        () -> {
                          events.runEnd(turn.run, runMillis(turn), null);
                          return done(turn, ConversationRow.IDLE);
                        }))
                .flux());
  }

  /** The turn waits for decisions. */
  private Flux<TurnEvent> pause(Turn turn) {
    return stop(turn, ConversationRow.AWAITING_APPROVAL, null)
        .thenReturn(done(turn, ConversationRow.AWAITING_APPROVAL))
        .flux();
  }

  /** The turn ends with an error that the conversation shows. */
  private Flux<TurnEvent> fail(
      Turn turn, String code, String message, String provider, String model) {
    MessageRow row =
        MessageRow.failure(
            turn.conversationId,
            turn.runId(),
            turn.model == null ? provider : turn.model.provider().id(),
            turn.model == null ? model : turn.model.model(),
            code,
            message,
            now());
    return conversations
        .append(row)
        .then(stop(turn, ConversationRow.IDLE, new ErrorDetails(code, message)))
        .thenMany(
            Flux.defer(
                () -> {
                  events.runEnd(turn.run, runMillis(turn), new ErrorDetails(code, message));
                  Map<String, Object> error = new LinkedHashMap<>();
                  error.put("code", code);
                  error.put("message", message);
                  return Flux.just(new TurnEvent("error", error), done(turn, ConversationRow.IDLE));
                }));
  }

  /** Anything unexpected (a database failure, a bug) still ends the turn cleanly. */
  private Flux<TurnEvent> guarded(Turn turn, Flux<TurnEvent> flux) {
    return flux.onErrorResume(
        e -> {
          log.warn("A turn of conversation {} failed: {}", turn.conversationId, e.toString());
          return fail(
                  turn,
                  "turn_failed",
                  "The turn failed inside Beacon; the conversation is kept. Try again.",
                  null,
                  null)
              .onErrorResume(
                  again ->
                      Flux.just(
                          new TurnEvent(
                              "error",
                              Map.of(
                                  "code",
                                  "turn_failed",
                                  "message",
                                  "The turn failed inside Beacon. Try again.")),
                          done(turn, ConversationRow.IDLE)));
        });
  }

  /**
   * Ends or pauses the turn and writes its stop to the outbox in one statement; once stored, the
   * publisher is told (it sends the stop after the commit, never in the turn's way).
   */
  private Mono<Void> stop(Turn turn, String state, ErrorDetails error) {
    return Mono.defer(
        () -> {
          int stop = turn.stops + 1;
          Instant now = now();
          TurnStopRow row =
              stopRow(
                  turn.run,
                  turn.conversationId,
                  stop,
                  state,
                  turn.answer,
                  error,
                  turn.decisions,
                  state.equals(ConversationRow.AWAITING_APPROVAL)
                      ? turn.waiting
                      : java.util.List.of(),
                  now);
          return conversations
              .stopTurn(
                  turn.conversationId, state, turn.modelCalls, turn.toolCalls, now, row, false)
              .doOnNext(
                  stopped -> {
                    if (stopped) {
                      turn.stops = stop;
                      publisher.publishEvent(new TurnStopped(row.stopId()));
                    }
                  })
              .then();
        });
  }

  /**
   * A turn a stopped process left running cannot go on: it stops now, idle, with {@code
   * turn_interrupted}, the budget it had used kept.
   *
   * @return whether it stopped here
   */
  Mono<Boolean> interrupted(ConversationRow conversation) {
    Instant now = now();
    String message =
        "The turn was interrupted when chat-service stopped; its messages so far are kept. Send the"
            + " message again.";
    TurnStopRow row =
        stopRow(
            run(conversation, conversation.workspaceId()),
            conversation.id(),
            conversation.runStops() + 1,
            ConversationRow.IDLE,
            null,
            new ErrorDetails("turn_interrupted", message),
            java.util.List.of(),
            java.util.List.of(),
            now);
    return conversations
        .stopTurn(
            conversation.id(),
            ConversationRow.IDLE,
            conversation.runModelCalls(),
            conversation.runToolCalls(),
            now,
            row,
            true)
        .doOnNext(
            stopped -> {
              if (stopped) {
                publisher.publishEvent(new TurnStopped(row.stopId()));
              }
            });
  }

  private static TurnStopRow stopRow(
      RunRef run,
      java.util.UUID conversationId,
      int stop,
      String state,
      String answer,
      ErrorDetails error,
      java.util.List<TurnStop.Decision> decisions,
      java.util.List<String> waiting,
      Instant now) {
    String stopId = TurnStop.stopId(run.runId(), stop);
    TurnStop record =
        new TurnStop(
            stopId,
            run.workspaceId(),
            run.agentId(),
            conversationId.toString(),
            run.runId(),
            run.traceId(),
            stop,
            state,
            answer == null || answer.length() <= TurnStop.MAX_ANSWER
                ? answer
                : answer.substring(
                    0,
                    Character.isHighSurrogate(answer.charAt(TurnStop.MAX_ANSWER - 1))
                        ? TurnStop.MAX_ANSWER - 1
                        : TurnStop.MAX_ANSWER),
            error,
            decisions,
            waiting,
            now.atOffset(ZoneOffset.UTC));
    return new TurnStopRow(
        stopId,
        run.workspaceId(),
        java.util.UUID.fromString(run.agentId()),
        java.util.UUID.fromString(run.runId()),
        stop,
        JSON.writeValueAsString(record));
  }

  private TurnEvent done(Turn turn, String state) {
    Map<String, Object> done = new LinkedHashMap<>();
    done.put("run_id", turn.run.runId());
    done.put("state", state);
    done.put(
        "usage",
        new MessageView.Usage(
            turn.usage.inputTokens(),
            turn.usage.outputTokens(),
            turn.usage.cachedInputTokens(),
            turn.usage.reasoningTokens()));
    return new TurnEvent("done", done);
  }

  private long runMillis(Turn turn) {
    return Math.max(0, Duration.between(turn.startedAt, clock.instant()).toMillis());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static JsonNode parseArguments(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return JSON.createObjectNode();
    }
    JsonNode node = JSON.readTree(arguments);
    if (!node.isObject()) {
      throw new IllegalArgumentException("not an object");
    }
    return node;
  }

  /** The arguments as stored: the JSON the model sent, or its text when it was not JSON. */
  private static JsonNode argumentsNode(String arguments) {
    try {
      return parseArguments(arguments);
    } catch (JacksonException | IllegalArgumentException e) {
      return JSON.getNodeFactory().stringNode(arguments);
    }
  }

  private static JsonNode parse(String json) {
    return JSON.readTree(json);
  }

  static RunRef run(ConversationRow conversation, String workspaceId) {
    return new RunRef(
        workspaceId,
        conversation.agentId().toString(),
        conversation.lastRunId().toString(),
        conversation.runTraceId(),
        conversation.runSpanId());
  }
}

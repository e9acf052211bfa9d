package dev.beacon.chat.conversation.domain;

import dev.beacon.chat.agent.domain.AgentView;
import dev.beacon.chat.events.RunRef;
import dev.beacon.chat.events.TokenUsage;
import dev.beacon.chat.llm.AgentModel;
import dev.beacon.chat.tool.ToolSpec;
import dev.beacon.events.TurnStop;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.ai.tool.ToolCallback;

/**
 * One turn while it runs: what it talks to and how much of its budget it has used. Only the turn's
 * own (serial) flux touches the counters.
 */
final class Turn {

  final String workspaceId;
  final String userId;
  final UUID conversationId;
  final AgentView agent;
  final AgentModel model;
  final RunRef run;
  final Instant startedAt;

  /** Offered tools by the function name the model sees. */
  final Map<String, ToolSpec> tools;

  final List<ToolCallback> offered;
  int modelCalls;
  int toolCalls;
  TokenUsage usage = TokenUsage.NONE;

  /** How often the run has stopped before this part of it. */
  int stops;

  /** The last assistant text of this part, or {@code null}: what its stop tells. */
  String answer;

  /** The approvals this part settled before it went on, in order. */
  final List<TurnStop.Decision> decisions = new ArrayList<>();

  /** The tools whose calls this part put to approval. */
  final List<String> waiting = new ArrayList<>();

  Turn(
      String workspaceId,
      String userId,
      UUID conversationId,
      AgentView agent,
      AgentModel model,
      RunRef run,
      Instant startedAt,
      Map<String, ToolSpec> tools,
      int modelCalls,
      int toolCalls,
      int stops) {
    this.workspaceId = workspaceId;
    this.userId = userId;
    this.conversationId = conversationId;
    this.agent = agent;
    this.model = model;
    this.run = run;
    this.startedAt = startedAt;
    this.tools = tools;
    this.offered =
        tools.entrySet().stream()
            .<ToolCallback>map(e -> new OfferedTool(e.getKey(), e.getValue()))
            .toList();
    this.modelCalls = modelCalls;
    this.toolCalls = toolCalls;
    this.stops = stops;
  }

  UUID runId() {
    return UUID.fromString(run.runId());
  }

  /**
   * Whether a call of this tool waits for approval: a write tool the agent's policy guards, or one
   * the registry says always waits ({@code binance.place_order}).
   */
  boolean needsApproval(ToolSpec spec) {
    return spec.kind() == dev.beacon.chat.tool.ToolKind.WRITE
        && (spec.requiresApproval()
            || agent.tools().stream()
                .anyMatch(t -> t.name().equals(spec.name()) && t.requiresApproval()));
  }
}

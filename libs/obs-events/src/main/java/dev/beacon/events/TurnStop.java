package dev.beacon.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The message on {@link Topics#CHAT_TURN_STOPS}: chat-service publishes one each time a turn of a
 * conversation stops — it ended ({@code idle}) or it waits for a person to decide an approval
 * ({@code awaiting_approval}). A turn that waited goes on as the same run once its approvals are
 * decided, and stops again: {@code stop} counts the stops of one run from 1, so {@link #stopId()}
 * ({@code <run_id>:<stop>}) names one stop wherever it is read, and a redelivered or republished
 * stop is recognised by it (docs/adr/0028-turn-stops-topic.md).
 *
 * @param stopId {@code run_id + ":" + stop}; the idempotency key
 * @param workspaceId the conversation's workspace
 * @param agentId the chat agent's id
 * @param conversationId the conversation
 * @param runId the turn (the {@code run_id} of its observability events)
 * @param traceId the turn's W3C trace id
 * @param stop 1 for the stop of the part the user's message started; one more after each resume
 * @param state {@code idle} (the turn ended) or {@code awaiting_approval}
 * @param answer the last assistant text of this part of the turn, at most 32,000 characters, or
 *     {@code null} when the model wrote none
 * @param error the turn's failure ({@code type} is chat's error code, such as {@code
 *     provider_key_refused} or {@code turn_interrupted}), or {@code null}
 * @param decisions the approvals decided before this part ran (empty for stop 1), in the order the
 *     model asked for them
 * @param waiting the tools whose calls now wait for approval (with {@code awaiting_approval})
 * @param stoppedAt when the turn stopped
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TurnStop(
    @JsonProperty("stop_id") String stopId,
    @JsonProperty("workspace_id") String workspaceId,
    @JsonProperty("agent_id") String agentId,
    @JsonProperty("conversation_id") String conversationId,
    @JsonProperty("run_id") String runId,
    @JsonProperty("trace_id") String traceId,
    @JsonProperty("stop") int stop,
    @JsonProperty("state") String state,
    @JsonProperty("answer") String answer,
    @JsonProperty("error") ErrorDetails error,
    @JsonProperty("decisions") List<Decision> decisions,
    @JsonProperty("waiting") List<String> waiting,
    @JsonProperty("stopped_at") OffsetDateTime stoppedAt) {

  /** {@link #state()} of a turn that ended. */
  public static final String IDLE = "idle";

  /** {@link #state()} of a turn that waits for approvals. */
  public static final String AWAITING_APPROVAL = "awaiting_approval";

  /** The longest {@link #answer()}, in UTF-16 units. */
  public static final int MAX_ANSWER = 32_000;

  public TurnStop {
    decisions = decisions == null ? List.of() : List.copyOf(decisions);
    waiting = waiting == null ? List.of() : List.copyOf(waiting);
  }

  /**
   * The idempotency key of a run's stop.
   *
   * @param runId the run
   * @param stop its stop, from 1
   * @return {@code runId + ":" + stop}
   */
  public static String stopId(String runId, int stop) {
    return runId + ":" + stop;
  }

  /**
   * One approval of the turn, as it was decided.
   *
   * @param approvalId the approval's id in chat-service (its {@code action_id})
   * @param tool the tool the call was for
   * @param state {@code executed} or {@code failed} (approved, then run), {@code rejected} or
   *     {@code expired} (not run)
   * @param reason the rejecting person's reason, or {@code null}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Decision(
      @JsonProperty("approval_id") String approvalId,
      @JsonProperty("tool") String tool,
      @JsonProperty("state") String state,
      @JsonProperty("reason") String reason) {}
}

package dev.beacon.events;

import java.util.List;
import java.util.Objects;

/**
 * The registry of every Kafka topic in the v1 contract, with key and value types.
 *
 * <p>Each event type has one topic ({@code run_start} and {@code run_end} share {@link #RUNS}); all
 * event topics carry {@link ObsEvent} values. Besides them: {@link #METRIC_UPDATES}, which the
 * aggregator derives from the events, and {@link #CHAT_TURN_STOPS}, chat-service's turns as they
 * stop, which the platform's services act on. Every topic is keyed by {@link #eventKey(String,
 * String) workspace_id:agent_id}, so the records of one agent stay in one partition and in order. A
 * breaking change to a value type gets a new topic with the next major version ({@code .v2}); this
 * registry then lists both while consumers move over.
 */
public final class Topics {

  /** {@code llm_call} events. */
  public static final Topic<String, ObsEvent> LLM_CALLS =
      new Topic<>("obs.llm-calls.v1", String.class, ObsEvent.class);

  /** {@code tool_call} events. */
  public static final Topic<String, ObsEvent> TOOL_CALLS =
      new Topic<>("obs.tool-calls.v1", String.class, ObsEvent.class);

  /** {@code action} events. */
  public static final Topic<String, ObsEvent> ACTIONS =
      new Topic<>("obs.actions.v1", String.class, ObsEvent.class);

  /** {@code service_call} events. */
  public static final Topic<String, ObsEvent> SERVICE_CALLS =
      new Topic<>("obs.service-calls.v1", String.class, ObsEvent.class);

  /** {@code run_start} and {@code run_end} events. */
  public static final Topic<String, ObsEvent> RUNS =
      new Topic<>("obs.runs.v1", String.class, ObsEvent.class);

  /** {@code custom} events. */
  public static final Topic<String, ObsEvent> CUSTOM_EVENTS =
      new Topic<>("obs.custom-events.v1", String.class, ObsEvent.class);

  /** Absolute minute and day totals published by the aggregator after each committed batch. */
  public static final Topic<String, MetricUpdate> METRIC_UPDATES =
      new Topic<>("obs.metric-updates.v1", String.class, MetricUpdate.class);

  /**
   * chat-service's turns each time one stops (ended, or waiting for approvals), from its outbox:
   * integrations-service relays the answers given after an approval to the Telegram or Discord chat
   * the message came from (ADR 0028).
   */
  public static final Topic<String, TurnStop> CHAT_TURN_STOPS =
      new Topic<>("chat.turn-stops.v1", String.class, TurnStop.class);

  private static final List<Topic<String, ObsEvent>> EVENT_TOPICS =
      List.of(LLM_CALLS, TOOL_CALLS, ACTIONS, SERVICE_CALLS, RUNS, CUSTOM_EVENTS);

  private static final List<Topic<String, ?>> ALL =
      List.of(
          LLM_CALLS,
          TOOL_CALLS,
          ACTIONS,
          SERVICE_CALLS,
          RUNS,
          CUSTOM_EVENTS,
          METRIC_UPDATES,
          CHAT_TURN_STOPS);

  private Topics() {}

  /**
   * Every topic of the contract, event topics first, then {@link #METRIC_UPDATES} and {@link
   * #CHAT_TURN_STOPS}; the order is stable so that topic creation and docs list them the same way.
   *
   * @return an unmodifiable list of all eight topics
   */
  public static List<Topic<String, ?>> all() {
    return ALL;
  }

  /**
   * The six topics that carry {@link ObsEvent} values, in the order of {@link #all()}.
   *
   * @return an unmodifiable list of the event topics
   */
  public static List<Topic<String, ObsEvent>> eventTopics() {
    return EVENT_TOPICS;
  }

  /**
   * The topic an event of the given type is published to.
   *
   * @param type the event type
   * @return its topic
   */
  public static Topic<String, ObsEvent> forType(EventType type) {
    return switch (type) {
      case LLM_CALL -> LLM_CALLS;
      case TOOL_CALL -> TOOL_CALLS;
      case ACTION -> ACTIONS;
      case SERVICE_CALL -> SERVICE_CALLS;
      case RUN_START, RUN_END -> RUNS;
      case CUSTOM -> CUSTOM_EVENTS;
    };
  }

  /**
   * The record key for an agent's events and metric updates: {@code workspace_id + ":" + agent_id},
   * with an empty agent part when the event has no agent. Keying by agent keeps one agent's records
   * in one partition, in order, while spreading a workspace over partitions.
   *
   * @param workspaceId the workspace set by the server; required
   * @param agentId the agent, or {@code null}
   * @return the key, e.g. {@code ws_42:support-bot} or {@code ws_42:}
   */
  public static String eventKey(String workspaceId, String agentId) {
    Objects.requireNonNull(workspaceId, "workspaceId");
    return workspaceId + ":" + (agentId == null ? "" : agentId);
  }
}

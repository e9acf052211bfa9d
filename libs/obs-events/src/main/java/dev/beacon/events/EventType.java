package dev.beacon.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an {@link ObsEvent} describes. The JSON value is the lowercase snake_case name ({@code
 * llm_call}, {@code tool_call}, …); each type is published to one topic, see {@link
 * Topics#forType(EventType)}.
 */
public enum EventType {
  /** One request to a language model; carries {@link ObsEvent#llm()}. */
  @JsonProperty("llm_call")
  LLM_CALL,

  /** One tool execution (Slack, GitHub, web fetch, …); carries {@link ObsEvent#tool()}. */
  @JsonProperty("tool_call")
  TOOL_CALL,

  /** A step in an agent action's approval lifecycle; carries {@link ObsEvent#action()}. */
  @JsonProperty("action")
  ACTION,

  /** A call to another service or external API; carries {@link ObsEvent#service()}. */
  @JsonProperty("service_call")
  SERVICE_CALL,

  /** An agent run began; later events of the run share its {@code run_id}. */
  @JsonProperty("run_start")
  RUN_START,

  /** An agent run finished, with its {@code status} and total {@code duration_ms}. */
  @JsonProperty("run_end")
  RUN_END,

  /** Anything else an agent wants on its timeline; details go in {@code metadata}. */
  @JsonProperty("custom")
  CUSTOM
}

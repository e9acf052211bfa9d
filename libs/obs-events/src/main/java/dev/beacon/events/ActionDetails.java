package dev.beacon.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of an {@link EventType#ACTION} event: one transition of an agent action.
 *
 * @param kind what the action does, e.g. {@code send_email}, {@code create_issue}; required
 * @param state the state the action has just entered; required
 * @param actionId optional: one id for every state event of the same action, so that its states
 *     pair up (proposed with its decision, the decision with its outcome)
 * @param expired optional, with state {@code rejected}: {@code true} when nobody decided before the
 *     request expired (a consumer that does not know the field sees a rejection, which is what it
 *     is: the action does not run; a new {@code state} value would be a breaking change)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionDetails(
    @JsonProperty("kind") String kind,
    @JsonProperty("state") ActionState state,
    @JsonProperty("action_id") String actionId,
    @JsonProperty("expired") Boolean expired) {

  /** An action state without an action id (it is not paired with its other states). */
  public ActionDetails(String kind, ActionState state) {
    this(kind, state, null, null);
  }

  /** A state of the action with this id. */
  public ActionDetails(String kind, ActionState state, String actionId) {
    this(kind, state, actionId, null);
  }
}

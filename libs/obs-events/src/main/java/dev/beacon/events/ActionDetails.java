package dev.beacon.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of an {@link EventType#ACTION} event: one transition of an agent action.
 *
 * @param kind what the action does, e.g. {@code send_email}, {@code create_issue}; required
 * @param state the state the action has just entered; required
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionDetails(
    @JsonProperty("kind") String kind, @JsonProperty("state") ActionState state) {}

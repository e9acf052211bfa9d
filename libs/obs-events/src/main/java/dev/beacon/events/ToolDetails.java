package dev.beacon.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of a {@link EventType#TOOL_CALL} event.
 *
 * @param name the tool's name as the agent sees it, e.g. {@code slack.post_message}; required
 * @param integration the integration the tool belongs to, e.g. {@code slack}; optional
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolDetails(
    @JsonProperty("name") String name, @JsonProperty("integration") String integration) {}

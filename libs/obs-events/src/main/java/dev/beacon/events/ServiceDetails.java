package dev.beacon.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of a {@link EventType#SERVICE_CALL} event.
 *
 * @param name the called service or external API, e.g. {@code stripe}; required
 * @param operation what was called on it, e.g. {@code checkout.sessions.create}; required
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceDetails(
    @JsonProperty("name") String name, @JsonProperty("operation") String operation) {}

package dev.beacon.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why an operation failed, present when {@link ObsEvent#status()} is {@link EventStatus#ERROR}.
 *
 * @param type a short, stable classifier such as {@code rate_limited}, {@code timeout} or an
 *     exception class name; at most 256 characters
 * @param message human-readable detail; at most 4096 characters
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorDetails(
    @JsonProperty("type") String type, @JsonProperty("message") String message) {}

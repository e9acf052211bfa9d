package dev.beacon.integrations.tool.domain;

import dev.beacon.integrations.events.CallContext;
import tools.jackson.databind.JsonNode;

/**
 * One execution of a tool.
 *
 * @param userId the user it runs for (the forwarded identity)
 * @param arguments arguments already checked against the tool's schema
 * @param callId the caller's id for the call, or {@code null}
 * @param context workspace, agent, run and trace its events belong to
 */
public record ToolCall(String userId, JsonNode arguments, String callId, CallContext context) {}

package dev.beacon.integrations.tool.domain;

import dev.beacon.integrations.connection.domain.Connection;
import dev.beacon.integrations.events.CallContext;
import tools.jackson.databind.JsonNode;

/**
 * One execution of a tool.
 *
 * @param userId the user it runs for (the forwarded identity)
 * @param arguments arguments already checked against the tool's schema
 * @param callId the caller's id for the call, or {@code null}
 * @param context workspace, agent, run and trace its events belong to
 * @param connection the connection a provider's tool calls its provider with; {@code null} for a
 *     built-in, and for a provider's tool that runs with Beacon's own credential
 */
public record ToolCall(
    String userId, JsonNode arguments, String callId, CallContext context, Connection connection) {}

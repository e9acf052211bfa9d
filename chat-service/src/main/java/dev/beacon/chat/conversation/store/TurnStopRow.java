package dev.beacon.chat.conversation.store;

import java.util.UUID;

/**
 * A row of the {@code chat.turn_stops} outbox: one stop of a run and the JSON published for it.
 *
 * @param stopId {@code <run id>:<stop>}
 * @param stop the run's stop number, from 1
 * @param payload the {@code TurnStop} record's JSON as it goes to Kafka
 */
public record TurnStopRow(
    String stopId, String workspaceId, UUID agentId, UUID runId, int stop, String payload) {}

package dev.beacon.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * The message on {@link Topics#METRIC_UPDATES}: after each committed batch the aggregator publishes
 * one per touched {@code (workspace_id, agent_id, type, subject, minute)}, carrying the ABSOLUTE
 * totals of that minute and of its UTC day.
 *
 * <p>Because the totals are absolute, a redelivered or repeated update is harmless: a consumer
 * keeps the latest value per bucket and never adds updates together. The Kafka key is the same
 * {@code workspace_id:agent_id} as the events', so updates for one agent arrive in order.
 *
 * @param workspaceId the workspace the metrics belong to
 * @param agentId the agent, or the empty string for events without one
 * @param type the event type counted
 * @param subject what the totals are broken down by: {@code provider/model} for {@code llm_call},
 *     the tool name for {@code tool_call}, the action kind for {@code action}, {@code
 *     service/operation} for {@code service_call}, and the empty string for the other types
 * @param minuteStart start of the minute bucket, in UTC, truncated to the minute
 * @param minuteTotals absolute totals of that minute
 * @param day the UTC day containing {@code minuteStart}
 * @param dayTotals absolute totals of that day for the same {@code (workspace, agent, type,
 *     subject)}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricUpdate(
    @JsonProperty("workspace_id") String workspaceId,
    @JsonProperty("agent_id") String agentId,
    @JsonProperty("type") EventType type,
    @JsonProperty("subject") String subject,
    @JsonProperty("minute_start") OffsetDateTime minuteStart,
    @JsonProperty("minute_totals") MetricTotals minuteTotals,
    @JsonProperty("day") LocalDate day,
    @JsonProperty("day_totals") MetricTotals dayTotals) {}

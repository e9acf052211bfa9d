/**
 * The events integrations-service publishes: a {@code service_call} for every outside HTTP call a
 * tool makes. The caller that runs the tool loop publishes the {@code tool_call} (ADR 0019), except
 * over MCP, where integrations-service publishes it (ADR 0027).
 */
package dev.beacon.integrations.events;

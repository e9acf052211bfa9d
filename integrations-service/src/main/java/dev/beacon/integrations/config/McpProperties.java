package dev.beacon.integrations.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code beacon.integrations.mcp.*}: the tool registry served over MCP (ADR 0027).
 *
 * @param writeTools whether MCP clients see and may call {@code write} tools. Off by default: over
 *     MCP no approval stands between an agent and a write (chat-service's approval queue is not on
 *     that path), so a write tool is neither listed nor run unless this is on
 */
@ConfigurationProperties("beacon.integrations.mcp")
public record McpProperties(boolean writeTools) {}

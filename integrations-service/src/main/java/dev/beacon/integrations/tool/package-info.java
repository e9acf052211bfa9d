/**
 * The tool registry: the tools a workspace's agents may call, listed with their JSON Schema
 * parameters under {@code GET /api/integrations/tools} and run under {@code POST
 * /api/integrations/tools/{name}/execute}. Each tool is a {@link
 * dev.beacon.integrations.tool.domain.ToolExecutor}; built-ins are beans, connected integrations
 * will add theirs per workspace.
 */
package dev.beacon.integrations.tool;

/**
 * The tool registry over MCP (Model Context Protocol, Streamable HTTP, stateless): {@code POST
 * /api/integrations/mcp}. Each request is answered for the workspace of its forwarded identity:
 * {@code tools/list} lists that workspace's tools, {@code tools/call} runs one through the same
 * {@code ToolRegistry.execute} as the REST API and publishes the {@code tool_call} (ADR 0027).
 */
package dev.beacon.integrations.mcp;

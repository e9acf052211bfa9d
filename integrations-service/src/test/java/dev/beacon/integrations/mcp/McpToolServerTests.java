package dev.beacon.integrations.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.integrations.tool.domain.ToolKind;
import dev.beacon.integrations.tool.domain.ToolSpec;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a registry tool is described to MCP clients (where write tools are allowed). */
class McpToolServerTests {

  private static final Map<String, Object> SCHEMA =
      Map.of(
          "type",
          "object",
          "properties",
          Map.of("title", Map.of("type", "string")),
          "required",
          List.of("title"),
          "additionalProperties",
          false);

  @Test
  void aWriteToolIsMarkedDestructiveAndNotReadOnly() {
    Tool tool =
        McpToolServer.tool(
            new ToolSpec(
                "github.create_issue",
                "Opens an issue.",
                ToolKind.WRITE,
                "github",
                SCHEMA,
                List.of("repo")));

    assertThat(tool.name()).isEqualTo("github.create_issue");
    assertThat(tool.description()).isEqualTo("Opens an issue.");
    assertThat(tool.inputSchema()).isEqualTo(SCHEMA);
    assertThat(tool.outputSchema()).isNull();
    assertThat(tool.annotations().readOnlyHint()).isFalse();
    assertThat(tool.annotations().destructiveHint()).isTrue();
    assertThat(tool.annotations().openWorldHint()).isTrue();
    assertThat(tool.meta())
        .containsEntry("dev.beacon/kind", "write")
        .containsEntry("dev.beacon/integration", "github")
        .containsEntry("dev.beacon/required_scopes", List.of("repo"));
  }

  @Test
  void aReadToolIsReadOnly() {
    Tool tool =
        McpToolServer.tool(
            new ToolSpec("web_fetch", "Fetches.", ToolKind.READ, "web", SCHEMA, List.of()));

    assertThat(tool.annotations().readOnlyHint()).isTrue();
    assertThat(tool.annotations().destructiveHint()).isNull();
  }
}

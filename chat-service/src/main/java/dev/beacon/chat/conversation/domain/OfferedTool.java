package dev.beacon.chat.conversation.domain;

import dev.beacon.chat.tool.ToolSpec;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.DefaultToolDefinition;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * A tool as the model is offered it: its definition only. Beacon's loop executes tool calls itself
 * (approval, events, bounds), so {@link #call} is never used.
 */
final class OfferedTool implements ToolCallback {

  private final ToolDefinition definition;

  OfferedTool(String functionName, ToolSpec spec) {
    this.definition =
        DefaultToolDefinition.builder()
            .name(functionName)
            .description(spec.description().isBlank() ? spec.name() : spec.description())
            .inputSchema(spec.parametersSchema())
            .build();
  }

  /**
   * The name a model sees: providers accept only letters, digits, {@code _} and {@code -} (at most
   * 64), so {@code slack.post_message} is offered as {@code slack_post_message}.
   */
  static String functionName(String toolName) {
    String name = toolName.replaceAll("[^A-Za-z0-9_-]", "_");
    return name.length() <= 64 ? name : name.substring(0, 64);
  }

  @Override
  public ToolDefinition getToolDefinition() {
    return definition;
  }

  @Override
  public String call(String toolInput) {
    throw new UnsupportedOperationException("Beacon's tool loop executes tool calls itself");
  }
}

package dev.beacon.chat.tool;

/**
 * What a tool execution gave back to the model.
 *
 * @param ok whether the tool did what it was asked
 * @param result the text the model reads: the tool's output, or a description of its failure
 * @param errorType a short machine-readable failure type ({@code timeout}, {@code tool_error},
 *     {@code unreachable}), {@code null} when ok
 */
public record ToolOutcome(boolean ok, String result, String errorType) {

  /** The largest result kept and given to the model, in characters. */
  public static final int MAX_RESULT = 16_000;

  public static ToolOutcome ok(String result) {
    return new ToolOutcome(true, bounded(result), null);
  }

  public static ToolOutcome failed(String errorType, String message) {
    return new ToolOutcome(false, bounded(message), errorType);
  }

  private static String bounded(String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= MAX_RESULT ? text : text.substring(0, MAX_RESULT) + "… (truncated)";
  }
}

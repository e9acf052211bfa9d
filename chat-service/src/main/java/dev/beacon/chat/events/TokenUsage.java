package dev.beacon.chat.events;

/**
 * Tokens of one model call exactly as the provider reported them; {@code null} where it reported
 * none.
 */
public record TokenUsage(
    Long inputTokens, Long outputTokens, Long cachedInputTokens, Long reasoningTokens) {

  public static final TokenUsage NONE = new TokenUsage(null, null, null, null);

  /** The sum of two usages, field by field; a field is null only when null in both. */
  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        add(inputTokens, other.inputTokens),
        add(outputTokens, other.outputTokens),
        add(cachedInputTokens, other.cachedInputTokens),
        add(reasoningTokens, other.reasoningTokens));
  }

  private static Long add(Long a, Long b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : Long.valueOf(a + b);
  }
}

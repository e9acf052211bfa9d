package dev.beacon.aggregator.pricing;

import dev.beacon.events.LlmDetails;
import java.util.ArrayList;
import java.util.List;

/**
 * Token usage of one LLM call after the normalisation rule: input includes cached, output includes
 * reasoning; cached and reasoning are subsets. Missing counts are 0; a negative count is clamped to
 * 0, and a subset larger than its total is clamped to the total. Every correction is recorded in
 * {@link #flags()} and stored with the event.
 *
 * @param inputTokens prompt tokens, including cached ones
 * @param outputTokens completion tokens, including reasoning ones
 * @param cachedInputTokens the cached part of {@code inputTokens}
 * @param reasoningTokens the reasoning part of {@code outputTokens}
 * @param flags what was corrected, e.g. {@code negative_input_tokens}, {@code cached_exceeds_input}
 */
public record TokenUsage(
    long inputTokens,
    long outputTokens,
    long cachedInputTokens,
    long reasoningTokens,
    List<String> flags) {

  /** No tokens at all, for events that are not LLM calls. */
  public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, List.of());

  /** Applies the normalisation rule to an event's reported counts. */
  public static TokenUsage normalise(LlmDetails llm) {
    if (llm == null) {
      return NONE;
    }
    List<String> flags = new ArrayList<>();
    long input = nonNegative(llm.inputTokens(), "negative_input_tokens", flags);
    long output = nonNegative(llm.outputTokens(), "negative_output_tokens", flags);
    long cached = nonNegative(llm.cachedInputTokens(), "negative_cached_input_tokens", flags);
    long reasoning = nonNegative(llm.reasoningTokens(), "negative_reasoning_tokens", flags);
    if (cached > input) {
      flags.add("cached_exceeds_input");
      cached = input;
    }
    if (reasoning > output) {
      flags.add("reasoning_exceeds_output");
      reasoning = output;
    }
    return new TokenUsage(input, output, cached, reasoning, List.copyOf(flags));
  }

  private static long nonNegative(Long value, String flag, List<String> flags) {
    if (value == null) {
      return 0;
    }
    if (value < 0) {
      flags.add(flag);
      return 0;
    }
    return value;
  }
}

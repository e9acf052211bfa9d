package dev.beacon.sdk;

import dev.beacon.events.EventType;
import dev.beacon.events.LlmDetails;
import java.math.BigDecimal;

/**
 * A span around one LLM request that becomes an {@code llm_call} event with provider, model and
 * token usage. Obtained from {@link BeaconClient#trackLlmCall(String, String)}.
 *
 * <pre>{@code
 * try (LlmCallSpan call = beacon.trackLlmCall("openai", "gpt-4o")) {
 *   ChatResponse response = openAi.chat(request);
 *   call.usage(response.inputTokens(), response.outputTokens());
 * } catch (RuntimeException e) {
 *   // the span is closed before the catch block runs; record the failure on it first
 * }
 * }</pre>
 *
 * To record a failure, call {@link #fail(Throwable)} inside the try block before rethrowing.
 */
public final class LlmCallSpan extends Span {

  private String provider;
  private String model;
  private Long inputTokens;
  private Long outputTokens;
  private Long cachedInputTokens;
  private Long reasoningTokens;
  private BigDecimal costUsd;

  LlmCallSpan(
      BeaconClient client,
      TraceContext context,
      TraceContext previous,
      String provider,
      String model) {
    super(client, EventType.LLM_CALL, context, previous, null, null);
    this.provider = provider;
    this.model = model;
  }

  /**
   * Records the tokens billed.
   *
   * @param inputTokens prompt tokens, cached ones included
   * @param outputTokens completion tokens, reasoning ones included
   * @return this span
   */
  public LlmCallSpan usage(long inputTokens, long outputTokens) {
    this.inputTokens = Math.max(0, inputTokens);
    this.outputTokens = Math.max(0, outputTokens);
    return this;
  }

  /**
   * Records the part of the input tokens served from the provider's prompt cache.
   *
   * @param cachedInputTokens the cached tokens
   * @return this span
   */
  public LlmCallSpan cachedInputTokens(long cachedInputTokens) {
    this.cachedInputTokens = Math.max(0, cachedInputTokens);
    return this;
  }

  /**
   * Records the part of the output tokens spent on hidden reasoning.
   *
   * @param reasoningTokens the reasoning tokens
   * @return this span
   */
  public LlmCallSpan reasoningTokens(long reasoningTokens) {
    this.reasoningTokens = Math.max(0, reasoningTokens);
    return this;
  }

  /**
   * Records the cost as the caller computed it; informational, Beacon computes its own.
   *
   * @param costUsd cost in US dollars
   * @return this span
   */
  public LlmCallSpan costUsd(BigDecimal costUsd) {
    this.costUsd = costUsd;
    return this;
  }

  /**
   * Replaces the model, e.g. with the exact model the provider answered with.
   *
   * @param model the model name as the provider spells it
   * @return this span
   */
  public LlmCallSpan model(String model) {
    if (model != null && !model.isEmpty()) {
      this.model = model;
    }
    return this;
  }

  /**
   * Replaces the provider.
   *
   * @param provider e.g. {@code openai}
   * @return this span
   */
  public LlmCallSpan provider(String provider) {
    if (provider != null && !provider.isEmpty()) {
      this.provider = provider;
    }
    return this;
  }

  @Override
  LlmDetails llmDetails() {
    return new LlmDetails(
        provider == null || provider.isEmpty() ? "unknown" : provider,
        model == null || model.isEmpty() ? "unknown" : model,
        inputTokens,
        outputTokens,
        cachedInputTokens,
        reasoningTokens,
        costUsd);
  }
}

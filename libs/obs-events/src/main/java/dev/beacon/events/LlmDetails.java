package dev.beacon.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/**
 * Body of an {@link EventType#LLM_CALL} event. Token counts are integers from 0 to 10^9.
 *
 * @param provider the model provider, e.g. {@code openai}, {@code anthropic}; required
 * @param model the model name as the provider spells it, e.g. {@code gpt-4o}; required
 * @param inputTokens prompt tokens billed, including cached ones
 * @param outputTokens completion tokens billed, including reasoning ones
 * @param cachedInputTokens the part of {@code inputTokens} served from the provider's prompt cache
 * @param reasoningTokens the part of {@code outputTokens} spent on hidden reasoning
 * @param costUsd the cost the client computed, in US dollars; optional and informational only — the
 *     aggregator computes the authoritative cost from its own versioned price table
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LlmDetails(
    @JsonProperty("provider") String provider,
    @JsonProperty("model") String model,
    @JsonProperty("input_tokens") Long inputTokens,
    @JsonProperty("output_tokens") Long outputTokens,
    @JsonProperty("cached_input_tokens") Long cachedInputTokens,
    @JsonProperty("reasoning_tokens") Long reasoningTokens,
    @JsonProperty("cost_usd") BigDecimal costUsd) {}

package dev.beacon.chat.llm;

import dev.beacon.chat.config.ChatProperties;
import dev.beacon.chat.events.TokenUsage;
import dev.beacon.chat.provider.domain.Provider;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.google.genai.metadata.GoogleGenAiUsage;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * Streams one model call with the bounds a user expects: retries with exponential backoff on 429,
 * 5xx and no answer, waiting what a provider's {@code Retry-After} asks (capped), but only while
 * nothing of the answer has been shown yet; a circuit breaker per provider and base URL, opened by
 * 5xx and unreachable answers only (a refused key is one workspace's problem, not the provider's);
 * and an idle timeout between chunks. Every failure ends as a {@link ModelCallException}.
 */
@Component
public class ModelCalls {

  /** The longest {@code Retry-After} honoured; a longer one fails the call with its message. */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

  private final ChatProperties.Models limits;
  private final CircuitBreakerRegistry breakers;

  ModelCalls(ChatProperties properties, ObjectProvider<MeterRegistry> meters) {
    this.limits = properties.models();
    this.breakers =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(30))
                .permittedNumberOfCallsInHalfOpenState(2)
                .recordException(e -> isProviderFault(e))
                .build());
    meters.ifAvailable(
        registry ->
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry));
  }

  /** Streams the model's answer to the prompt: {@link ModelChunk.Text}s, then one Done. */
  public Flux<ModelChunk> stream(AgentModel model, Prompt prompt) {
    Provider provider = model.provider();
    AtomicBoolean shown = new AtomicBoolean();
    Retry retry = Retry.of("provider-" + provider.id(), retryConfig(provider, shown));
    CircuitBreaker breaker = breakers.circuitBreaker(provider.id() + " " + model.baseUrl());
    long started = System.nanoTime();
    Aggregate aggregate = new Aggregate();
    return Flux.defer(
            () -> {
              aggregate.reset();
              return model.chatModel().stream(prompt);
            })
        .timeout(limits.timeout())
        .transformDeferred(CircuitBreakerOperator.of(breaker))
        .transformDeferred(RetryOperator.of(retry))
        .onErrorMap(e -> ProviderErrors.classify(e, provider))
        .<ModelChunk>concatMap(
            response -> {
              String delta = aggregate.add(response);
              if (delta.isEmpty()) {
                return Flux.<ModelChunk>empty();
              }
              shown.set(true);
              return Flux.<ModelChunk>just(new ModelChunk.Text(delta));
            })
        .concatWith(
            Flux.defer(
                () ->
                    Flux.<ModelChunk>just(
                        aggregate.done((System.nanoTime() - started) / 1_000_000))));
  }

  private RetryConfig retryConfig(Provider provider, AtomicBoolean shown) {
    return RetryConfig.custom()
        .maxAttempts(limits.maxRetries() + 1)
        .retryOnException(e -> !shown.get() && ProviderErrors.classify(e, provider).retryable())
        .intervalBiFunction(
            (attempt, either) -> {
              Duration wait = backoff(attempt);
              if (either.isLeft()) {
                Duration asked = ProviderErrors.classify(either.getLeft(), provider).retryAfter();
                if (asked != null) {
                  wait = asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
                }
              }
              return wait.toMillis();
            })
        .failAfterMaxAttempts(false)
        .build();
  }

  /** 500 ms, 1 s, 2 s, … at most 10 s. */
  static Duration backoff(int attempt) {
    long millis = 500L << Math.min(Math.max(attempt - 1, 0), 5);
    return Duration.ofMillis(Math.min(millis, 10_000));
  }

  private static boolean isProviderFault(Throwable e) {
    String code = ProviderErrors.classify(e, Provider.CUSTOM).code();
    return code.equals("provider_error") || code.equals("provider_unreachable");
  }

  /** Sums up the chunks of one call; a retry starts it again. */
  private static final class Aggregate {
    private final StringBuilder text = new StringBuilder();
    private final Map<String, AssistantMessage.ToolCall> toolCalls = new LinkedHashMap<>();
    private final AtomicInteger unnamed = new AtomicInteger();
    private Long input;
    private Long output;
    private Long cached;
    private Long reasoning;

    void reset() {
      text.setLength(0);
      toolCalls.clear();
      input = output = cached = reasoning = null;
    }

    /** Adds a chunk; returns its new text. */
    String add(ChatResponse response) {
      StringBuilder delta = new StringBuilder();
      for (Generation generation : response.getResults()) {
        AssistantMessage message = generation.getOutput();
        if (message == null) {
          continue;
        }
        String chunk = message.getText();
        if (chunk != null && !chunk.isEmpty()) {
          delta.append(chunk);
        }
        for (AssistantMessage.ToolCall call : message.getToolCalls()) {
          String id =
              call.id() == null || call.id().isBlank()
                  ? "call_" + unnamed.incrementAndGet()
                  : call.id();
          toolCalls.put(
              id, new AssistantMessage.ToolCall(id, "function", call.name(), call.arguments()));
        }
      }
      if (response.getMetadata() != null) {
        usage(response.getMetadata().getUsage());
      }
      text.append(delta);
      return delta.toString();
    }

    private void usage(Usage usage) {
      if (usage == null) {
        return;
      }
      input = max(input, usage.getPromptTokens());
      output = max(output, usage.getCompletionTokens());
      cached = max(cached, usage.getCacheReadInputTokens());
      Object reported = usage.getNativeUsage();
      if (reported instanceof com.openai.models.completions.CompletionUsage openAi) {
        reasoning =
            max(
                reasoning,
                openAi.completionTokensDetails().flatMap(d -> d.reasoningTokens()).orElse(null));
      }
      if (usage instanceof GoogleGenAiUsage gemini) {
        reasoning = max(reasoning, gemini.getThoughtsTokenCount());
      }
    }

    private static Long max(Long current, Number reported) {
      if (reported == null) {
        return current;
      }
      long value = reported.longValue();
      return current == null || value > current ? value : current;
    }

    ModelChunk.Done done(long durationMs) {
      return new ModelChunk.Done(
          text.toString(),
          new ArrayList<>(toolCalls.values()),
          new TokenUsage(input, output, cached, reasoning),
          durationMs);
    }
  }
}

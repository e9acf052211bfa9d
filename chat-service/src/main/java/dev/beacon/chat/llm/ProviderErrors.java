package dev.beacon.chat.llm;

import dev.beacon.chat.provider.domain.Provider;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Turns whatever a provider's SDK threw into a {@link ModelCallException}: openai-java and
 * anthropic-java service exceptions, google-genai API exceptions, Spring's HTTP client exceptions
 * (Ollama), and I/O failures and timeouts of any of them.
 */
final class ProviderErrors {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ProviderErrors.class);

  private static final int MAX_PROVIDER_MESSAGE = 300;

  private ProviderErrors() {}

  static ModelCallException classify(Throwable failure, Provider provider) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ModelCallException known) {
        return known;
      }
      if (t instanceof CallNotPermittedException) {
        return new ModelCallException(
            "provider_circuit_open",
            provider.displayName()
                + " failed repeatedly just now, so Beacon pauses calls to it for a moment. Try again shortly.",
            null,
            null);
      }
      if (t instanceof com.openai.errors.OpenAIServiceException e) {
        return fromStatus(
            provider,
            e.statusCode(),
            e.getMessage(),
            retryAfter(e.headers().values("retry-after")));
      }
      if (t instanceof com.anthropic.errors.AnthropicServiceException e) {
        return fromStatus(
            provider,
            e.statusCode(),
            e.getMessage(),
            retryAfter(e.headers().values("retry-after")));
      }
      if (t instanceof com.google.genai.errors.ApiException e) {
        return fromStatus(provider, e.code(), e.message(), null);
      }
      if (t instanceof RestClientResponseException e) {
        return fromStatus(
            provider,
            e.getStatusCode().value(),
            e.getResponseBodyAsString(),
            retryAfter(header(e.getResponseHeaders(), "Retry-After")));
      }
      if (t instanceof WebClientResponseException e) {
        return fromStatus(
            provider,
            e.getStatusCode().value(),
            e.getResponseBodyAsString(),
            retryAfter(header(e.getHeaders(), "Retry-After")));
      }
      if (t instanceof TimeoutException
          || t instanceof HttpTimeoutException
          || t instanceof IOException
          || t instanceof ResourceAccessException
          || t instanceof WebClientRequestException
          || t instanceof com.openai.errors.OpenAIIoException
          || t instanceof com.anthropic.errors.AnthropicIoException
          || t instanceof com.google.genai.errors.GenAiIOException) {
        return unreachable(provider);
      }
    }
    log.debug("Unclassified failure of {}", provider.id(), failure);
    return new ModelCallException(
        "provider_error",
        provider.displayName() + " could not be used: " + failure.getClass().getSimpleName() + ".",
        null,
        null);
  }

  static ModelCallException unreachable(Provider provider) {
    return new ModelCallException(
        "provider_unreachable",
        provider.displayName()
            + " did not answer. Check its base URL in the workspace's provider settings.",
        null,
        null);
  }

  private static ModelCallException fromStatus(
      Provider provider, int status, String providerMessage, Duration retryAfter) {
    String name = provider.displayName();
    String said = providerMessage == null ? "" : oneLine(providerMessage);
    String lower = said.toLowerCase(Locale.ROOT);
    if (status == 401 || status == 403) {
      return new ModelCallException(
          "provider_key_refused",
          name + " refused the API key (" + status + "). Check the key in the provider settings.",
          status,
          null);
    }
    if (status == 429) {
      return new ModelCallException(
          "provider_rate_limited",
          name + " is rate limiting this workspace's key (429). Try again in a moment.",
          status,
          retryAfter);
    }
    if (status >= 500) {
      return new ModelCallException(
          "provider_error",
          name + " failed (" + status + ")" + (said.isEmpty() ? "." : ": " + said),
          status,
          retryAfter);
    }
    if (lower.contains("context length")
        || lower.contains("context_length")
        || lower.contains("maximum context")
        || lower.contains("prompt is too long")
        || lower.contains("too many tokens")
        || lower.contains("exceeds the maximum")) {
      return new ModelCallException(
          "context_length_exceeded",
          "The conversation is too long for the model: start a new conversation, or choose a model with a larger context.",
          status,
          null);
    }
    if (status == 404 || lower.contains("model_not_found") || lower.contains("does not exist")) {
      return new ModelCallException(
          "model_not_found",
          name + " does not know the agent's model (" + status + "). Check the model name.",
          status,
          null);
    }
    return new ModelCallException(
        "provider_bad_request",
        name + " refused the request (" + status + ")" + (said.isEmpty() ? "." : ": " + said),
        status,
        null);
  }

  private static String header(org.springframework.http.HttpHeaders headers, String name) {
    return headers == null ? null : headers.getFirst(name);
  }

  private static Duration retryAfter(List<String> values) {
    return values == null || values.isEmpty() ? null : retryAfter(values.get(0));
  }

  /** {@code Retry-After} in seconds (an HTTP date is not honoured: providers send seconds). */
  static Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(value.strip());
      return seconds < 0 ? null : Duration.ofMillis((long) (seconds * 1000));
    } catch (NumberFormatException | DateTimeParseException e) {
      return null;
    }
  }

  private static String oneLine(String text) {
    String line = text.replaceAll("\\s+", " ").strip();
    return line.length() <= MAX_PROVIDER_MESSAGE
        ? line
        : line.substring(0, MAX_PROVIDER_MESSAGE) + "…";
  }
}

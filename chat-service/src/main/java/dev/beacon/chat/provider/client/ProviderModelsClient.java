package dev.beacon.chat.provider.client;

import dev.beacon.chat.config.ChatProperties;
import dev.beacon.chat.provider.domain.Provider;
import dev.beacon.chat.provider.domain.ProviderCallException;
import dev.beacon.chat.provider.domain.ProviderSettings;
import io.netty.channel.ChannelOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks a provider for its models with the workspace's key: the call behind the model lists of
 * {@code GET /api/chat/providers} and behind "test connection".
 *
 * <ul>
 *   <li>OpenAI and the OpenAI-compatible providers: {@code GET {base}/v1/models} with {@code
 *       Authorization: Bearer} (Azure: {@code api-key}); answers {@code {"data": [{"id"}]}} or, as
 *       Together does, a bare array.
 *   <li>Cohere: its compatibility API has no model list, so Cohere's own {@code GET
 *       {origin}/v1/models?endpoint=chat} ({@code {"models": [{"name"}]}}).
 *   <li>Anthropic: {@code GET {base}/v1/models} with {@code x-api-key} and {@code
 *       anthropic-version: 2023-06-01}.
 *   <li>Gemini: {@code GET {base}/v1beta/models} with {@code x-goog-api-key}; names lose their
 *       {@code models/} prefix.
 *   <li>Ollama: {@code GET {base}/api/tags}.
 * </ul>
 *
 * Every call is bounded by {@code beacon.chat.providers.connect-timeout} and {@code
 * request-timeout}; failures become a {@link ProviderCallException} whose message never holds the
 * key.
 */
@Component
public class ProviderModelsClient {

  static final String ANTHROPIC_VERSION = "2023-06-01";
  private static final int MAX_MESSAGE_LENGTH = 300;

  private final WebClient web;
  private final ChatProperties.Providers limits;

  ProviderModelsClient(ChatProperties properties) {
    this.limits = properties.providers();
    HttpClient http =
        HttpClient.create()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) limits.connectTimeout().toMillis())
            .responseTimeout(limits.requestTimeout());
    this.web =
        WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(http))
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
            .build();
  }

  /** The provider's model ids, sorted. */
  public Mono<List<String>> models(ProviderSettings settings) {
    Provider provider = settings.provider();
    String base = settings.baseUrl();
    String key = settings.apiKey();
    WebClient.RequestHeadersSpec<?> request =
        switch (provider.family()) {
          case ANTHROPIC ->
              get(base + "/v1/models?limit=1000")
                  .header("x-api-key", nullToEmpty(key))
                  .header("anthropic-version", ANTHROPIC_VERSION);
          case GOOGLE_GENAI ->
              get(base + "/v1beta/models?pageSize=1000").header("x-goog-api-key", nullToEmpty(key));
          case OLLAMA -> bearer(get(base + "/api/tags"), key);
          case OPENAI ->
              switch (provider) {
                case AZURE_OPENAI -> get(base + "/v1/models").header("api-key", nullToEmpty(key));
                case COHERE -> bearer(get(cohereOrigin(base) + "/v1/models?endpoint=chat"), key);
                default -> bearer(get(base + "/v1/models"), key);
              };
        };
    return request
        .accept(MediaType.APPLICATION_JSON)
        .retrieve()
        .bodyToMono(String.class)
        .timeout(limits.requestTimeout())
        .map(body -> parse(provider, body))
        .onErrorMap(e -> !(e instanceof ProviderCallException), e -> translate(provider, key, e));
  }

  private WebClient.RequestHeadersSpec<?> get(String uri) {
    return web.get().uri(java.net.URI.create(uri));
  }

  private static WebClient.RequestHeadersSpec<?> bearer(
      WebClient.RequestHeadersSpec<?> request, String key) {
    return key == null || key.isEmpty()
        ? request
        : request.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
  }

  static String cohereOrigin(String base) {
    return base.endsWith("/compatibility")
        ? base.substring(0, base.length() - "/compatibility".length())
        : base;
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  static List<String> parse(Provider provider, String body) {
    JsonNode root;
    try {
      root = JsonMapper.shared().readTree(body);
    } catch (RuntimeException e) {
      throw unexpected(provider);
    }
    List<String> ids = new ArrayList<>();
    switch (provider.family()) {
      case GOOGLE_GENAI ->
          root.path("models")
              .forEach(m -> add(ids, m.path("name").asString("").replaceFirst("^models/", "")));
      case OLLAMA -> root.path("models").forEach(m -> add(ids, m.path("name").asString("")));
      case ANTHROPIC -> root.path("data").forEach(m -> add(ids, m.path("id").asString("")));
      case OPENAI -> {
        if (provider == Provider.COHERE) {
          root.path("models").forEach(m -> add(ids, m.path("name").asString("")));
        } else {
          JsonNode list = root.isArray() ? root : root.path("data");
          list.forEach(m -> add(ids, m.path("id").asString("")));
        }
      }
    }
    if (ids.isEmpty() && !looksLikeAList(root)) {
      throw unexpected(provider);
    }
    ids.sort(String::compareTo);
    return List.copyOf(ids);
  }

  private static boolean looksLikeAList(JsonNode root) {
    return root.isArray() || root.path("data").isArray() || root.path("models").isArray();
  }

  private static void add(List<String> ids, String id) {
    if (!id.isBlank()) {
      ids.add(id);
    }
  }

  private static ProviderCallException unexpected(Provider provider) {
    return new ProviderCallException(
        "provider_error",
        provider.displayName() + " answered its model list with something that is not one.",
        200);
  }

  static ProviderCallException translate(Provider provider, String key, Throwable error) {
    if (error instanceof WebClientResponseException response) {
      int status = response.getStatusCode().value();
      String said = providerMessage(redact(response.getResponseBodyAsString(), key));
      if (status == 401 || status == 403) {
        return new ProviderCallException(
            "provider_key_refused",
            provider.displayName()
                + " refused the API key (HTTP "
                + status
                + ")"
                + (said.isEmpty() ? "." : ": " + said),
            status);
      }
      return new ProviderCallException(
          "provider_error",
          provider.displayName()
              + " answered HTTP "
              + status
              + (said.isEmpty() ? "." : ": " + said),
          status);
    }
    if (error instanceof WebClientRequestException || error instanceof TimeoutException) {
      return new ProviderCallException(
          "provider_unreachable",
          provider.displayName()
              + " could not be reached"
              + (error instanceof TimeoutException ? " in time." : ".")
              + " Check the base URL.",
          null);
    }
    return new ProviderCallException(
        "provider_error", provider.displayName() + " could not be asked for its models.", null);
  }

  /**
   * The provider's own message from its error body: OpenAI, Anthropic, Gemini and Ollama shapes.
   */
  static String providerMessage(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String message;
    try {
      JsonNode root = JsonMapper.shared().readTree(body);
      JsonNode error = root.path("error");
      if (error.isString()) {
        message = error.asString();
      } else if (error.path("message").isString()) {
        message = error.path("message").asString();
      } else if (root.path("message").isString()) {
        message = root.path("message").asString();
      } else if (root.path("detail").isString()) {
        message = root.path("detail").asString();
      } else {
        message = body;
      }
    } catch (RuntimeException e) {
      message = body;
    }
    message = message.strip().replaceAll("\\s+", " ");
    return message.length() > MAX_MESSAGE_LENGTH
        ? message.substring(0, MAX_MESSAGE_LENGTH) + "…"
        : message;
  }

  /** The message without the key, should a provider echo it. */
  static String redact(String message, String key) {
    if (key == null || key.length() < 4 || message == null || message.isEmpty()) {
      return message;
    }
    return message.replace(key, "••••");
  }
}

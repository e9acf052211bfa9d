package dev.beacon.chat.llm;

import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import dev.beacon.chat.agent.domain.AgentView;
import dev.beacon.chat.config.ChatProperties;
import dev.beacon.chat.provider.domain.Provider;
import dev.beacon.chat.provider.domain.ProviderSettings;
import dev.beacon.chat.provider.domain.ProviderSettingsService;
import dev.beacon.identity.error.ApiException;
import io.micrometer.observation.ObservationRegistry;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.google.genai.GoogleGenAiChatModel;
import org.springframework.ai.google.genai.GoogleGenAiChatOptions;
import org.springframework.ai.ollama.OllamaChatModel;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import reactor.core.publisher.Mono;

/**
 * Builds the Spring AI {@link ChatModel} of an agent from its workspace's provider settings, at run
 * time: models are never application singletons, because every workspace brings its own key and
 * base URL.
 *
 * <ul>
 *   <li>OpenAI and every OpenAI-compatible provider: {@link OpenAiChatModel} (the official
 *       openai-java SDK) with base URL {@code {base}/v1} and the key as {@code Authorization:
 *       Bearer}; Azure OpenAI in the SDK's Azure mode (unified {@code /openai/v1} paths, key in
 *       {@code api-key}); a keyless Custom server in the SDK's no-auth mode.
 *   <li>Anthropic: {@link AnthropicChatModel} (anthropic-java SDK), base URL and {@code x-api-key}.
 *   <li>Gemini: {@link GoogleGenAiChatModel} over a google-genai {@link Client} whose {@link
 *       HttpOptions} carry the base URL, the key goes in {@code x-goog-api-key}.
 *   <li>Ollama: {@link OllamaChatModel} over an {@link OllamaApi} with its own {@link RestClient}.
 * </ul>
 *
 * Every model is bounded by {@code beacon.chat.models.timeout} and does not retry by itself: {@link
 * ModelCalls} retries, with a circuit breaker, the same way for every family. A key or base URL is
 * always passed explicitly, so no SDK falls back to environment variables such as {@code
 * OPENAI_API_KEY}.
 */
@Component
public class ChatModels {

  private final ProviderSettingsService settings;
  private final ChatProperties.Models limits;
  private final ObjectProvider<ObservationRegistry> observations;

  ChatModels(
      ProviderSettingsService settings,
      ChatProperties properties,
      ObjectProvider<ObservationRegistry> observations) {
    this.settings = settings;
    this.limits = properties.models();
    this.observations = observations;
  }

  /**
   * The agent's model with its workspace's settings, else the platform's hosted key for the
   * provider; 409 {@code provider_unconfigured} when there are neither, 409 {@code model_unset}
   * when neither the agent nor the settings name a model.
   */
  public Mono<AgentModel> forAgent(String workspaceId, AgentView agent) {
    Provider provider = ProviderSettingsService.provider(agent.provider());
    return settings
        .resolve(workspaceId, provider)
        .switchIfEmpty(Mono.error(() -> ProviderSettingsService.unconfigured(provider)))
        .map(
            resolved -> {
              String model = agent.model() != null ? agent.model() : resolved.defaultModel();
              if (model == null) {
                throw ApiException.conflict(
                    "model_unset",
                    "The agent names no model and "
                        + provider.displayName()
                        + " has no default model in this workspace.");
              }
              return new AgentModel(
                  build(resolved, model, agent.temperature(), agent.maxTokens()),
                  provider,
                  model,
                  agent.systemPrompt(),
                  resolved.baseUrl(),
                  resolved.hosted());
            });
  }

  /** A model of the provider with these settings; temperature and max tokens may be null. */
  public ChatModel build(
      ProviderSettings settings, String model, BigDecimal temperature, Integer maxTokens) {
    Double temp = temperature == null ? null : temperature.doubleValue();
    return switch (settings.provider().family()) {
      case OPENAI -> openAi(settings, model, temp, maxTokens);
      case ANTHROPIC -> anthropic(settings, model, temp, maxTokens);
      case GOOGLE_GENAI -> gemini(settings, model, temp, maxTokens);
      case OLLAMA -> ollama(settings, model, temp, maxTokens);
    };
  }

  private ChatModel openAi(ProviderSettings s, String model, Double temp, Integer maxTokens) {
    OpenAiChatOptions.Builder options =
        OpenAiChatOptions.builder()
            .baseUrl(s.baseUrl() + "/v1")
            // empty: the SDK's no-auth mode, never the OPENAI_API_KEY of the environment
            .apiKey(s.apiKey() == null ? "" : s.apiKey())
            .model(model)
            .timeout(limits.timeout())
            .maxRetries(0);
    if (s.provider() == Provider.AZURE_OPENAI) {
      options.microsoftFoundry(true);
    }
    if (temp != null) {
      options.temperature(temp);
    }
    if (maxTokens != null) {
      // OpenAI's reasoning models take only max_completion_tokens; compatible servers know
      // max_tokens
      if (s.provider() == Provider.OPENAI || s.provider() == Provider.AZURE_OPENAI) {
        options.maxCompletionTokens(maxTokens);
      } else {
        options.maxTokens(maxTokens);
      }
    }
    return OpenAiChatModel.builder()
        .options(options.build())
        .observationRegistry(observationRegistry())
        .build();
  }

  private ChatModel anthropic(ProviderSettings s, String model, Double temp, Integer maxTokens) {
    AnthropicChatOptions.Builder options =
        AnthropicChatOptions.builder()
            .baseUrl(s.baseUrl())
            .apiKey(s.apiKey() == null ? "" : s.apiKey())
            .model(model)
            .timeout(limits.timeout())
            .maxRetries(0);
    if (temp != null) {
      options.temperature(temp);
    }
    if (maxTokens != null) {
      options.maxTokens(maxTokens);
    }
    return AnthropicChatModel.builder()
        .options(options.build())
        .observationRegistry(observationRegistry())
        .build();
  }

  private ChatModel gemini(ProviderSettings s, String model, Double temp, Integer maxTokens) {
    Client client =
        Client.builder()
            .apiKey(s.apiKey() == null ? "" : s.apiKey())
            .vertexAI(false)
            .httpOptions(
                HttpOptions.builder()
                    .baseUrl(s.baseUrl())
                    .timeout((int) limits.timeout().toMillis())
                    .build())
            .build();
    GoogleGenAiChatOptions.Builder options = GoogleGenAiChatOptions.builder().model(model);
    if (temp != null) {
      options.temperature(temp);
    }
    if (maxTokens != null) {
      options.maxOutputTokens(maxTokens);
    }
    return GoogleGenAiChatModel.builder()
        .genAiClient(client)
        .options(options.build())
        .retryTemplate(retryTemplate())
        .observationRegistry(observationRegistry())
        .build();
  }

  private ChatModel ollama(ProviderSettings s, String model, Double temp, Integer maxTokens) {
    JdkClientHttpRequestFactory requests =
        new JdkClientHttpRequestFactory(
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build());
    requests.setReadTimeout(limits.timeout());
    RestClient.Builder rest = RestClient.builder().requestFactory(requests);
    if (s.apiKey() != null) {
      // Ollama has no keys of its own; a key is for a proxy in front of it
      rest.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + s.apiKey());
    }
    OllamaApi api = OllamaApi.builder().baseUrl(s.baseUrl()).restClientBuilder(rest).build();
    OllamaChatOptions.Builder options = OllamaChatOptions.builder().model(model);
    if (temp != null) {
      options.temperature(temp);
    }
    if (maxTokens != null) {
      options.numPredict(maxTokens);
    }
    return OllamaChatModel.builder()
        .ollamaApi(api)
        .options(options.build())
        .retryTemplate(retryTemplate())
        .observationRegistry(observationRegistry())
        .build();
  }

  private RetryTemplate retryTemplate() {
    return new RetryTemplate(
        RetryPolicy.builder()
            .maxRetries(0)
            .delay(Duration.ofMillis(500))
            .multiplier(2)
            .maxDelay(Duration.ofSeconds(10))
            .build());
  }

  private ObservationRegistry observationRegistry() {
    return observations.getIfAvailable(() -> ObservationRegistry.NOOP);
  }
}

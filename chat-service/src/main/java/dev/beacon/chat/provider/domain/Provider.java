package dev.beacon.chat.provider.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * The twelve LLM providers a workspace may configure (and the local stack's demo provider), with
 * their default base URLs. A base URL is the part before {@code /v1} for the OpenAI family ({@code
 * {base}/v1/chat/completions}), the API origin for Anthropic ({@code {base}/v1/messages}), Gemini
 * ({@code {base}/v1beta/models/...}) and Ollama ({@code {base}/api/chat}).
 */
public enum Provider {
  OPENAI("openai", "OpenAI", ProviderFamily.OPENAI, "https://api.openai.com", true),
  ANTHROPIC("anthropic", "Anthropic", ProviderFamily.ANTHROPIC, "https://api.anthropic.com", true),
  GOOGLE(
      "google",
      "Google Gemini",
      ProviderFamily.GOOGLE_GENAI,
      "https://generativelanguage.googleapis.com",
      true),
  GROQ("groq", "Groq", ProviderFamily.OPENAI, "https://api.groq.com/openai", true),
  MISTRAL("mistral", "Mistral", ProviderFamily.OPENAI, "https://api.mistral.ai", true),
  OLLAMA("ollama", "Ollama", ProviderFamily.OLLAMA, "http://localhost:11434", false),
  TOGETHER("together", "Together AI", ProviderFamily.OPENAI, "https://api.together.xyz", true),
  XAI("xai", "xAI", ProviderFamily.OPENAI, "https://api.x.ai", true),
  OPENROUTER("openrouter", "OpenRouter", ProviderFamily.OPENAI, "https://openrouter.ai/api", true),
  COHERE("cohere", "Cohere", ProviderFamily.OPENAI, "https://api.cohere.ai/compatibility", true),
  /**
   * Azure OpenAI's v1 API: {@code https://<resource>.openai.azure.com/openai}, key in {@code
   * api-key}.
   */
  AZURE_OPENAI("azure", "Azure OpenAI", ProviderFamily.OPENAI, null, true),
  /** Any OpenAI-compatible server; a key only if the server wants one. */
  CUSTOM("custom", "Custom (OpenAI-compatible)", ProviderFamily.OPENAI, null, false),
  /**
   * The local stack's demo provider: a local script speaking the OpenAI wire format, not a model.
   * Offered only under the local profile, where its base URL is set ({@code beacon.chat.demo}).
   */
  DEMO("demo", "Demo (local script, not a model)", ProviderFamily.OPENAI, null, false);

  /** The demo provider's one model. */
  public static final String DEMO_MODEL = "beacon-demo";

  private final String id;
  private final String displayName;
  private final ProviderFamily family;
  private final String defaultBaseUrl;
  private final boolean requiresApiKey;

  Provider(
      String id,
      String displayName,
      ProviderFamily family,
      String defaultBaseUrl,
      boolean requiresApiKey) {
    this.id = id;
    this.displayName = displayName;
    this.family = family;
    this.defaultBaseUrl = defaultBaseUrl;
    this.requiresApiKey = requiresApiKey;
  }

  /** The provider with this id ({@code openai}, {@code azure}, …); empty for anything else. */
  public static Optional<Provider> byId(String id) {
    return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
  }

  public String id() {
    return id;
  }

  public String displayName() {
    return displayName;
  }

  public ProviderFamily family() {
    return family;
  }

  /** The base URL used when the workspace sets none; {@code null} where one is required. */
  public String defaultBaseUrl() {
    return defaultBaseUrl;
  }

  /** Whether this is the local-only demo provider. */
  public boolean isDemo() {
    return this == DEMO;
  }

  public boolean requiresBaseUrl() {
    return defaultBaseUrl == null;
  }

  public boolean requiresApiKey() {
    return requiresApiKey;
  }
}

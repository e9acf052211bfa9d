package dev.beacon.chat.provider.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A provider as {@code GET /api/chat/providers} shows it to a workspace. The API key is never part
 * of it: {@code api_key} is {@code ••••} and the key's last four characters at most.
 *
 * @param id provider id
 * @param displayName name for people
 * @param family wire format: {@code openai}, {@code anthropic}, {@code google_genai}, {@code
 *     ollama}
 * @param defaultBaseUrl the provider's own base URL, {@code null} where the workspace must set one
 * @param requiresApiKey whether settings need an API key
 * @param configured whether the workspace has settings of its own for it (always for the demo
 *     provider); agents can use a provider that is {@code configured} or {@code hosted}
 * @param hosted whether calls use the platform's own key and are billed to the workspace's credits
 *     (no settings of the workspace's own; the demo provider)
 * @param hostedAvailable whether the platform has a key for it, used whenever the workspace has no
 *     settings of its own
 * @param apiKey the masked key, {@code null} when none is stored
 * @param baseUrl the workspace's base URL, {@code null} for the default
 * @param defaultModel the workspace's default model, or {@code null}
 * @param updatedAt when the settings were written last, or {@code null}
 * @param models the provider's models (configured providers only), or {@code null}
 * @param modelsError why the models could not be listed, or {@code null}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ProviderView(
    String id,
    @JsonProperty("display_name") String displayName,
    String family,
    @JsonProperty("default_base_url") String defaultBaseUrl,
    @JsonProperty("requires_api_key") boolean requiresApiKey,
    boolean configured,
    boolean hosted,
    @JsonProperty("hosted_available") boolean hostedAvailable,
    @JsonProperty("api_key") String apiKey,
    @JsonProperty("base_url") String baseUrl,
    @JsonProperty("default_model") String defaultModel,
    @JsonProperty("updated_at") Instant updatedAt,
    List<String> models,
    @JsonProperty("models_error") @JsonInclude(JsonInclude.Include.NON_NULL) Problem modelsError) {

  /**
   * A documented failure: {@code code} and a message for people.
   *
   * @param code stable code
   * @param message what happened
   */
  public record Problem(String code, String message) {}
}

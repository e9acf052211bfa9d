package dev.beacon.chat.provider.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.chat.provider.domain.Provider;
import dev.beacon.chat.provider.domain.ProviderSettingsService;
import dev.beacon.chat.provider.domain.ProviderVerdict;
import dev.beacon.chat.provider.domain.ProviderView;
import dev.beacon.chat.provider.domain.SettingsUpdate;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The workspace's LLM providers: every provider with its settings and models, settings writes
 * (members and above; the identity library refuses viewers' writes) and "test connection".
 */
@RestController
@RequestMapping("/api/chat/providers")
class ProviderController {

  private final ProviderSettingsService settings;

  ProviderController(ProviderSettingsService settings) {
    this.settings = settings;
  }

  @GetMapping
  Mono<Map<String, List<ProviderView>>> list(@AuthenticationPrincipal ForwardedIdentity identity) {
    return settings.list(identity.workspaceId()).map(views -> Map.of("providers", views));
  }

  /**
   * Body of {@code PUT …/settings}.
   *
   * @param apiKey the key; left out keeps the stored one
   * @param baseUrl base URL, the part before {@code /v1}; left out or blank for the default
   * @param defaultModel default model; left out or blank for none
   */
  record SettingsRequest(
      @JsonProperty("api_key") String apiKey,
      @JsonProperty("base_url") String baseUrl,
      @JsonProperty("default_model") String defaultModel) {

    @Override
    public String toString() {
      return "SettingsRequest[apiKey=" + (apiKey == null ? "<unset>" : "<hidden>") + "]";
    }
  }

  @PutMapping("/{provider}/settings")
  Mono<ProviderView> put(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @PathVariable String provider,
      @RequestBody(required = false) SettingsRequest request) {
    Provider known = settings.selectableProvider(provider);
    if (request == null) {
      throw ApiException.badRequest("invalid_provider_settings", "A JSON body is required.");
    }
    return settings.put(
        identity.workspaceId(),
        identity.userId(),
        known,
        new SettingsUpdate(request.apiKey(), request.baseUrl(), request.defaultModel()));
  }

  @DeleteMapping("/{provider}/settings")
  Mono<ResponseEntity<Void>> delete(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String provider) {
    Provider known = settings.selectableProvider(provider);
    return settings
        .delete(identity.workspaceId(), known)
        .thenReturn(ResponseEntity.noContent().build());
  }

  @PostMapping("/{provider}/test")
  Mono<ProviderVerdict> test(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String provider) {
    return settings.test(identity.workspaceId(), settings.selectableProvider(provider));
  }
}

package dev.beacon.chat.provider.domain;

import dev.beacon.chat.config.ChatProperties;
import dev.beacon.chat.web.FieldErrors;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The platform's own provider keys ({@code beacon.chat.hosted.*}): a workspace without settings of
 * its own for such a provider calls it with the platform's key, a "hosted" call whose {@code
 * llm_call} event billing debits. Read once at start; a provider id that is not in the table, the
 * demo provider, or a hosted Azure or Custom provider without a base URL stops the start (the error
 * names the provider, never the key). The keys are never logged or answered.
 */
@Component
public class HostedKeys {

  private static final Logger log = LoggerFactory.getLogger(HostedKeys.class);

  private final Map<Provider, Hosted> byProvider = new EnumMap<>(Provider.class);

  /** One hosted provider, checked. */
  private record Hosted(String apiKey, String baseUrl, String defaultModel) {
    @Override
    public String toString() {
      return "Hosted[apiKey=<hidden>, baseUrl=" + baseUrl + ", defaultModel=" + defaultModel + "]";
    }
  }

  HostedKeys(ChatProperties properties) {
    properties
        .hosted()
        .forEach(
            (id, key) -> {
              Provider provider =
                  Provider.byId(id)
                      .filter(p -> !p.isDemo())
                      .orElseThrow(
                          () ->
                              new IllegalStateException(
                                  "beacon.chat.hosted." + id + ": '" + id + "' is not a provider"));
              if (key == null || !key.isSet()) {
                return;
              }
              FieldErrors errors = new FieldErrors();
              String baseUrl =
                  ProviderSettingsService.checkBaseUrl(provider, key.baseUrl(), errors);
              if (!errors.isEmpty()) {
                throw new IllegalStateException(
                    "beacon.chat.hosted."
                        + id
                        + ".base-url: "
                        + (provider.requiresBaseUrl()
                            ? "is required for " + provider.displayName()
                            : "must be an absolute http(s) URL without user info, query or fragment"));
              }
              String model =
                  key.defaultModel() == null || key.defaultModel().isBlank()
                      ? null
                      : key.defaultModel().strip();
              byProvider.put(
                  provider,
                  new Hosted(
                      key.apiKey().strip(),
                      baseUrl != null ? baseUrl : provider.defaultBaseUrl(),
                      model));
            });
    log.info(
        "Hosted provider keys: {}",
        byProvider.isEmpty()
            ? "none"
            : byProvider.keySet().stream().map(Provider::id).collect(Collectors.joining(", ")));
  }

  /** Whether the platform has a key of its own for the provider. */
  public boolean has(Provider provider) {
    return byProvider.containsKey(provider);
  }

  /** The default model of a hosted provider, or {@code null}. */
  public String defaultModel(Provider provider) {
    Hosted hosted = byProvider.get(provider);
    return hosted == null ? null : hosted.defaultModel();
  }

  /** The platform's settings of the provider for a workspace; empty when it has no key for it. */
  public Optional<ProviderSettings> settings(String workspaceId, Provider provider) {
    Hosted hosted = byProvider.get(provider);
    if (hosted == null) {
      return Optional.empty();
    }
    return Optional.of(
        new ProviderSettings(
            workspaceId,
            provider,
            hosted.apiKey(),
            hosted.baseUrl(),
            hosted.defaultModel(),
            Instant.EPOCH,
            true));
  }
}

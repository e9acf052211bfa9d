package dev.beacon.chat.provider.domain;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.beacon.chat.config.ChatProperties;
import dev.beacon.chat.provider.client.ProviderModelsClient;
import dev.beacon.chat.provider.store.ProviderSettingsRepository;
import dev.beacon.chat.provider.store.ProviderSettingsRow;
import dev.beacon.chat.web.FieldErrors;
import dev.beacon.identity.error.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A workspace's provider settings (the old platform's {@code UserModelConfig}): written with the
 * key encrypted, listed with the key masked and the provider's models, resolved with the key
 * decrypted for the code that calls the provider, and tested against the provider itself.
 */
@Service
public class ProviderSettingsService {

  /** Longest accepted API key, base URL and model name, in characters. */
  public static final int MAX_API_KEY_LENGTH = 4096;

  public static final int MAX_BASE_URL_LENGTH = 2048;
  public static final int MAX_MODEL_LENGTH = 200;

  private static final String MASK = "••••";

  private final ProviderSettingsRepository repository;
  private final ApiKeyCipher cipher;
  private final ProviderModelsClient client;
  private final BaseUrlPolicy baseUrls;
  private final Clock clock;
  private final AsyncCache<ModelsKey, List<String>> models;
  private final ChatProperties.Demo demo;
  private final HostedKeys hosted;

  ProviderSettingsService(
      ProviderSettingsRepository repository,
      ApiKeyCipher cipher,
      ProviderModelsClient client,
      BaseUrlPolicy baseUrls,
      Clock clock,
      ChatProperties properties,
      HostedKeys hosted) {
    this.hosted = hosted;
    this.repository = repository;
    this.cipher = cipher;
    this.client = client;
    this.baseUrls = baseUrls;
    this.clock = clock;
    this.demo = properties.demo();
    this.models =
        Caffeine.newBuilder()
            .expireAfterWrite(properties.providers().modelsCacheTtl())
            .maximumSize(10_000)
            .buildAsync();
  }

  /**
   * The cache key: settings are versioned by their write time, so a change is never stale. The
   * hosted model list of a provider is one entry for all workspaces (workspace {@code null}).
   */
  private record ModelsKey(String workspaceId, Provider provider, Instant version) {}

  /** Every provider, with the workspace's settings and, for configured ones, their models. */
  public Mono<List<ProviderView>> list(String workspaceId) {
    return repository
        .findByWorkspace(workspaceId)
        .collectMap(ProviderSettingsRow::provider, Function.identity())
        .flatMap(
            rows ->
                // every configured provider is asked at once; the answer keeps the registry's order
                Flux.fromIterable(selectable())
                    .flatMapSequential(
                        provider -> {
                          if (provider.isDemo()) {
                            return Mono.just(demoView());
                          }
                          ProviderSettingsRow row = rows.get(provider.id());
                          if (row != null) {
                            return withModels(provider, row);
                          }
                          return hosted
                              .settings(workspaceId, provider)
                              .map(this::hostedView)
                              .orElseGet(() -> Mono.just(unconfiguredView(provider)));
                        })
                    .collectList());
  }

  /** The providers a workspace can choose: the demo provider only where it is on. */
  public List<Provider> selectable() {
    return Arrays.stream(Provider.values()).filter(p -> !p.isDemo() || demo.enabled()).toList();
  }

  /** Whether agents may use the provider here. */
  public boolean isSelectable(Provider provider) {
    return !provider.isDemo() || demo.enabled();
  }

  private ProviderView demoView() {
    return new ProviderView(
        Provider.DEMO.id(),
        Provider.DEMO.displayName(),
        Provider.DEMO.family().id(),
        demo.baseUrl(),
        false,
        true,
        true,
        true,
        null,
        demo.baseUrl(),
        Provider.DEMO_MODEL,
        null,
        List.of(Provider.DEMO_MODEL),
        null);
  }

  private static ProviderView unconfiguredView(Provider provider) {
    return new ProviderView(
        provider.id(),
        provider.displayName(),
        provider.family().id(),
        provider.defaultBaseUrl(),
        provider.requiresApiKey(),
        false,
        false,
        false,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * A provider the workspace uses with the platform's key: nothing of the key or of the platform's
   * base URL is shown, and a failed model list says only its code (a provider's own message may
   * echo part of the key).
   */
  private Mono<ProviderView> hostedView(ProviderSettings settings) {
    Provider provider = settings.provider();
    return Mono.fromFuture(
            models.get(
                new ModelsKey(null, provider, Instant.EPOCH),
                (key, executor) -> client.models(settings).toFuture()))
        .map(found -> hostedView(provider, found, null))
        .onErrorResume(
            ProviderCallException.class,
            e -> Mono.just(hostedView(provider, null, hostedProblem(provider, e.code()))));
  }

  private ProviderView hostedView(
      Provider provider, List<String> models, ProviderView.Problem modelsError) {
    return new ProviderView(
        provider.id(),
        provider.displayName(),
        provider.family().id(),
        provider.defaultBaseUrl(),
        provider.requiresApiKey(),
        false,
        true,
        true,
        null,
        null,
        hosted.defaultModel(provider),
        null,
        models,
        modelsError);
  }

  private static ProviderView.Problem hostedProblem(Provider provider, String code) {
    return new ProviderView.Problem(code, hostedFailure(provider, code));
  }

  private static String hostedFailure(Provider provider, String code) {
    return provider.displayName()
        + " could not list its models with Beacon's hosted key ("
        + code
        + "). Chat may still work; or add your own API key.";
  }

  private Mono<ProviderView> withModels(Provider provider, ProviderSettingsRow row) {
    Mono<List<String>> listed =
        Mono.defer(() -> Mono.just(toSettings(provider, row)))
            .flatMap(
                settings ->
                    Mono.fromFuture(
                        models.get(
                            new ModelsKey(row.workspaceId(), provider, row.updatedAt()),
                            (key, executor) -> client.models(settings).toFuture())));
    return listed
        .map(found -> view(provider, row, found, null))
        .onErrorResume(
            ProviderCallException.class,
            e ->
                Mono.just(
                    view(provider, row, null, new ProviderView.Problem(e.code(), e.getMessage()))))
        .onErrorResume(
            ApiException.class,
            e ->
                Mono.just(
                    view(provider, row, null, new ProviderView.Problem(e.code(), e.getMessage()))));
  }

  private ProviderView view(
      Provider provider,
      ProviderSettingsRow row,
      List<String> models,
      ProviderView.Problem modelsError) {
    return new ProviderView(
        provider.id(),
        provider.displayName(),
        provider.family().id(),
        provider.defaultBaseUrl(),
        provider.requiresApiKey(),
        true,
        false,
        hosted.has(provider),
        row.apiKeyCiphertext() == null
            ? null
            : MASK + (row.apiKeyLast4() == null ? "" : row.apiKeyLast4()),
        row.baseUrl(),
        row.defaultModel(),
        row.updatedAt(),
        models,
        modelsError);
  }

  /** Writes one provider's settings; a {@code null} key keeps the stored one. */
  public Mono<ProviderView> put(
      String workspaceId, String userId, Provider provider, SettingsUpdate update) {
    if (provider.isDemo()) {
      return Mono.error(demoHasNoSettings());
    }
    if (!cipher.isConfigured()) {
      return Mono.error(ApiKeyCipher.unconfigured());
    }
    FieldErrors errors = new FieldErrors();
    String apiKey = checkApiKey(update.apiKey(), errors);
    String baseUrl = checkBaseUrl(provider, update.baseUrl(), errors);
    String defaultModel = blankToNull(update.defaultModel());
    if (defaultModel != null
        && (defaultModel.length() > MAX_MODEL_LENGTH || hasControlCharacters(defaultModel))) {
      errors.add(
          "default_model",
          "must be at most " + MAX_MODEL_LENGTH + " characters, without control characters");
    }
    if (!errors.isEmpty()) {
      return Mono.error(errors.toException("invalid_provider_settings"));
    }
    return baseUrls
        .check(baseUrl)
        .then(repository.find(workspaceId, provider.id()))
        .map(existing -> new Existing(existing))
        .defaultIfEmpty(new Existing(null))
        .flatMap(
            existing -> {
              byte[] ciphertext;
              String last4;
              if (apiKey != null) {
                ciphertext = cipher.encrypt(workspaceId, provider, apiKey);
                last4 = apiKey.length() >= 12 ? apiKey.substring(apiKey.length() - 4) : null;
              } else if (existing.row() != null && existing.row().apiKeyCiphertext() != null) {
                ciphertext = existing.row().apiKeyCiphertext();
                last4 = existing.row().apiKeyLast4();
              } else if (provider.requiresApiKey()) {
                return Mono.error(
                    new FieldErrors()
                        .add("api_key", "is required for " + provider.displayName())
                        .toException("invalid_provider_settings"));
              } else {
                ciphertext = null;
                last4 = null;
              }
              ProviderSettingsRow row =
                  new ProviderSettingsRow(
                      workspaceId,
                      provider.id(),
                      ciphertext,
                      last4,
                      baseUrl,
                      defaultModel,
                      userId,
                      // microseconds, as PostgreSQL keeps them: the answer equals a later read
                      clock.instant().truncatedTo(ChronoUnit.MICROS));
              return repository.upsert(row).thenReturn(view(provider, row, null, null));
            });
  }

  private record Existing(ProviderSettingsRow row) {}

  /** Deletes one provider's settings; completes with whether there were any. */
  public Mono<Boolean> delete(String workspaceId, Provider provider) {
    if (provider.isDemo()) {
      return Mono.error(demoHasNoSettings());
    }
    return repository.delete(workspaceId, provider.id());
  }

  /**
   * The settings a workspace calls a provider with: its own, the key decrypted; else the platform's
   * hosted ones ({@link ProviderSettings#hosted()}: the demo provider, or a provider with a key in
   * {@code beacon.chat.hosted.*}); empty when there are neither. A workspace's own key always wins.
   */
  public Mono<ProviderSettings> resolve(String workspaceId, Provider provider) {
    if (provider.isDemo()) {
      return demo.enabled()
          ? Mono.just(
              new ProviderSettings(
                  workspaceId,
                  provider,
                  null,
                  demo.baseUrl(),
                  Provider.DEMO_MODEL,
                  Instant.EPOCH,
                  true))
          : Mono.empty();
    }
    return repository
        .find(workspaceId, provider.id())
        .map(row -> toSettings(provider, row))
        .switchIfEmpty(Mono.defer(() -> Mono.justOrEmpty(hosted.settings(workspaceId, provider))));
  }

  /** Asks the provider for its models with the workspace's settings: its own verdict. */
  public Mono<ProviderVerdict> test(String workspaceId, Provider provider) {
    return resolve(workspaceId, provider)
        .switchIfEmpty(Mono.error(() -> unconfigured(provider)))
        .flatMap(
            settings ->
                client
                    .models(settings)
                    .map(found -> ProviderVerdict.ok(provider, found.size()))
                    .onErrorResume(
                        ProviderCallException.class,
                        e ->
                            Mono.just(
                                settings.hosted()
                                    ? ProviderVerdict.failed(
                                        provider, e, hostedFailure(provider, e.code()))
                                    : ProviderVerdict.failed(provider, e))));
  }

  private ApiException demoHasNoSettings() {
    return demo.enabled()
        ? ApiException.badRequest(
            "demo_provider", "The demo provider is a local script: it has no settings to change.")
        : notSelectable(Provider.DEMO.id());
  }

  /** 404 {@code unknown_provider} for the demo provider outside the local profile. */
  private static ApiException notSelectable(String id) {
    return ApiException.notFound("unknown_provider", "No provider '" + id + "'.")
        .with("field", "provider");
  }

  /** 409 {@code provider_unconfigured}: the workspace has no settings for the provider. */
  public static ApiException unconfigured(Provider provider) {
    return ApiException.conflict(
            "provider_unconfigured",
            provider.displayName() + " is not configured in this workspace.")
        .with("provider", provider.id());
  }

  private ProviderSettings toSettings(Provider provider, ProviderSettingsRow row) {
    String apiKey =
        row.apiKeyCiphertext() == null
            ? null
            : cipher.decrypt(row.workspaceId(), provider, row.apiKeyCiphertext());
    String baseUrl = row.baseUrl() != null ? row.baseUrl() : provider.defaultBaseUrl();
    return new ProviderSettings(
        row.workspaceId(), provider, apiKey, baseUrl, row.defaultModel(), row.updatedAt());
  }

  private static String checkApiKey(String apiKey, FieldErrors errors) {
    if (apiKey == null) {
      return null;
    }
    String key = apiKey.strip();
    if (key.isEmpty()) {
      errors.add("api_key", "must not be blank; leave it out to keep the stored key");
    } else if (key.length() > MAX_API_KEY_LENGTH) {
      errors.add("api_key", "must be at most " + MAX_API_KEY_LENGTH + " characters");
    } else if (key.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      errors.add("api_key", "must not contain spaces or control characters");
    }
    return key;
  }

  /**
   * A base URL as stored: absolute http(s), no user info, query or fragment, without a trailing
   * slash or {@code /v1} (Beacon adds the API's own path).
   */
  static String checkBaseUrl(Provider provider, String baseUrl, FieldErrors errors) {
    String url = blankToNull(baseUrl);
    if (url == null) {
      if (provider.requiresBaseUrl()) {
        errors.add("base_url", "is required for " + provider.displayName());
      }
      return null;
    }
    if (url.length() > MAX_BASE_URL_LENGTH) {
      errors.add("base_url", "must be at most " + MAX_BASE_URL_LENGTH + " characters");
      return null;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https"))
          || uri.getHost() == null
          || uri.getRawUserInfo() != null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        errors.add(
            "base_url", "must be an absolute http(s) URL without user info, query or fragment");
        return null;
      }
    } catch (URISyntaxException e) {
      errors.add("base_url", "is not a URL");
      return null;
    }
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    if (provider.family() == ProviderFamily.OPENAI && url.endsWith("/v1")) {
      url = url.substring(0, url.length() - "/v1".length());
    }
    return url;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static boolean hasControlCharacters(String value) {
    return value.chars().anyMatch(Character::isISOControl);
  }

  /**
   * The provider with this id that this workspace can choose, or 404 {@code unknown_provider} (the
   * demo provider outside the local profile too).
   */
  public Provider selectableProvider(String id) {
    Provider provider = provider(id);
    if (!isSelectable(provider)) {
      throw notSelectable(provider.id());
    }
    return provider;
  }

  /** The provider with this id, or 404 {@code unknown_provider}. */
  public static Provider provider(String id) {
    return Provider.byId(id)
        .orElseThrow(
            () ->
                ApiException.notFound(
                        "unknown_provider",
                        "No provider '"
                            + truncate(id)
                            + "'. Known: "
                            + Arrays.stream(Provider.values())
                                .filter(p -> !p.isDemo())
                                .map(Provider::id)
                                .collect(Collectors.joining(", ")))
                    .with("field", "provider"));
  }

  private static String truncate(String value) {
    return value == null ? "" : value.length() > 40 ? value.substring(0, 40) + "…" : value;
  }
}

package dev.beacon.integrations.connection.domain;

import dev.beacon.events.ErrorDetails;
import dev.beacon.integrations.config.IntegrationsProperties;
import dev.beacon.integrations.events.CallContext;
import dev.beacon.integrations.events.IntegrationEvents;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The providers' authorization, token, account and revocation endpoints in their own wire formats.
 *
 * <p>Token requests: Google, Slack, GitHub, Todoist and Dropbox take a form with the client's id
 * and secret in it ({@code client_secret_post}); Spotify takes a form with the client in HTTP Basic
 * ({@code client_secret_basic}); Notion takes HTTP Basic and a JSON body. Answers: Google's,
 * Dropbox's, Spotify's and Todoist's are standard OAuth (errors as HTTP 400 {@code {"error"}}),
 * Slack's {@code {"ok": …}} JSON (errors as HTTP 200 {@code ok: false}), GitHub's JSON when asked
 * with {@code Accept: application/json} (errors as HTTP 200 {@code {"error"}}), Notion's OAuth JSON
 * or its API error object ({@code {"object": "error", "code"}}). A token endpoint answering with a
 * body that is not JSON fails the exchange.
 *
 * <p>Request bodies that hold a token or a code are written here as bytes: Spring's JSON encoder
 * logs what it encodes at DEBUG.
 */
@Component
class OAuthClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** The Notion API version Beacon speaks, on every Notion call (its OAuth endpoints too). */
  static final String NOTION_VERSION = "2022-06-28";

  /** Dropbox's RPC endpoints that take no argument are sent the JSON {@code null}. */
  private static final byte[] JSON_NULL = "null".getBytes(StandardCharsets.UTF_8);

  /**
   * Answers are read as bytes and parsed here: Spring's JSON and String decoders log what they
   * decoded at DEBUG, and these answers are tokens.
   */
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** How a provider's token endpoint wants the client authenticated, and the body written. */
  private enum TokenRequest {
    /** A form with {@code client_id} and {@code client_secret} in it. */
    FORM_WITH_SECRET,
    /** A form; the client in HTTP Basic. */
    BASIC_FORM,
    /** A JSON body; the client in HTTP Basic. */
    BASIC_JSON
  }

  private final WebClient web;
  private final IntegrationsProperties properties;
  private final Clock clock;

  private final IntegrationEvents events;

  OAuthClient(IntegrationsProperties properties, Clock clock, IntegrationEvents events) {
    this.web = WebClient.builder().build();
    this.properties = properties;
    this.clock = clock;
    this.events = events;
  }

  /**
   * Publishes one {@code service_call} for an OAuth call when it ends: service = the provider's id,
   * operation {@code oauth.token}, {@code oauth.refresh}, {@code oauth.account} or {@code
   * oauth.revoke}; an error names the provider's refusal ({@code invalid_grant} …), {@code timeout}
   * or the HTTP status, never a token.
   */
  private <T> Mono<T> observed(
      String workspaceId, ProviderId provider, String operation, String uri, Mono<T> call) {
    return Mono.defer(
        () -> {
          long started = System.nanoTime();
          return call.doOnSuccess(
                  value -> publish(workspaceId, provider, operation, uri, started, null))
              .doOnError(e -> publish(workspaceId, provider, operation, uri, started, e));
        });
  }

  private void publish(
      String workspaceId,
      ProviderId provider,
      String operation,
      String uri,
      long started,
      Throwable failure) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("purpose", "oauth");
    String host = host(uri);
    if (host != null) {
      metadata.put("host", host);
    }
    ErrorDetails error = null;
    if (failure instanceof ProviderRefusedException refused) {
      error =
          new ErrorDetails(
              refused.error(), provider.displayName() + " refused: " + refused.error());
    } else if (failure instanceof TimeoutException) {
      error = new ErrorDetails("timeout", provider.displayName() + " did not answer in time.");
    } else if (failure instanceof WebClientResponseException answered) {
      metadata.put("http_status", answered.getStatusCode().value());
      error =
          new ErrorDetails(
              "provider_error",
              provider.displayName() + " answered HTTP " + answered.getStatusCode().value() + ".");
    } else if (failure != null) {
      error =
          new ErrorDetails(
              "provider_error",
              provider.displayName()
                  + " could not be reached ("
                  + failure.getClass().getSimpleName()
                  + ").");
    }
    events.serviceCall(
        CallContext.of(workspaceId, null, null, null),
        provider.id(),
        operation,
        (System.nanoTime() - started) / 1_000_000,
        error,
        metadata);
  }

  private static String host(String uri) {
    try {
      return uri == null ? null : URI.create(uri.replace("{client_id}", "x")).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  IntegrationsProperties.Provider settings(ProviderId provider) {
    IntegrationsProperties.OAuth oauth = properties.oauth();
    return switch (provider) {
      case GOOGLE -> oauth.google();
      case SLACK -> oauth.slack();
      case GITHUB -> oauth.github();
      case NOTION -> oauth.notion();
      case TODOIST -> oauth.todoist();
      case DROPBOX -> oauth.dropbox();
      case SPOTIFY -> oauth.spotify();
    };
  }

  String redirectUri(ProviderId provider) {
    return properties.publicUrl() + "/api/integrations/oauth/" + provider.id() + "/callback";
  }

  /**
   * The provider's consent URL. Every provider gets the {@code state}; PKCE providers the S256
   * challenge of {@code codeVerifier}. Scopes are space-separated, except Slack's and Todoist's
   * (comma-separated). Notion has no scopes and asks {@code owner=user}; Todoist takes no {@code
   * redirect_uri} (it uses the one registered for the app) and no {@code response_type}; Google
   * asks for offline access and consent (for a refresh token), Dropbox for {@code
   * token_access_type=offline} (a refresh token next to its 4-hour access tokens).
   */
  URI authorizationUrl(ProviderId provider, String state, String codeVerifier) {
    IntegrationsProperties.Provider settings = settings(provider);
    UriComponentsBuilder url = UriComponentsBuilder.fromUriString(settings.authorizationUri());
    switch (provider) {
      case NOTION ->
          url.queryParam("client_id", settings.clientId())
              .queryParam("response_type", "code")
              .queryParam("owner", "user")
              .queryParam("redirect_uri", redirectUri(provider))
              .queryParam("state", state);
      case TODOIST ->
          url.queryParam("client_id", settings.clientId())
              .queryParam("scope", String.join(",", settings.scopes()))
              .queryParam("state", state);
      default ->
          url.queryParam("response_type", "code")
              .queryParam("client_id", settings.clientId())
              .queryParam("redirect_uri", redirectUri(provider))
              .queryParam(
                  "scope", String.join(provider == ProviderId.SLACK ? "," : " ", settings.scopes()))
              .queryParam("state", state);
    }
    if (provider.pkce()) {
      url.queryParam("code_challenge", challenge(codeVerifier))
          .queryParam("code_challenge_method", "S256");
    }
    if (provider == ProviderId.GOOGLE) {
      url.queryParam("access_type", "offline")
          .queryParam("prompt", "consent")
          .queryParam("include_granted_scopes", "true");
    }
    if (provider == ProviderId.DROPBOX) {
      url.queryParam("token_access_type", "offline");
    }
    return url.encode().build().toUri();
  }

  /**
   * Exchanges an authorization code (with its PKCE verifier, where the provider takes one).
   * Todoist's exchange is its SDKs' three fields, {@code client_id}, {@code client_secret} and
   * {@code code}; every other provider's is RFC 6749's {@code grant_type}, {@code code} and {@code
   * redirect_uri}.
   */
  Mono<GrantedTokens> exchange(
      ProviderId provider, String code, String codeVerifier, String workspaceId) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (provider != ProviderId.TODOIST) {
      fields.put("grant_type", "authorization_code");
    }
    fields.put("code", code);
    if (provider != ProviderId.TODOIST) {
      fields.put("redirect_uri", redirectUri(provider));
    }
    if (provider.pkce()) {
      fields.put("code_verifier", codeVerifier);
    }
    return observed(
        workspaceId,
        provider,
        "oauth.token",
        settings(provider).tokenUri(),
        post(provider, fields).map(answer -> granted(provider, answer)));
  }

  /** Trades a refresh token for a new access token (and, where the provider rotates, a new one). */
  Mono<GrantedTokens> refresh(ProviderId provider, String refreshToken, String workspaceId) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("grant_type", "refresh_token");
    fields.put("refresh_token", refreshToken);
    return observed(
        workspaceId,
        provider,
        "oauth.refresh",
        settings(provider).tokenUri(),
        post(provider, fields).map(answer -> granted(provider, answer)));
  }

  /**
   * The account the token belongs to: Google's email, GitHub's login, Todoist's email, Dropbox's
   * email ({@code POST /2/users/get_current_account}), Spotify's display name ({@code GET /v1/me}).
   * Slack's and Notion's came with the token.
   */
  Mono<String> account(ProviderId provider, String accessToken, String workspaceId) {
    String uri = settings(provider).accountUri();
    if (uri == null || uri.isBlank()) {
      return Mono.empty();
    }
    WebClient.RequestHeadersSpec<?> request =
        provider == ProviderId.DROPBOX
            ? web.post()
                .uri(uri)
                .headers(h -> h.setBearerAuth(accessToken))
                .accept(MediaType.APPLICATION_JSON)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(JSON_NULL)
            : web.get()
                .uri(uri)
                .headers(h -> h.setBearerAuth(accessToken))
                .accept(MediaType.APPLICATION_JSON);
    Mono<byte[]> answer = request.retrieve().bodyToMono(byte[].class).timeout(TIMEOUT);
    return observed(workspaceId, provider, "oauth.account", uri, answer)
        .map(JSON::readTree)
        .mapNotNull(
            user ->
                switch (provider) {
                  case GOOGLE -> text(user, "email");
                  case GITHUB -> text(user, "login");
                  case TODOIST -> orElse(text(user, "email"), text(user, "full_name"));
                  case DROPBOX ->
                      orElse(text(user, "email"), text(user.path("name"), "display_name"));
                  case SPOTIFY -> orElse(text(user, "display_name"), text(user, "id"));
                  case SLACK, NOTION -> null;
                });
  }

  /**
   * Whether a disconnect revokes with the refresh token: only Google, where revoking it ends the
   * whole grant. Every other provider's revocation takes the access token.
   */
  static boolean revokesWithRefreshToken(ProviderId provider) {
    return provider == ProviderId.GOOGLE;
  }

  /**
   * Revokes the grant where the provider offers it: Google's revocation endpoint ({@code token}
   * form field), Slack's {@code auth.revoke} (bearer), GitHub's {@code DELETE
   * /applications/{client_id}/grant} (basic auth with the app's id and secret, the token in the
   * body), Notion's {@code POST /v1/oauth/revoke} (basic auth, {@code {"token"}}), Todoist's RFC
   * 7009 {@code POST /api/v1/revoke} (basic auth, {@code {"token", "token_type_hint":
   * "access_token"}}), Dropbox's {@code POST /2/auth/token/revoke} (bearer; ends the refresh token
   * too). Spotify has no revocation endpoint: a person removes Beacon at spotify.com/account/apps.
   */
  Mono<Void> revoke(ProviderId provider, String token, String workspaceId) {
    IntegrationsProperties.Provider settings = settings(provider);
    String uri = settings.revocationUri();
    if (uri == null || uri.isBlank() || provider == ProviderId.SPOTIFY) {
      return Mono.empty();
    }
    WebClient.RequestHeadersSpec<?> request =
        switch (provider) {
          case GOOGLE ->
              web.post()
                  .uri(uri)
                  .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                  .body(BodyInserters.fromFormData("token", token));
          case SLACK ->
              web.post()
                  .uri(uri)
                  .headers(h -> h.setBearerAuth(token))
                  .contentType(MediaType.APPLICATION_FORM_URLENCODED);
          case GITHUB ->
              web.method(HttpMethod.DELETE)
                  .uri(uri.replace("{client_id}", settings.clientId()))
                  .headers(
                      h -> {
                        basic(h, settings);
                        h.set(HttpHeaders.ACCEPT, "application/vnd.github+json");
                      })
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(json(Map.of("access_token", token)));
          case NOTION ->
              web.post()
                  .uri(uri)
                  .headers(
                      h -> {
                        basic(h, settings);
                        h.set("Notion-Version", NOTION_VERSION);
                      })
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(json(Map.of("token", token)));
          case TODOIST -> {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("token", token);
            body.put("token_type_hint", "access_token");
            yield web.post()
                .uri(uri)
                .headers(h -> basic(h, settings))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(body));
          }
          case DROPBOX ->
              web.post()
                  .uri(uri)
                  .headers(h -> h.setBearerAuth(token))
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(JSON_NULL);
          case SPOTIFY -> throw new IllegalStateException("Spotify has no revocation endpoint");
        };
    return observed(
            workspaceId,
            provider,
            "oauth.revoke",
            uri,
            request.retrieve().toBodilessEntity().timeout(TIMEOUT))
        .then();
  }

  private static TokenRequest tokenRequest(ProviderId provider) {
    return switch (provider) {
      case GOOGLE, SLACK, GITHUB, TODOIST, DROPBOX -> TokenRequest.FORM_WITH_SECRET;
      case SPOTIFY -> TokenRequest.BASIC_FORM;
      case NOTION -> TokenRequest.BASIC_JSON;
    };
  }

  private Mono<JsonNode> post(ProviderId provider, Map<String, String> fields) {
    IntegrationsProperties.Provider settings = settings(provider);
    WebClient.RequestBodySpec request =
        web.post().uri(settings.tokenUri()).accept(MediaType.APPLICATION_JSON);
    WebClient.RequestHeadersSpec<?> ready =
        switch (tokenRequest(provider)) {
          case FORM_WITH_SECRET -> {
            MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
            fields.forEach(form::add);
            form.add("client_id", settings.clientId());
            form.add("client_secret", settings.clientSecret());
            yield request
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form));
          }
          case BASIC_FORM -> {
            MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
            fields.forEach(form::add);
            yield request
                .headers(h -> basic(h, settings))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form));
          }
          case BASIC_JSON ->
              request
                  .headers(
                      h -> {
                        basic(h, settings);
                        h.set("Notion-Version", NOTION_VERSION);
                      })
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(json(fields));
        };
    return ready
        .exchangeToMono(
            response -> {
              int status = response.statusCode().value();
              return response
                  .bodyToMono(byte[].class)
                  .map(body -> parse(body, status))
                  .switchIfEmpty(Mono.error(new ProviderRefusedException("http_" + status)));
            })
        .timeout(TIMEOUT);
  }

  private static JsonNode parse(byte[] body, int status) {
    try {
      return JSON.readTree(body);
    } catch (RuntimeException notJson) {
      throw new ProviderRefusedException("http_" + status);
    }
  }

  private GrantedTokens granted(ProviderId provider, JsonNode answer) {
    if (provider == ProviderId.SLACK && !answer.path("ok").asBoolean(false)) {
      throw new ProviderRefusedException(orElse(text(answer, "error"), "not_ok"));
    }
    String error = refusal(provider, answer);
    if (error != null) {
      throw new ProviderRefusedException(error);
    }
    String accessToken = text(answer, "access_token");
    if (accessToken == null) {
      throw new ProviderRefusedException("no_access_token");
    }
    Instant expiresAt =
        answer.path("expires_in").isNumber()
            ? clock.instant().plusSeconds(answer.path("expires_in").asLong())
            : null;
    String scope = text(answer, "scope");
    List<String> scopes =
        scope == null
            ? null
            : Arrays.stream(scope.split(provider == ProviderId.GOOGLE ? " " : "[,\\s]+"))
                .filter(s -> !s.isBlank())
                .toList();
    String account =
        switch (provider) {
          case SLACK -> text(answer.path("team"), "name");
          case NOTION -> notionAccount(answer);
          default -> null;
        };
    return new GrantedTokens(
        accessToken, text(answer, "refresh_token"), expiresAt, scopes, account);
  }

  /**
   * The refusal's code: RFC 6749's {@code error}; Notion's API errors carry theirs in {@code code}
   * ({@code {"object": "error", "code": "unauthorized"}}), Todoist's in {@code error_tag} ({@code
   * INVALID_GRANT}, compared in lower case).
   */
  private static String refusal(ProviderId provider, JsonNode answer) {
    if (provider == ProviderId.TODOIST && text(answer, "error_tag") != null) {
      return text(answer, "error_tag").toLowerCase(Locale.ROOT);
    }
    String error = text(answer, "error");
    if (error == null && provider == ProviderId.NOTION && "error".equals(text(answer, "object"))) {
      return orElse(text(answer, "code"), "error");
    }
    return error;
  }

  /** Notion names the workspace the integration was added to, and the person who added it. */
  private static String notionAccount(JsonNode answer) {
    JsonNode user = answer.path("owner").path("user");
    return orElse(
        text(answer, "workspace_name"),
        orElse(text(user, "name"), text(user.path("person"), "email")));
  }

  private static void basic(HttpHeaders headers, IntegrationsProperties.Provider settings) {
    headers.setBasicAuth(settings.clientId(), settings.clientSecret(), StandardCharsets.UTF_8);
  }

  private static byte[] json(Object body) {
    return JSON.writeValueAsBytes(body);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || !value.isString() || value.asString().isEmpty()
        ? null
        : value.asString();
  }

  private static String orElse(String value, String fallback) {
    return value == null ? fallback : value;
  }

  /** PKCE S256: BASE64URL(SHA-256(ASCII(verifier))), unpadded. */
  static String challenge(String verifier) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

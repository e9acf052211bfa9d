package dev.beacon.integrations.connection.domain;

import dev.beacon.integrations.config.IntegrationsProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The providers' token, account and revocation endpoints in their own wire formats: Google's
 * standard OAuth answers (errors as HTTP 400 {@code {"error"}}), Slack's {@code {"ok": …}} JSON
 * (errors as HTTP 200 {@code ok: false}), GitHub's JSON when asked with {@code Accept:
 * application/json} (errors as HTTP 200 {@code {"error"}}). Every client authenticates with its id
 * and secret in the form body ({@code client_secret_post}). A token endpoint answering with a body
 * that is not JSON fails the exchange.
 */
@Component
class OAuthClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /**
   * Answers are read as bytes and parsed here: Spring's JSON and String decoders log what they
   * decoded at DEBUG, and these answers are tokens.
   */
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final WebClient web;
  private final IntegrationsProperties properties;
  private final Clock clock;

  OAuthClient(IntegrationsProperties properties, Clock clock) {
    this.web = WebClient.builder().build();
    this.properties = properties;
    this.clock = clock;
  }

  IntegrationsProperties.Provider settings(ProviderId provider) {
    return switch (provider) {
      case GOOGLE -> properties.oauth().google();
      case SLACK -> properties.oauth().slack();
      case GITHUB -> properties.oauth().github();
    };
  }

  String redirectUri(ProviderId provider) {
    return properties.publicUrl() + "/api/integrations/oauth/" + provider.id() + "/callback";
  }

  /** Exchanges an authorization code (with its PKCE verifier, where the provider takes one). */
  Mono<GrantedTokens> exchange(ProviderId provider, String code, String codeVerifier) {
    IntegrationsProperties.Provider settings = settings(provider);
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    form.add("grant_type", "authorization_code");
    form.add("code", code);
    form.add("redirect_uri", redirectUri(provider));
    form.add("client_id", settings.clientId());
    form.add("client_secret", settings.clientSecret());
    if (provider.pkce()) {
      form.add("code_verifier", codeVerifier);
    }
    return post(settings.tokenUri(), form).map(answer -> granted(provider, answer));
  }

  /** Trades a refresh token for a new access token. */
  Mono<GrantedTokens> refresh(ProviderId provider, String refreshToken) {
    IntegrationsProperties.Provider settings = settings(provider);
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    form.add("grant_type", "refresh_token");
    form.add("refresh_token", refreshToken);
    form.add("client_id", settings.clientId());
    form.add("client_secret", settings.clientSecret());
    return post(settings.tokenUri(), form).map(answer -> granted(provider, answer));
  }

  /**
   * The account the token belongs to: Google's email, GitHub's login (Slack's came with the token).
   */
  Mono<String> account(ProviderId provider, String accessToken) {
    String uri = settings(provider).accountUri();
    if (uri == null || uri.isBlank()) {
      return Mono.empty();
    }
    return web.get()
        .uri(uri)
        .headers(h -> h.setBearerAuth(accessToken))
        .accept(MediaType.APPLICATION_JSON)
        .retrieve()
        .bodyToMono(byte[].class)
        .timeout(TIMEOUT)
        .map(JSON::readTree)
        .mapNotNull(
            user ->
                switch (provider) {
                  case GOOGLE -> text(user, "email");
                  case GITHUB -> text(user, "login");
                  case SLACK -> null;
                });
  }

  /**
   * Revokes the grant where the provider offers it: Google's revocation endpoint ({@code token}
   * form field; revoking the refresh token ends the whole grant), Slack's {@code auth.revoke}
   * (bearer), GitHub's {@code DELETE /applications/{client_id}/grant} (basic auth with the app's id
   * and secret, the token in the body).
   */
  Mono<Void> revoke(ProviderId provider, String token) {
    IntegrationsProperties.Provider settings = settings(provider);
    String uri = settings.revocationUri();
    if (uri == null || uri.isBlank()) {
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
                        h.setBasicAuth(
                            settings.clientId(), settings.clientSecret(), StandardCharsets.UTF_8);
                        h.set(HttpHeaders.ACCEPT, "application/vnd.github+json");
                      })
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(Map.of("access_token", token));
        };
    return request.retrieve().toBodilessEntity().timeout(TIMEOUT).then();
  }

  private Mono<JsonNode> post(String uri, MultiValueMap<String, String> form) {
    return web.post()
        .uri(uri)
        .accept(MediaType.APPLICATION_JSON)
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .body(BodyInserters.fromFormData(form))
        .exchangeToMono(
            response ->
                response
                    .bodyToMono(byte[].class)
                    .map(JSON::readTree)
                    .switchIfEmpty(
                        Mono.error(
                            new ProviderRefusedException("http_" + response.statusCode().value()))))
        .timeout(TIMEOUT);
  }

  private GrantedTokens granted(ProviderId provider, JsonNode answer) {
    if (provider == ProviderId.SLACK && !answer.path("ok").asBoolean(false)) {
      throw new ProviderRefusedException(orElse(text(answer, "error"), "not_ok"));
    }
    String error = text(answer, "error");
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
    String account = provider == ProviderId.SLACK ? text(answer.path("team"), "name") : null;
    return new GrantedTokens(
        accessToken, text(answer, "refresh_token"), expiresAt, scopes, account);
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

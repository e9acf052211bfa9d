package dev.beacon.chat.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.beacon.chat.ChatTestKit.as;
import static dev.beacon.chat.ChatTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Provider settings behind the forwarded identity: writes, masked lists with each family's model
 * list, model-list failures, "test connection" verdicts, validation, roles and tenancy. Providers
 * are one WireMock server, each under its own path prefix.
 */
@IntegrationTest
class ProviderSettingsWebFluxTests {

  static final WireMockServer providers =
      new WireMockServer(WireMockConfiguration.options().dynamicPort());

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  @BeforeAll
  static void start() {
    providers.start();
  }

  @AfterAll
  static void stop() {
    providers.stop();
  }

  static String base(String prefix) {
    return providers.baseUrl() + prefix;
  }

  WebTestClient.ResponseSpec put(String ws, String provider, Map<String, ?> body) {
    return web.put()
        .uri("/api/chat/providers/" + provider + "/settings")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.MEMBER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  WebTestClient.BodyContentSpec list(String ws) {
    return web.get()
        .uri("/api/chat/providers")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.VIEWER))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody();
  }

  WebTestClient.BodyContentSpec test(String ws, String provider) {
    return web.post()
        .uri("/api/chat/providers/" + provider + "/test")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.MEMBER))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody();
  }

  @Test
  void listsEveryProviderAndConfiguredOnesWithMaskedKeyAndModels() {
    String ws = workspace();
    providers.stubFor(
        get(urlPathEqualTo("/list-openai/v1/models"))
            .willReturn(
                okJson(
                    """
                    {"object": "list", "data": [{"id": "gpt-4o", "object": "model"},
                                                {"id": "gpt-4o-mini", "object": "model"}]}
                    """)));

    put(
            ws,
            "openai",
            Map.of(
                "api_key",
                "sk-list-0000000000001234",
                "base_url",
                base("/list-openai/v1/"),
                "default_model",
                "gpt-4o-mini"))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true)
        .jsonPath("$.api_key")
        .isEqualTo("••••1234")
        .jsonPath("$.base_url")
        .isEqualTo(base("/list-openai"));

    list(ws)
        .jsonPath("$.providers.length()")
        .isEqualTo(12)
        .jsonPath("$.providers[*].id")
        .isEqualTo(
            java.util.List.of(
                "openai",
                "anthropic",
                "google",
                "groq",
                "mistral",
                "ollama",
                "together",
                "xai",
                "openrouter",
                "cohere",
                "azure",
                "custom"))
        .jsonPath("$.providers[0].display_name")
        .isEqualTo("OpenAI")
        .jsonPath("$.providers[0].family")
        .isEqualTo("openai")
        .jsonPath("$.providers[0].configured")
        .isEqualTo(true)
        .jsonPath("$.providers[0].api_key")
        .isEqualTo("••••1234")
        .jsonPath("$.providers[0].default_model")
        .isEqualTo("gpt-4o-mini")
        .jsonPath("$.providers[0].models")
        .isEqualTo(java.util.List.of("gpt-4o", "gpt-4o-mini"))
        .jsonPath("$.providers[1].configured")
        .isEqualTo(false)
        .jsonPath("$.providers[1].default_base_url")
        .isEqualTo("https://api.anthropic.com")
        .jsonPath("$.providers[3].default_base_url")
        .isEqualTo("https://api.groq.com/openai")
        .jsonPath("$.providers[10].default_base_url")
        .isEmpty();

    // a second list within the cache time does not ask the provider again
    list(ws).jsonPath("$.providers[0].models.length()").isEqualTo(2);
    providers.verify(
        1,
        getRequestedFor(urlPathEqualTo("/list-openai/v1/models"))
            .withHeader("Authorization", equalTo("Bearer sk-list-0000000000001234")));
  }

  @Test
  void modelListsSpeakEachFamilysFormat() {
    String ws = workspace();
    providers.stubFor(
        get(urlPathEqualTo("/fam-anthropic/v1/models"))
            .withHeader("x-api-key", equalTo("sk-ant-000000000000"))
            .withHeader("anthropic-version", equalTo("2023-06-01"))
            .willReturn(
                okJson(
                    """
                    {"data": [{"type": "model", "id": "claude-sonnet-4-5",
                               "display_name": "Claude Sonnet 4.5"}],
                     "has_more": false, "first_id": "claude-sonnet-4-5",
                     "last_id": "claude-sonnet-4-5"}
                    """)));
    providers.stubFor(
        get(urlPathEqualTo("/fam-google/v1beta/models"))
            .withHeader("x-goog-api-key", equalTo("AIza-000000000000"))
            .willReturn(
                okJson(
                    """
                    {"models": [{"name": "models/gemini-2.5-flash", "version": "001",
                                 "supportedGenerationMethods": ["generateContent"]}]}
                    """)));
    providers.stubFor(
        get(urlPathEqualTo("/fam-ollama/api/tags"))
            .willReturn(
                okJson(
                    """
                    {"models": [{"name": "llama3.2:latest", "model": "llama3.2:latest",
                                 "size": 2019393189}]}
                    """)));
    providers.stubFor(
        get(urlPathEqualTo("/fam-together/v1/models"))
            .willReturn(
                okJson(
                    """
                    [{"id": "meta-llama/Llama-3.3-70B-Instruct-Turbo", "object": "model",
                      "type": "chat"}]
                    """)));
    providers.stubFor(
        get(urlPathEqualTo("/fam-cohere/v1/models"))
            .withQueryParam("endpoint", equalTo("chat"))
            .withHeader("Authorization", equalTo("Bearer co-000000000000"))
            .willReturn(
                okJson(
                    """
                    {"models": [{"name": "command-a-03-2025", "endpoints": ["chat"]}],
                     "next_page_token": ""}
                    """)));
    providers.stubFor(
        get(urlPathEqualTo("/fam-azure/openai/v1/models"))
            .withHeader("api-key", equalTo("az-000000000000"))
            .willReturn(okJson("{\"object\": \"list\", \"data\": [{\"id\": \"gpt-4.1\"}]}")));

    put(
            ws,
            "anthropic",
            Map.of("api_key", "sk-ant-000000000000", "base_url", base("/fam-anthropic")))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.api_key")
        .isEqualTo("••••0000");
    put(ws, "google", Map.of("api_key", "AIza-000000000000", "base_url", base("/fam-google")))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);
    put(ws, "ollama", Map.of("base_url", base("/fam-ollama")))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.api_key")
        .isEmpty();
    put(ws, "together", Map.of("api_key", "tg-000000000000", "base_url", base("/fam-together")))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);
    put(
            ws,
            "cohere",
            Map.of("api_key", "co-000000000000", "base_url", base("/fam-cohere/compatibility")))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);
    put(ws, "azure", Map.of("api_key", "az-000000000000", "base_url", base("/fam-azure/openai")))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);

    list(ws)
        .jsonPath("$.providers[?(@.id == 'anthropic')].models[0]")
        .isEqualTo("claude-sonnet-4-5")
        .jsonPath("$.providers[?(@.id == 'google')].models[0]")
        .isEqualTo("gemini-2.5-flash")
        .jsonPath("$.providers[?(@.id == 'ollama')].models[0]")
        .isEqualTo("llama3.2:latest")
        .jsonPath("$.providers[?(@.id == 'together')].models[0]")
        .isEqualTo("meta-llama/Llama-3.3-70B-Instruct-Turbo")
        .jsonPath("$.providers[?(@.id == 'cohere')].models[0]")
        .isEqualTo("command-a-03-2025")
        .jsonPath("$.providers[?(@.id == 'azure')].models[0]")
        .isEqualTo("gpt-4.1")
        .jsonPath("$.providers[*].models_error")
        .doesNotExist();
  }

  @Test
  void aFailingModelListIsShownOnTheProviderNotAsA500() {
    String ws = workspace();
    providers.stubFor(
        get(urlPathEqualTo("/broken/v1/models"))
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\": {\"message\": \"The server had an error\"}}")));
    put(ws, "groq", Map.of("api_key", "gsk-000000000000", "base_url", base("/broken")))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);
    put(ws, "custom", Map.of("base_url", "http://127.0.0.1:9"))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);

    list(ws)
        .jsonPath("$.providers[?(@.id == 'groq')].models_error.code")
        .isEqualTo("provider_error")
        .jsonPath("$.providers[?(@.id == 'groq')].models_error.message")
        .isEqualTo("Groq answered HTTP 500: The server had an error")
        .jsonPath("$.providers[?(@.id == 'custom')].models_error.code")
        .isEqualTo("provider_unreachable");
  }

  @Test
  void testConnectionAnswersWithTheProvidersOwnVerdict() {
    String ws = workspace();
    providers.stubFor(
        get(urlPathEqualTo("/verdict-ok/v1/models"))
            .willReturn(okJson("{\"data\": [{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}]}")));
    providers.stubFor(
        get(urlPathEqualTo("/verdict-refused/v1/models"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"error": {"message": "Incorrect API key provided: sk-xx***xx.",
                                   "type": "invalid_request_error", "code": "invalid_api_key"}}
                        """)));
    providers.stubFor(
        get(urlPathEqualTo("/verdict-error/v1/models"))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"message\": \"Rate limit reached for requests\"}")));

    put(ws, "xai", Map.of("api_key", "xai-000000000000", "base_url", base("/verdict-ok")))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);
    test(ws, "xai")
        .jsonPath("$.ok")
        .isEqualTo(true)
        .jsonPath("$.provider")
        .isEqualTo("xai")
        .jsonPath("$.model_count")
        .isEqualTo(3);

    put(ws, "openai", Map.of("api_key", "sk-000000000000", "base_url", base("/verdict-refused")))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);
    test(ws, "openai")
        .jsonPath("$.ok")
        .isEqualTo(false)
        .jsonPath("$.code")
        .isEqualTo("provider_key_refused")
        .jsonPath("$.provider_status")
        .isEqualTo(401)
        .jsonPath("$.message")
        .isEqualTo(
            "OpenAI refused the API key (HTTP 401): Incorrect API key provided: sk-xx***xx.");

    put(ws, "mistral", Map.of("api_key", "ms-000000000000", "base_url", base("/verdict-error")))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);
    test(ws, "mistral")
        .jsonPath("$.ok")
        .isEqualTo(false)
        .jsonPath("$.code")
        .isEqualTo("provider_error")
        .jsonPath("$.message")
        .isEqualTo("Mistral answered HTTP 429: Rate limit reached for requests");

    put(ws, "openrouter", Map.of("api_key", "or-000000000000", "base_url", "http://127.0.0.1:9"))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);
    test(ws, "openrouter")
        .jsonPath("$.ok")
        .isEqualTo(false)
        .jsonPath("$.code")
        .isEqualTo("provider_unreachable");

    web.post()
        .uri("/api/chat/providers/anthropic/test")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.MEMBER))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("provider_unconfigured");
  }

  @Test
  void aProviderThatDoesNotAnswerInTimeIsUnreachableWithinTheBound() {
    String ws = workspace();
    providers.stubFor(
        get(urlPathEqualTo("/slow/v1/models"))
            .willReturn(okJson("{\"data\": []}").withFixedDelay(10_000)));
    put(ws, "openai", Map.of("api_key", "sk-slow-000000000000", "base_url", base("/slow")))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);

    long started = System.nanoTime();
    test(ws, "openai")
        .jsonPath("$.ok")
        .isEqualTo(false)
        .jsonPath("$.code")
        .isEqualTo("provider_unreachable")
        .jsonPath("$.message")
        .isEqualTo("OpenAI could not be reached in time. Check the base URL.");
    // beacon.chat.providers.request-timeout is 3 s in the tests
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
        .isLessThan(java.time.Duration.ofSeconds(8));
  }

  @Test
  void settingsAreValidatedAndAStoredKeyIsKeptWhenLeftOut() {
    String ws = workspace();
    put(ws, "openai", Map.of("default_model", "gpt-4o"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_provider_settings")
        .jsonPath("$.errors[0].field")
        .isEqualTo("api_key");
    put(ws, "azure", Map.of("api_key", "az-000000000000"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("base_url");
    Map<String, Object> bad = new HashMap<>();
    bad.put("api_key", "has a space");
    bad.put("base_url", "ftp://user:pw@example.com");
    bad.put("default_model", "m".repeat(201));
    put(ws, "custom", bad)
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors.length()")
        .isEqualTo(3);

    put(ws, "mistral", Map.of("api_key", "ms-kept-00000000abcd"))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.api_key")
        .isEqualTo("••••abcd");
    put(ws, "mistral", Map.of("default_model", "mistral-large-latest"))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.api_key")
        .isEqualTo("••••abcd")
        .jsonPath("$.default_model")
        .isEqualTo("mistral-large-latest");
  }

  @Test
  void deleteForgetsTheSettings() {
    String ws = workspace();
    put(ws, "together", Map.of("api_key", "tg-000000000000", "base_url", "http://127.0.0.1:9"))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);

    web.delete()
        .uri("/api/chat/providers/together/settings")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.ADMIN))
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();

    list(ws)
        .jsonPath("$.providers[?(@.id == 'together')].configured")
        .isEqualTo(false)
        .jsonPath("$.providers[?(@.id == 'together')].api_key")
        .isEqualTo(java.util.Collections.singletonList(null));
  }

  @Test
  void unknownProvidersAreNotFoundAndViewersCannotWrite() {
    String ws = workspace();
    put(ws, "skynet", Map.of("api_key", "x"))
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("unknown_provider");

    web.put()
        .uri("/api/chat/providers/openai/settings")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.VIEWER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("api_key", "sk-viewer-000000000"))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden_role");
    web.delete()
        .uri("/api/chat/providers/openai/settings")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.VIEWER))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden_role");
  }

  @Test
  void anotherWorkspaceSeesNoneOfTheSettings() {
    String ws = workspace();
    put(ws, "openai", Map.of("api_key", "sk-tenant-000000000000", "base_url", "http://127.0.0.1:9"))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);

    list(workspace()).jsonPath("$.providers[0].configured").isEqualTo(false);
  }
}

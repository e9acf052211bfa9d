package dev.beacon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway serving the dashboard bundle: {@code src/test/resources/static} stands in for the
 * frontend jar (test classes come first on the class path), marked {@code gateway-test-bundle}.
 */
class FrontendApplicationTests extends GatewayTestSupport {

  private static final String MARKER = "gateway-test-bundle";

  /** Generous: the first requests after start can be slow on a busy machine. */
  private WebTestClient client() {
    return web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
  }

  private WebTestClient.ResponseSpec page(String path) {
    return client().get().uri(path).accept(MediaType.TEXT_HTML).exchange();
  }

  @Test
  void theRootServesIndexHtmlWithoutASessionAndUncached() {
    page("/")
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.TEXT_HTML)
        .expectHeader()
        .cacheControl(org.springframework.http.CacheControl.noCache())
        .expectBody(String.class)
        .value(body -> assertThat(body).contains(MARKER));
  }

  @Test
  void clientSideRoutesServeIndexHtml() {
    for (String route :
        new String[] {
          "/overview", "/runs/42", "/agents/support-bot/tools", "/agents/support.bot-v1.2"
        }) {
      page(route)
          .expectStatus()
          .isOk()
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.TEXT_HTML)
          .expectHeader()
          .valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache")
          .expectBody(String.class)
          .value(body -> assertThat(body).as(route).contains(MARKER));
    }
  }

  @Test
  void hashedAssetsAreCachedForAYearAsImmutable() {
    String cacheControl =
        client()
            .get()
            .uri("/assets/index-T3stB6nd.js")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith("text/javascript")
            .expectBody(String.class)
            .value(body -> assertThat(body).contains(MARKER))
            .returnResult()
            .getResponseHeaders()
            .getCacheControl();
    assertThat(directives(cacheControl))
        .isEqualTo(Set.of("public", "max-age=31536000", "immutable"));
  }

  @Test
  void aMissingAssetOrFileIs404NotTheApp() {
    page("/assets/index-gone.js")
        .expectStatus()
        .isNotFound()
        .expectBody(String.class)
        .value(body -> assertThat(body).doesNotContain(MARKER));
    page("/favicon-missing.png")
        .expectStatus()
        .isNotFound()
        .expectBody(String.class)
        .value(body -> assertThat(body).doesNotContain(MARKER));
  }

  @Test
  void onlyBrowserNavigationsFallBackToTheApp() {
    client()
        .get()
        .uri("/overview")
        .accept(MediaType.APPLICATION_JSON)
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody(String.class)
        .value(body -> assertThat(body).doesNotContain(MARKER));
    client()
        .post()
        .uri("/overview")
        .accept(MediaType.TEXT_HTML)
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("csrf_invalid"); // no CSRF token: refused before anything else
  }

  @Test
  void theApiStillNeedsASessionEvenForABrowserNavigation() {
    page("/api/me")
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("unauthenticated");
    page("/api/obs/summary")
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("unauthenticated");
  }

  @Test
  void serverPagesAreNotReplacedByTheApp() {
    page("/dev/mailbox")
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("Development mailbox").doesNotContain(MARKER));
    client()
        .get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
  }

  @Test
  void pagesCarrySecurityHeadersForAnSpa() {
    page("/overview")
        .expectHeader()
        .valueEquals("X-Content-Type-Options", "nosniff")
        .expectHeader()
        .valueEquals("X-Frame-Options", "DENY")
        .expectHeader()
        .valueEquals("Referrer-Policy", "strict-origin-when-cross-origin")
        .expectHeader()
        .value(
            "Content-Security-Policy",
            csp ->
                assertThat(csp)
                    .contains("default-src 'self'")
                    .contains("script-src 'self';")
                    .contains("frame-ancestors 'none'")
                    .contains("object-src 'none'"))
        .expectBody(String.class)
        .value(body -> assertThat(body).contains(MARKER));
  }

  private static Set<String> directives(String cacheControl) {
    return Arrays.stream(cacheControl.split(",")).map(String::trim).collect(Collectors.toSet());
  }
}

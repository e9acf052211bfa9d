package dev.beacon.integrations.webfetch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.integrations.IntegrationsStandIns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code web_fetch} end to end through the registry API, against WireMock playing the site: the
 * readable text, the request sent, redirects, limits and the site's failures.
 */
class WebFetchApplicationTests extends IntegrationsStandIns {

  private static final String PAGE =
      """
      <!doctype html>
      <html><head><title>  Release notes  </title>
      <style>body { color: red }</style>
      <script>var secret = "do not show";</script>
      <meta name="description" content="not shown">
      </head>
      <body>
        <nav><a href="/">Home</a></nav>
        <h1>Beacon 1.0</h1>
        <p>Events are   <b>observed</b>
        once.</p>
        <ul><li>First</li><li>Second</li></ul>
        <noscript>Enable JavaScript</noscript>
        <div hidden>hidden text</div>
        <script>document.write("also not shown")</script>
      </body></html>
      """;

  @Test
  void anHtmlPageBecomesItsTitleAndReadableText() {
    String path = sitePath("notes");
    SITE.stubFor(
        get(urlEqualTo(path))
            .willReturn(
                aResponse().withHeader("Content-Type", "text/html; charset=utf-8").withBody(PAGE)));

    JsonNode answer = fetch(workspace(), url(path));

    assertThat(fieldNames(answer)).containsExactly("status", "result");
    assertThat(answer.get("status").asString()).isEqualTo("ok");
    assertThat(answer.get("result").asString())
        .isEqualTo(
            "Title: Release notes\nURL: "
                + url(path)
                + "\n\nHome\nBeacon 1.0\nEvents are observed once.\nFirst\nSecond");
    List<LoggedRequest> requests = SITE.findAll(anyRequestedFor(urlPathMatching(path)));
    assertThat(requests).hasSize(1);
    LoggedRequest request = requests.get(0);
    assertThat(request.getMethod().getName()).isEqualTo("GET");
    assertThat(request.getUrl()).isEqualTo(path);
    assertThat(request.getHeader("User-Agent")).startsWith("Beacon-WebFetch/1.0");
    assertThat(request.getHeader("Accept")).contains("text/html");
  }

  @Test
  void plainTextAndJsonComeBackAsServed() {
    String text = sitePath("robots.txt");
    String json = sitePath("api.json");
    SITE.stubFor(
        get(urlEqualTo(text))
            .willReturn(
                aResponse().withHeader("Content-Type", "text/plain").withBody("User-agent: *")));
    SITE.stubFor(
        get(urlEqualTo(json))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"version\": \"1.0\"}")));
    String workspace = workspace();

    assertThat(fetch(workspace, url(text)).get("result").asString())
        .isEqualTo("URL: " + url(text) + "\n\nUser-agent: *");
    assertThat(fetch(workspace, url(json)).get("result").asString())
        .isEqualTo("URL: " + url(json) + "\n\n{\"version\": \"1.0\"}");
  }

  @Test
  void redirectsAreFollowedRelativeAndAbsolute() {
    String first = sitePath("old");
    String second = first.replace("/old", "/moved");
    String last = first.replace("/old", "/new");
    SITE.stubFor(
        get(urlEqualTo(first))
            .willReturn(aResponse().withStatus(301).withHeader("Location", "moved")));
    SITE.stubFor(
        get(urlEqualTo(second))
            .willReturn(aResponse().withStatus(307).withHeader("Location", url(last))));
    SITE.stubFor(
        get(urlEqualTo(last))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/html")
                    .withBody("<title>New</title><p>Here now</p>")));

    JsonNode answer = fetch(workspace(), url(first));

    assertThat(answer.get("status").asString()).isEqualTo("ok");
    assertThat(answer.get("result").asString())
        .isEqualTo("Title: New\nURL: " + url(last) + "\n\nHere now");
    for (String path : List.of(first, second, last)) {
      assertThat(SITE.findAll(anyRequestedFor(urlEqualTo(path)))).hasSize(1);
    }
  }

  @Test
  void moreThanFiveRedirectsFail() {
    String base = sitePath("loop");
    for (int i = 0; i < 6; i++) {
      SITE.stubFor(
          get(urlEqualTo(base + i))
              .willReturn(aResponse().withStatus(302).withHeader("Location", url(base + (i + 1)))));
    }

    JsonNode answer = fetch(workspace(), url(base + 0));

    assertError(answer, "fetch_failed", "redirected more than 5 times");
    assertThat(SITE.findAll(anyRequestedFor(urlPathMatching(base + "[0-9]")))).hasSize(6);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/admin",
        "http://[::1]/",
        "http://2130706433/",
        "LOOPBACK_OUTSIDE_PREFIX",
        "LOCALHOST"
      })
  void aRedirectToARefusedAddressIsRefused(String target) {
    String refused = sitePath("refused-target");
    String location =
        switch (target) {
          case "LOOPBACK_OUTSIDE_PREFIX" ->
              "http://127.0.0.1:" + SITE.port() + "/private" + refused;
          case "LOCALHOST" -> "http://localhost:" + SITE.port() + refused;
          default -> target;
        };
    String path = sitePath("redirect");
    SITE.stubFor(
        get(urlEqualTo(path))
            .willReturn(aResponse().withStatus(302).withHeader("Location", location)));
    SITE.stubFor(get(urlPathMatching(".*" + refused)).willReturn(aResponse().withBody("secret")));

    JsonNode answer = fetch(workspace(), url(path));

    assertError(answer, "address_not_allowed", "not");
    assertThat(SITE.findAll(anyRequestedFor(urlPathMatching(".*" + refused)))).isEmpty();
  }

  @Test
  void aBodyIsReadOnlyUpToTwoMegabytes() {
    String path = sitePath("huge");
    String padding = "<!--" + "x".repeat(2_500_000) + "-->";
    SITE.stubFor(
        get(urlEqualTo(path))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/html")
                    .withBody(
                        "<title>Huge</title><p>before the limit</p>"
                            + padding
                            + "<p>after the limit</p>")));

    JsonNode answer = fetch(workspace(), url(path));

    assertThat(answer.get("status").asString()).isEqualTo("ok");
    String result = answer.get("result").asString();
    assertThat(result).contains("before the limit").doesNotContain("after the limit");
    assertThat(result).endsWith("\n[truncated]");
  }

  @Test
  void theResultIsCutAtMaxChars() {
    String path = sitePath("long");
    SITE.stubFor(
        get(urlEqualTo(path))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/plain")
                    .withBody("word ".repeat(10_000))));

    JsonNode defaults = fetch(workspace(), url(path));
    JsonNode short200 =
        execute(
            workspace(),
            "web_fetch",
            Map.of("arguments", Map.of("url", url(path), "max_chars", 200)));

    assertThat(defaults.get("result").asString()).hasSize(16_000).endsWith("\n[truncated]");
    assertThat(short200.get("result").asString()).hasSize(200).endsWith("\n[truncated]");
  }

  @Test
  void aSiteSlowerThanTheTimeoutTimesOut() {
    String path = sitePath("slow");
    SITE.stubFor(
        get(urlEqualTo(path))
            .willReturn(
                aResponse()
                    .withFixedDelay(4_000)
                    .withHeader("Content-Type", "text/plain")
                    .withBody("late")));

    long started = System.nanoTime();
    JsonNode answer = fetch(workspace(), url(path));
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertError(answer, "timeout", "within 2000 ms");
    assertThat(tookMs).isBetween(1_900L, 3_900L);
  }

  @Test
  void aFailingSiteIsFetchFailedWithItsStatus() {
    String missing = sitePath("missing");
    String broken = sitePath("broken");
    SITE.stubFor(get(urlEqualTo(missing)).willReturn(aResponse().withStatus(404).withBody("no")));
    SITE.stubFor(get(urlEqualTo(broken)).willReturn(aResponse().withStatus(503)));
    String workspace = workspace();

    assertError(fetch(workspace, url(missing)), "fetch_failed", "HTTP 404");
    assertError(fetch(workspace, url(broken)), "fetch_failed", "HTTP 503");
  }

  @Test
  void contentOtherThanPagesTextAndJsonIsUnsupported() {
    String image = sitePath("logo.png");
    String untyped = sitePath("untyped");
    SITE.stubFor(
        get(urlEqualTo(image))
            .willReturn(
                aResponse().withHeader("Content-Type", "image/png").withBody(new byte[] {1, 2})));
    SITE.stubFor(get(urlEqualTo(untyped)).willReturn(aResponse().withBody("?")));
    String workspace = workspace();

    assertError(fetch(workspace, url(image)), "unsupported_content", "image/png");
    assertError(fetch(workspace, url(untyped)), "unsupported_content", "no declared type");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://example.com/file",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "not a url",
        "https://user:secret@example.com/",
        "https:///no-host",
        "https://exa mple.com/"
      })
  void aUrlThatIsNotAnHttpUrlIsInvalid(String url) {
    assertError(fetch(workspace(), url), "invalid_url", "");
  }

  static List<String> fieldNames(JsonNode node) {
    return node.properties().stream().map(Map.Entry::getKey).toList();
  }

  static String url(String path) {
    return sitePrefix() + path.substring("/site/".length());
  }

  static void assertError(JsonNode answer, String code, String messagePart) {
    assertThat(fieldNames(answer)).containsExactly("status", "error");
    assertThat(fieldNames(answer.get("error"))).containsExactly("code", "message");
    assertThat(answer.get("status").asString()).isEqualTo("error");
    assertThat(answer.get("error").get("code").asString()).isEqualTo(code);
    assertThat(answer.get("error").get("message").asString()).contains(messagePart);
  }
}

package dev.beacon.gateway.apikey;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

class ApiKeyClientTests {

  static final WireMockServer ingest =
      new WireMockServer(WireMockConfiguration.options().dynamicPort());

  ApiKeyClient client;

  @BeforeAll
  static void start() {
    ingest.start();
  }

  @AfterAll
  static void stop() {
    ingest.stop();
  }

  @BeforeEach
  void setUp() {
    ingest.resetAll();
    client =
        new ApiKeyClient(
            WebClient.create(ingest.baseUrl()),
            // a generous timeout: no test here is about it, and a busy machine answers slowly
            new ApiKeyProperties(
                "/internal/keys/verify", Duration.ofSeconds(2), Duration.ofSeconds(20)));
  }

  @Test
  void readsTheDocumentedAnswer() {
    stub(
        "k",
        okJson("{\"workspace_id\":\"w-1\",\"scopes\":[\"ingest\",\"read\"],\"key_id\":\"id-1\"}"));
    StepVerifier.create(client.verify("k"))
        .assertNext(
            v -> {
              assertThat(v.valid()).isTrue();
              assertThat(v.workspaceId()).isEqualTo("w-1");
              assertThat(v.keyId()).isEqualTo("id-1");
              assertThat(v.hasScope("read")).isTrue();
            })
        .verifyComplete();
  }

  @Test
  void toleratesCamelCaseFieldsAndAScopeString() {
    stub("k", okJson("{\"workspaceId\":\"w-2\",\"scope\":\"read ingest\",\"keyId\":\"id-2\"}"));
    StepVerifier.create(client.verify("k"))
        .assertNext(v -> assertThat(v.hasScope("read")).isTrue())
        .verifyComplete();
  }

  @Test
  void treatsRefusalsAsInvalidKeys() {
    stub("k", aResponse().withStatus(401));
    StepVerifier.create(client.verify("k"))
        .assertNext(v -> assertThat(v.valid()).isFalse())
        .verifyComplete();
  }

  @Test
  void failsWhenIngestIsDownAndDoesNotCacheTheFailure() {
    stub("k", aResponse().withStatus(503));
    StepVerifier.create(client.verify("k")).expectError().verify(Duration.ofSeconds(10));
    stub("k", okJson("{\"workspace_id\":\"w\",\"scopes\":[\"read\"]}"));
    StepVerifier.create(client.verify("k"))
        .assertNext(v -> assertThat(v.valid()).isTrue())
        .verifyComplete();
  }

  @Test
  void cachesAnswersBrieflySoThatARevokedKeyStopsWorkingWithinFiveSeconds() {
    stub("k", okJson("{\"workspace_id\":\"w\",\"scopes\":[\"read\"]}"));
    assertThat(client.verify("k").block().valid()).isTrue();
    assertThat(client.verify("k").block().valid()).isTrue();
    ingest.verify(1, postRequestedFor(urlPathEqualTo("/internal/keys/verify")));

    stub("k", aResponse().withStatus(401));
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !client.verify("k").block().valid());
  }

  private static void stub(
      String key, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
    ingest.stubFor(
        post(urlPathEqualTo("/internal/keys/verify"))
            .withRequestBody(equalToJson("{\"key\":\"" + key + "\"}"))
            .willReturn(response));
  }
}

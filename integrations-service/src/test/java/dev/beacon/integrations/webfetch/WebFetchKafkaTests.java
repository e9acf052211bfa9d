package dev.beacon.integrations.webfetch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.beacon.integrations.webfetch.WebFetchApplicationTests.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import dev.beacon.integrations.IntegrationsStandIns;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Every request {@code web_fetch} sends is one {@code service_call} on {@code
 * obs.service-calls.v1}, in the caller's workspace, agent, run and trace; a refused address sends
 * nothing and publishes nothing; no {@code tool_call} is published (the caller does that).
 */
class WebFetchKafkaTests extends IntegrationsStandIns {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT_SPAN = "00f067aa0ba902b7";

  @BeforeAll
  static void readEvents() {
    EventLog.start();
  }

  @Test
  void eachRequestPublishesOneServiceCallInTheCallersTrace() {
    String workspace = workspace();
    String first = sitePath("first");
    String last = first.replace("/first", "/last");
    String missing = sitePath("missing");
    SITE.stubFor(
        get(urlEqualTo(first))
            .willReturn(aResponse().withStatus(302).withHeader("Location", url(last))));
    SITE.stubFor(
        get(urlEqualTo(last))
            .willReturn(aResponse().withHeader("Content-Type", "text/plain").withBody("arrived")));
    SITE.stubFor(get(urlEqualTo(missing)).willReturn(aResponse().withStatus(404)));

    JsonNode ok = executeTraced(workspace, url(first), "call_ok");
    JsonNode failed = executeTraced(workspace, url(missing), "call_missing");
    JsonNode refused = executeTraced(workspace, "http://10.0.0.1/", "call_refused");

    assertThat(ok.get("status").asString()).isEqualTo("ok");
    assertThat(failed.get("error").get("code").asString()).isEqualTo("fetch_failed");
    assertThat(refused.get("error").get("code").asString()).isEqualTo("address_not_allowed");
    await().atMost(Duration.ofSeconds(20)).until(() -> EventLog.of(workspace).size() >= 3);
    // nothing more arrives: each request was published once, the refusal not at all
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> EventLog.of(workspace).size() == 3);
    List<EventLog.Received> received = EventLog.of(workspace);
    assertThat(received)
        .allSatisfy(
            r -> {
              assertThat(r.topic()).isEqualTo(Topics.SERVICE_CALLS.name());
              assertThat(r.key()).isEqualTo(Topics.eventKey(workspace, "agent-7"));
            });
    List<ObsEvent> events =
        received.stream()
            .map(EventLog.Received::event)
            .sorted(Comparator.comparing(ObsEvent::occurredAt))
            .toList();
    assertThat(events.stream().map(ObsEvent::eventId).distinct()).hasSize(3);
    assertThat(events)
        .allSatisfy(
            event -> {
              assertThat(event.type()).isEqualTo(EventType.SERVICE_CALL);
              assertThat(event.service().name()).isEqualTo("web");
              assertThat(event.service().operation()).isEqualTo("fetch");
              assertThat(event.agentId()).isEqualTo("agent-7");
              assertThat(event.runId()).isEqualTo("run-7");
              assertThat(event.traceId()).isEqualTo(TRACE_ID);
              assertThat(event.parentSpanId()).isEqualTo(PARENT_SPAN);
              assertThat(event.spanId()).matches("[0-9a-f]{16}");
              assertThat(event.durationMs()).isBetween(0L, 2_000L);
              assertThat(event.metadata())
                  .containsEntry("source", "integrations-service")
                  .containsEntry("tool", "web_fetch")
                  .containsEntry("host", "127.0.0.1");
            });
    assertThat(events.stream().map(e -> e.metadata().get("http_status")).sorted().toList())
        .containsExactly(200, 302, 404);
    ObsEvent redirect = byStatus(events, 302);
    ObsEvent page = byStatus(events, 200);
    ObsEvent notFound = byStatus(events, 404);
    assertThat(redirect.status()).isEqualTo(EventStatus.OK);
    assertThat(redirect.metadata())
        .containsEntry("call_id", "call_ok")
        .containsEntry("redirect", 0);
    assertThat(page.status()).isEqualTo(EventStatus.OK);
    assertThat(page.error()).isNull();
    assertThat(page.metadata()).containsEntry("call_id", "call_ok").containsEntry("redirect", 1);
    assertThat(notFound.status()).isEqualTo(EventStatus.ERROR);
    assertThat(notFound.error().type()).isEqualTo("fetch_failed");
    assertThat(notFound.error().message()).isEqualTo("HTTP 404");
    assertThat(notFound.metadata()).containsEntry("call_id", "call_missing");
  }

  @Test
  void withoutATraceparentTheExecutionHasATraceOfItsOwn() {
    String workspace = workspace();
    String path = sitePath("untraced");
    SITE.stubFor(
        get(urlEqualTo(path))
            .willReturn(aResponse().withHeader("Content-Type", "text/plain").withBody("hi")));

    fetch(workspace, url(path));

    await().atMost(Duration.ofSeconds(20)).until(() -> EventLog.of(workspace).size() == 1);
    ObsEvent event = EventLog.of(workspace).get(0).event();
    assertThat(event.traceId()).matches("[0-9a-f]{32}");
    assertThat(event.parentSpanId()).isNull();
    assertThat(event.agentId()).isNull();
    assertThat(event.runId()).isNull();
    assertThat(event.status()).isEqualTo(EventStatus.OK);
  }

  private JsonNode executeTraced(String workspace, String url, String callId) {
    byte[] answer =
        web.post()
            .uri("/api/integrations/tools/web_fetch/execute")
            .header(
                dev.beacon.identity.ForwardedIdentity.HEADER,
                as(workspace, dev.beacon.identity.Role.MEMBER))
            .header("traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                Map.of(
                    "arguments",
                    Map.of("url", url),
                    "call_id",
                    callId,
                    "agent_id",
                    "agent-7",
                    "run_id",
                    "run-7"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(answer);
  }

  private static ObsEvent byStatus(List<ObsEvent> events, int status) {
    return events.stream()
        .filter(e -> Integer.valueOf(status).equals(e.metadata().get("http_status")))
        .findFirst()
        .orElseThrow();
  }
}

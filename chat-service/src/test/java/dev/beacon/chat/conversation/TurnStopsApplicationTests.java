package dev.beacon.chat.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.beacon.chat.ChatTestKit.as;
import static dev.beacon.chat.ChatTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import dev.beacon.chat.ChatStandIns;
import dev.beacon.chat.ChatTestKit;
import dev.beacon.chat.ChatTestKit.Sse;
import dev.beacon.chat.OpenAiWire;
import dev.beacon.events.ErrorDetails;
import dev.beacon.events.Topics;
import dev.beacon.events.TurnStop;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Every stop of a turn on {@code chat.turn-stops.v1}, from the outbox, once each: a plain answer,
 * the pause for an approval and the answer after it is approved or rejected through chat's approval
 * API, a failed turn; and the sweep sends a stop Kafka has not acknowledged yet (ADR 0028).
 */
@IntegrationTest
class TurnStopsApplicationTests extends ChatStandIns {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired DatabaseClient db;

  @DynamicPropertySource
  static void sweepOften(DynamicPropertyRegistry registry) {
    registry.add("beacon.chat.turn-stops.sweep-interval", () -> "1s");
  }

  @BeforeAll
  static void readStops() {
    TurnStopLog.start();
  }

  private record Setup(String ws, String key, String agentId, String conversation) {}

  private Setup setup() {
    String ws = workspace();
    String key = key();
    ChatTestKit.configure(web, signer, ws, "openai", key, STAND_INS.baseUrl());
    String agentId =
        ChatTestKit.createAgent(
                web,
                signer,
                ws,
                Map.of(
                    "name",
                    "Mailer",
                    "provider",
                    "openai",
                    "model",
                    "gpt-4o-mini",
                    "tools",
                    List.of(Map.of("name", "gmail.send", "requires_approval", true))))
            .get("id")
            .asString();
    return new Setup(ws, key, agentId, ChatTestKit.converse(web, signer, ws, agentId));
  }

  private static MappingBuilder completions(String key) {
    return post(urlPathEqualTo("/v1/chat/completions"))
        .withHeader("Authorization", equalTo("Bearer " + key));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder stream(
      String body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "text/event-stream")
        .withBody(body);
  }

  /** The model calls gmail.send first, and answers {@code after} once it has the tool's result. */
  private static void mailsThenAnswers(String key, String callId, String after) {
    STAND_INS.stubFor(
        completions(key)
            .atPriority(5)
            .willReturn(
                stream(
                    OpenAiWire.toolCalls(
                        30,
                        12,
                        new String[] {callId, "gmail_send", "{\"to\":\"team@example.com\"}"}))));
    STAND_INS.stubFor(
        completions(key)
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
            .willReturn(stream(OpenAiWire.text(after, 50, 5, 0, 0))));
  }

  private static JsonNode last(List<Sse> events, String name) {
    JsonNode found = null;
    for (Sse e : events) {
      if (e.event().equals(name)) {
        found = e.data();
      }
    }
    return found;
  }

  /** Waits for the run's stops to reach {@code count}, then for a second that no more come. */
  private static List<TurnStopLog.Received> stops(String runId, int count) {
    await().atMost(Duration.ofSeconds(30)).until(() -> TurnStopLog.of(runId).size() >= count);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> TurnStopLog.of(runId).size() == count);
    return TurnStopLog.of(runId);
  }

  private void decide(Setup s, String approvalId, String decision, Map<String, ?> body) {
    web.post()
        .uri("/api/chat/approvals/{id}/" + decision, approvalId)
        .header(ForwardedIdentity.HEADER, as(signer, s.ws(), Role.ADMIN))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void aPlainTurnStopsOnceIdleWithItsAnswer() {
    Setup s = setup();
    STAND_INS.stubFor(
        completions(s.key()).willReturn(stream(OpenAiWire.text("Two meetings.", 12, 4, 0, 0))));

    List<Sse> turn = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "What is on?");
    String runId = last(turn, "run").get("run_id").asString();

    List<TurnStopLog.Received> stops = stops(runId, 1);
    TurnStopLog.Received received = stops.get(0);
    assertThat(received.key()).isEqualTo(Topics.eventKey(s.ws(), s.agentId()));
    TurnStop stop = received.stop();
    assertThat(stop.stopId()).isEqualTo(runId + ":1");
    assertThat(stop.workspaceId()).isEqualTo(s.ws());
    assertThat(stop.agentId()).isEqualTo(s.agentId());
    assertThat(stop.conversationId()).isEqualTo(s.conversation());
    assertThat(stop.traceId()).isEqualTo(last(turn, "run").get("trace_id").asString());
    assertThat(stop.stop()).isEqualTo(1);
    assertThat(stop.state()).isEqualTo(TurnStop.IDLE);
    assertThat(stop.answer()).isEqualTo("Two meetings.");
    assertThat(stop.error()).isNull();
    assertThat(stop.decisions()).isEmpty();
    assertThat(stop.waiting()).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> unpublished(runId) == 0L);
  }

  @Test
  void anApprovedCallStopsTheTurnTwiceTheSecondTimeWithTheFinalAnswer() {
    Setup s = setup();
    mailsThenAnswers(s.key(), "call_s1", "The email is sent.");

    List<Sse> turn = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Email the team");
    String runId = last(turn, "run").get("run_id").asString();
    String approvalId = last(turn, "approval").get("approval").get("id").asString();

    TurnStop paused = stops(runId, 1).get(0).stop();
    assertThat(paused.stopId()).isEqualTo(runId + ":1");
    assertThat(paused.state()).isEqualTo(TurnStop.AWAITING_APPROVAL);
    assertThat(paused.waiting()).containsExactly("gmail.send");
    assertThat(paused.answer()).isNull();
    assertThat(paused.decisions()).isEmpty();

    decide(s, approvalId, "approve", Map.of());

    List<TurnStopLog.Received> stops = stops(runId, 2);
    TurnStop ended = stops.get(1).stop();
    assertThat(stops.get(1).key()).isEqualTo(Topics.eventKey(s.ws(), s.agentId()));
    assertThat(ended.stopId()).isEqualTo(runId + ":2");
    assertThat(ended.stop()).isEqualTo(2);
    assertThat(ended.state()).isEqualTo(TurnStop.IDLE);
    assertThat(ended.traceId()).isEqualTo(paused.traceId());
    assertThat(ended.answer()).isEqualTo("The email is sent.");
    assertThat(ended.decisions())
        .containsExactly(new TurnStop.Decision(approvalId, "gmail.send", "executed", null));
    assertThat(ended.waiting()).isEmpty();
    assertThat(ended.error()).isNull();
  }

  @Test
  void aRejectedCallsStopCarriesTheReasonAndTheAgentsAnswer() {
    Setup s = setup();
    mailsThenAnswers(s.key(), "call_s2", "Understood, I did not send it.");

    List<Sse> turn = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Email everyone");
    String runId = last(turn, "run").get("run_id").asString();
    String approvalId = last(turn, "approval").get("approval").get("id").asString();
    stops(runId, 1);

    decide(s, approvalId, "reject", Map.of("reason", "Not to everyone"));

    TurnStop ended = stops(runId, 2).get(1).stop();
    assertThat(ended.state()).isEqualTo(TurnStop.IDLE);
    assertThat(ended.answer()).isEqualTo("Understood, I did not send it.");
    assertThat(ended.decisions())
        .containsExactly(
            new TurnStop.Decision(approvalId, "gmail.send", "rejected", "Not to everyone"));
  }

  @Test
  void aFailedTurnStopsWithChatsErrorCode() {
    Setup s = setup();
    STAND_INS.stubFor(
        completions(s.key())
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": {\"message\": \"Incorrect API key provided.\","
                            + " \"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\"}}")));

    List<Sse> turn = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Hi");
    String runId = last(turn, "run").get("run_id").asString();

    TurnStop stop = stops(runId, 1).get(0).stop();
    assertThat(stop.state()).isEqualTo(TurnStop.IDLE);
    assertThat(stop.error().type()).isEqualTo("provider_key_refused");
    assertThat(stop.error().message()).isEqualTo(last(turn, "error").get("message").asString());
    assertThat(stop.answer()).isNull();
  }

  @Test
  void theSweepSendsAStopKafkaHasNotAcknowledged() {
    String ws = workspace();
    String runId = UUID.randomUUID().toString();
    String agentId = UUID.randomUUID().toString();
    TurnStop stop =
        new TurnStop(
            TurnStop.stopId(runId, 1),
            ws,
            agentId,
            UUID.randomUUID().toString(),
            runId,
            "4bf92f3577b34da6a3ce929d0e0e4736",
            1,
            TurnStop.IDLE,
            null,
            new ErrorDetails("turn_interrupted", "interrupted"),
            List.of(),
            List.of(),
            OffsetDateTime.now(ZoneOffset.UTC));
    // as the stop statement leaves it when the broker is down: stored, never acknowledged
    db.sql(
            "INSERT INTO chat.turn_stops (stop_id, workspace_id, agent_id, run_id, payload,"
                + " stopped_at) VALUES (:id, :ws, :agent, :run, :payload, now())")
        .bind("id", stop.stopId())
        .bind("ws", ws)
        .bind("agent", UUID.fromString(agentId))
        .bind("run", UUID.fromString(runId))
        .bind("payload", ChatTestKit.JSON.writeValueAsString(stop))
        .then()
        .block();

    List<TurnStopLog.Received> sent = stops(runId, 1);
    assertThat(sent.get(0).stop()).isEqualTo(stop);
    assertThat(sent.get(0).key()).isEqualTo(Topics.eventKey(ws, agentId));
    await().atMost(Duration.ofSeconds(10)).until(() -> unpublished(runId) == 0L);
  }

  private long unpublished(String runId) {
    return db.sql(
            "SELECT count(*) AS n FROM chat.turn_stops WHERE run_id = :run AND published_at IS NULL")
        .bind("run", UUID.fromString(runId))
        .map(r -> r.get("n", Long.class))
        .one()
        .block();
  }
}

package dev.beacon.aggregator.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.aggregator.EventStream;
import dev.beacon.aggregator.Events;
import dev.beacon.events.ActionDetails;
import dev.beacon.events.ActionState;
import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Action events paired by action id into approval metrics: out of order, duplicated, expired and
 * rejected, per agent and kind, and only for the caller's workspace.
 */
@IntegrationTest
class ApprovalMetricsKafkaTests {

  @Autowired KafkaTemplate<String, byte[]> kafka;
  @Autowired ObjectMapper json;
  @Autowired DataSource dataSource;
  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  private static ObsEvent action(
      String ws, String id, String kind, ActionState state, Boolean expired, OffsetDateTime at) {
    return Events.event(
        ws,
        "support-bot",
        EventType.ACTION,
        at,
        EventStatus.OK,
        null,
        null,
        null,
        new ActionDetails(kind, state, id, expired),
        null);
  }

  @Test
  void stateEventsPairIntoCountsRatesAndTimeToApprove() {
    String ws = Events.newWorkspace();
    String other = Events.newWorkspace();
    OffsetDateTime t =
        OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).truncatedTo(ChronoUnit.SECONDS);
    List<ObsEvent> events = new ArrayList<>();
    // a: approved after 2 s, executed; its decision arrives before its proposal
    events.add(action(ws, "a", "send_email", ActionState.APPROVED, null, t.plusSeconds(2)));
    events.add(action(ws, "a", "send_email", ActionState.PROPOSED, null, t));
    events.add(action(ws, "a", "send_email", ActionState.EXECUTED, null, t.plusSeconds(3)));
    // b: approved after 10 s, failed
    events.add(action(ws, "b", "send_email", ActionState.PROPOSED, null, t));
    events.add(action(ws, "b", "send_email", ActionState.APPROVED, null, t.plusSeconds(10)));
    events.add(action(ws, "b", "send_email", ActionState.FAILED, null, t.plusSeconds(11)));
    // c: rejected; d: expired; e: pending
    events.add(action(ws, "c", "send_email", ActionState.PROPOSED, null, t));
    events.add(action(ws, "c", "send_email", ActionState.REJECTED, null, t.plusSeconds(5)));
    events.add(action(ws, "d", "send_email", ActionState.PROPOSED, null, t));
    events.add(action(ws, "d", "send_email", ActionState.REJECTED, true, t.plusSeconds(60)));
    events.add(action(ws, "e", "create_task", ActionState.PROPOSED, null, t));
    // a duplicate of b's approval (a retried event) counts once: same event id
    events.add(events.get(4));
    events.add(action(other, "x", "send_email", ActionState.PROPOSED, null, t));
    EventStream stream = new EventStream(kafka, json, new JdbcTemplate(dataSource));
    stream.publish(events);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stream.storedEvents(ws) == 11 && stream.storedEvents(other) == 1);

    byte[] body =
        web.get()
            .uri(
                "/api/obs/approvals?from={from}&to={to}",
                t.minusHours(1).toString(),
                t.plusHours(1).toString())
            .header(ForwardedIdentity.HEADER, signer.sign("u-1", ws, Role.VIEWER))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    JsonNode groups = json.readTree(body).get("groups");
    assertThat(groups).hasSize(2);
    JsonNode task = groups.get(0);
    assertThat(task.get("kind").asString()).isEqualTo("create_task");
    assertThat(task.get("pending").asLong()).isEqualTo(1);
    assertThat(task.get("approval_rate").isNull()).isTrue();
    JsonNode email = groups.get(1);
    assertThat(email.get("agent_id").asString()).isEqualTo("support-bot");
    assertThat(email.get("proposed").asLong()).isEqualTo(4);
    assertThat(email.get("approved").asLong()).isEqualTo(2);
    assertThat(email.get("rejected").asLong()).isEqualTo(1);
    assertThat(email.get("expired").asLong()).isEqualTo(1);
    assertThat(email.get("executed").asLong()).isEqualTo(1);
    assertThat(email.get("failed").asLong()).isEqualTo(1);
    assertThat(email.get("pending").asLong()).isZero();
    assertThat(email.get("approval_rate").asString()).isEqualTo("0.5");
    assertThat(email.get("time_to_approve_ms").get("p50").asLong()).isEqualTo(2000);
    assertThat(email.get("time_to_approve_ms").get("p95").asLong()).isEqualTo(10000);

    web.get()
        .uri("/api/obs/approvals")
        .header(ForwardedIdentity.HEADER, signer.sign("u-2", Events.newWorkspace(), Role.OWNER))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.groups.length()")
        .isEqualTo(0);
    web.get()
        .uri("/api/obs/approvals?from=2026-12-02&to=2026-12-01")
        .header(ForwardedIdentity.HEADER, signer.sign("u-1", ws, Role.VIEWER))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_parameter");
  }
}

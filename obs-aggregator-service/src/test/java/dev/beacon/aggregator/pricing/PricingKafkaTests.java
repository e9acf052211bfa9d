package dev.beacon.aggregator.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.aggregator.EventStream;
import dev.beacon.aggregator.Events;
import dev.beacon.events.ObsEvent;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.ObjectMapper;

@IntegrationTest
class PricingKafkaTests {

  @Autowired KafkaTemplate<String, byte[]> kafka;
  @Autowired ObjectMapper json;
  @Autowired DataSource dataSource;
  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  EventStream stream;
  String workspace;
  OffsetDateTime now;

  @BeforeEach
  void setUp() {
    stream = new EventStream(kafka, json, new JdbcTemplate(dataSource));
    workspace = Events.newWorkspace();
    now = OffsetDateTime.now(ZoneOffset.UTC);
  }

  @Test
  void aPriceChangeOnADateLeavesOlderEventsAtTheOlderPrice() {
    long oldPrice = addPrice("acme", "m1", now.minusDays(10), "1.00", "2.00");
    long newPrice = addPrice("acme", "m1", now.minusDays(2), "2.00", "4.00");
    ObsEvent before =
        Events.llmCall(workspace, "a", "acme", "m1", now.minusDays(5), 1000, 1000, 0, 0, 10);
    ObsEvent after =
        Events.llmCall(workspace, "a", "acme", "m1", now.minusDays(1), 1000, 1000, 0, 0, 10);
    stream.publish(List.of(before, after));

    await().atMost(Duration.ofSeconds(30)).until(() -> stream.storedEvents(workspace) == 2);
    assertThat(costOf(before))
        .containsEntry("cost_nano_usd", 3_000_000L)
        .containsEntry("pricing_id", oldPrice);
    assertThat(costOf(after))
        .containsEntry("cost_nano_usd", 6_000_000L)
        .containsEntry("pricing_id", newPrice);
    assertThat(stream.daily(workspace, "cost_nano_usd")).isEqualTo(9_000_000L);
  }

  @Test
  void unpricedAndReportedCallsAreCountedAsSuchNeverAsSilentZero() {
    ObsEvent unknown =
        Events.llmCall(workspace, "a", "nobody", "secret-model", now, 500, 50, 0, 0, 10);
    ObsEvent reported =
        Events.llmCallReporting(workspace, "nobody", "other", now, new BigDecimal("0.0123"));
    stream.publish(List.of(unknown, reported));

    await().atMost(Duration.ofSeconds(30)).until(() -> stream.storedEvents(workspace) == 2);
    assertThat(costOf(unknown))
        .containsEntry("pricing_status", "unpriced")
        .containsEntry("cost_nano_usd", 0L);
    assertThat(costOf(reported))
        .containsEntry("pricing_status", "reported")
        .containsEntry("cost_nano_usd", 12_300_000L);
    assertThat(stream.daily(workspace, "unpriced_calls")).isEqualTo(1);
    assertThat(stream.daily(workspace, "cost_nano_usd")).isEqualTo(12_300_000L);
  }

  @Test
  void recostingACorrectedPriceFixesExactlyTheAffectedRowsAndReportsTheDifference() {
    addPrice("acme", "m3", now.minusDays(30), "1.00", "1.00");
    List<ObsEvent> unpriced =
        List.of(
            Events.llmCall(workspace, "a", "acme", "m2", now.minusHours(1), 1000, 0, 0, 0, 10),
            Events.llmCall(workspace, "a", "acme", "m2", now.minusHours(2), 2000, 0, 0, 0, 10),
            Events.llmCall(workspace, "b", "acme", "m2", now.minusDays(1), 3000, 0, 0, 0, 10));
    ObsEvent untouched =
        Events.llmCall(workspace, "a", "acme", "m3", now.minusHours(1), 1000, 1000, 0, 0, 10);
    stream.publish(List.of(unpriced.get(0), unpriced.get(1), unpriced.get(2), untouched));
    await().atMost(Duration.ofSeconds(30)).until(() -> stream.storedEvents(workspace) == 4);
    assertThat(stream.daily(workspace, "unpriced_calls")).isEqualTo(3);
    assertThat(stream.daily(workspace, "cost_nano_usd")).isEqualTo(2_000_000L);

    addPrice("acme", "m2", now.minusDays(30), "5.00", "0");
    recost("m2")
        .jsonPath("$.events_examined")
        .isEqualTo(3)
        .jsonPath("$.events_changed")
        .isEqualTo(3)
        .jsonPath("$.difference_nano_usd")
        .isEqualTo(30_000_000)
        .jsonPath("$.difference_usd")
        .isEqualTo("0.030000000");
    assertThat(stream.daily(workspace, "cost_nano_usd")).isEqualTo(32_000_000L);
    assertThat(stream.minute(workspace, "cost_nano_usd")).isEqualTo(32_000_000L);
    assertThat(stream.hourly(workspace, "cost_nano_usd")).isEqualTo(32_000_000L);
    assertThat(stream.hoursOf(workspace, "metrics_hourly"))
        .isEqualTo(stream.hoursOf(workspace, "metrics_minute"));
    assertThat(stream.daily(workspace, "unpriced_calls")).isZero();
    assertThat(stream.hourly(workspace, "unpriced_calls")).isZero();
    assertThat(costOf(untouched)).containsEntry("cost_nano_usd", 2_000_000L);

    addPrice("acme", "m2", now.minusDays(30), "4.00", "0");
    recost("m2")
        .jsonPath("$.events_changed")
        .isEqualTo(3)
        .jsonPath("$.difference_nano_usd")
        .isEqualTo(-6_000_000);
    assertThat(stream.daily(workspace, "cost_nano_usd")).isEqualTo(26_000_000L);
    assertThat(stream.daysOf(workspace, "metrics_hourly"))
        .isEqualTo(stream.daysOf(workspace, "metrics_daily"));
    assertRollupsMatchTheirRows();
    recost("m2")
        .jsonPath("$.events_changed")
        .isEqualTo(0)
        .jsonPath("$.difference_nano_usd")
        .isEqualTo(0);
  }

  @Test
  void recostingAnEventOlderThanTheMinuteRetentionFixesItsHourAndDayButNoMinute() {
    ObsEvent old =
        Events.llmCall(workspace, "a", "acme", "m4", now.minusDays(3), 1000, 0, 0, 0, 10);
    stream.publish(List.of(old));
    await().atMost(Duration.ofSeconds(30)).until(() -> stream.storedEvents(workspace) == 1);
    // the pipeline counted the late event in a minute row the retention job has yet to remove
    stream.jdbc().update("DELETE FROM obs.metrics_minute WHERE workspace_id = ?", workspace);

    addPrice("acme", "m4", now.minusDays(30), "7.00", "0");
    recost("m4").jsonPath("$.events_changed").isEqualTo(1);

    assertThat(stream.daily(workspace, "cost_nano_usd")).isEqualTo(7_000_000L);
    assertThat(stream.hourly(workspace, "cost_nano_usd")).isEqualTo(7_000_000L);
    assertThat(stream.hourly(workspace, "unpriced_calls")).isZero();
    assertThat(stream.daysOf(workspace, "metrics_hourly"))
        .isEqualTo(stream.daysOf(workspace, "metrics_daily"));
    assertRollupsMatchTheirRows();
    assertThat(stream.rows("metrics_minute", workspace)).isZero();
  }

  /** The rollups moved by the same corrections as the rows they roll up (ADR 0010, 0011). */
  private void assertRollupsMatchTheirRows() {
    assertThat(stream.subjectDaysOf(workspace, "metrics_daily_subject")).isNotEmpty();
    assertThat(stream.agentHoursOf(workspace, "metrics_hourly_agent")).isNotEmpty();
    stream.assertRollupsAddUp(workspace);
  }

  @Test
  void onlyOwnersAndAdminsChangePrices() {
    web.post()
        .uri("/api/obs/pricing/recost")
        .header(ForwardedIdentity.HEADER, signer.sign("u-1", workspace, Role.MEMBER))
        .bodyValue(Map.of())
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("admin_required");
    web.post()
        .uri("/api/obs/pricing")
        .header(ForwardedIdentity.HEADER, signer.sign("u-1", workspace, Role.ADMIN))
        .bodyValue(
            Map.of(
                "provider",
                "acme",
                "model_match",
                "(",
                "match_kind",
                "regex",
                "effective_from",
                "2026-01-01",
                "input_per_mtok",
                1,
                "output_per_mtok",
                1))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_parameter");
  }

  private WebTestClient.BodyContentSpec recost(String model) {
    return web.post()
        .uri("/api/obs/pricing/recost")
        .header(ForwardedIdentity.HEADER, signer.sign("u-1", workspace, Role.OWNER))
        .bodyValue(Map.of("provider", "acme", "model", model))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody();
  }

  private long addPrice(
      String provider, String model, OffsetDateTime from, String input, String output) {
    Map<?, ?> created =
        web.post()
            .uri("/api/obs/pricing")
            .header(ForwardedIdentity.HEADER, signer.sign("u-1", workspace, Role.ADMIN))
            .bodyValue(
                Map.of(
                    "provider",
                    provider,
                    "model_match",
                    model,
                    "effective_from",
                    from.toString(),
                    "input_per_mtok",
                    new BigDecimal(input),
                    "output_per_mtok",
                    new BigDecimal(output)))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    return ((Number) created.get("id")).longValue();
  }

  private Map<String, Object> costOf(ObsEvent event) {
    return stream
        .jdbc()
        .queryForMap(
            "SELECT cost_nano_usd, pricing_status, pricing_id FROM obs.events WHERE workspace_id = ? AND event_id = ?",
            workspace,
            event.eventId());
  }
}

package dev.beacon.aggregator.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.aggregator.Events;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.EntitlementsTopic;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event log's retention from the plan's {@code retention_days}, as billing publishes it on
 * {@code billing.entitlements.v1} (real Kafka and PostgreSQL). Every record goes to partition 0, so
 * a marker record published after another one tells when the service has read it. The plans here
 * keep at most 30 days, so other tests' partitions older than that are still dropped whole.
 */
@IntegrationTest
class RetentionPlanKafkaTests {

  private static final JsonMapper JSON = JsonMapper.shared();

  private final EntitlementsTopic topic = EntitlementsTopic.get();

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired DataSource dataSource;
  @Autowired RetentionJob retention;

  @Test
  void aFreeWorkspaceKeepsSevenDaysOfEvents() throws Exception {
    String ws = Events.newWorkspace();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    UUID eightDaysOld = store(ws, today.minusDays(8));
    UUID sevenDaysOld = store(ws, today.minusDays(7));
    UUID yesterday = store(ws, today.minusDays(1));

    JsonNode setting = retentionOf(ws);
    assertThat(setting.get("plan").asString()).isEqualTo("free");
    assertThat(setting.get("retention_days").asInt()).isEqualTo(7);
    retention.run();

    assertThat(stored(ws)).containsExactlyInAnyOrder(sevenDaysOld, yesterday);
    assertThat(dedupeKeys(ws)).containsExactlyInAnyOrder(sevenDaysOld, yesterday);
    assertThat(stored(ws)).doesNotContain(eightDaysOld);
  }

  @Test
  void aProRecordKeepsATwentyDayOldEventAndADowngradeRemovesItAtTheNextSweep() throws Exception {
    String ws = Events.newWorkspace();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    publish(ws, record(ws, "pro", 30, 1));
    awaitPlan(ws, "pro", 30);
    UUID twentyDaysOld = store(ws, today.minusDays(20));
    UUID fortyDaysOld = store(ws, today.minusDays(40));
    UUID yesterday = store(ws, today.minusDays(1));

    retention.run();
    assertThat(stored(ws)).containsExactlyInAnyOrder(twentyDaysOld, yesterday);
    assertThat(stored(ws)).doesNotContain(fortyDaysOld);

    publish(ws, record(ws, "free", 7, 2));
    awaitPlan(ws, "free", 7);
    retention.run();

    assertThat(stored(ws)).containsExactly(yesterday);
    assertThat(dedupeKeys(ws)).containsExactly(yesterday);
  }

  @Test
  void aLowerRevisionDoesNotLowerTheRetention() throws Exception {
    String ws = Events.newWorkspace();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    publish(ws, record(ws, "pro", 30, 5));
    awaitPlan(ws, "pro", 30);
    UUID twentyDaysOld = store(ws, today.minusDays(20));

    publish(ws, record(ws, "free", 7, 4));
    awaitMarker();
    retention.run();

    JsonNode setting = retentionOf(ws);
    assertThat(setting.get("plan").asString()).isEqualTo("pro");
    assertThat(setting.get("retention_days").asInt()).isEqualTo(30);
    assertThat(stored(ws)).containsExactly(twentyDaysOld);
  }

  @Test
  void aRetentionLongerThanThePlansIsRefusedAndAShorterOneApplies() throws Exception {
    String ws = Events.newWorkspace();

    EntityExchangeResult<byte[]> refused = put(ws, 8);
    assertThat(refused.getStatus().value()).isEqualTo(403);
    JsonNode body = JSON.readTree(refused.getResponseBody());
    assertThat(body.get("code").asString()).isEqualTo("plan_limit_reached");
    assertThat(body.get("limit").asInt()).isEqualTo(7);
    assertThat(body.get("plan").asString()).isEqualTo("free");
    assertThat(body.get("message").asString())
        .isEqualTo(
            "The free plan keeps events for at most 7 days; choose a shorter retention or upgrade"
                + " the plan.");
    assertThat(retentionOf(ws).get("source").asString()).as("nothing stored").isEqualTo("plan");

    publish(ws, record(ws, "pro", 30, 1));
    awaitPlan(ws, "pro", 30);
    EntityExchangeResult<byte[]> accepted = put(ws, 20);
    assertThat(accepted.getStatus().value()).isEqualTo(200);
    JsonNode set = JSON.readTree(accepted.getResponseBody());
    assertThat(set.get("retention_days").asInt()).isEqualTo(20);
    assertThat(set.get("source").asString()).isEqualTo("workspace");
    EntityExchangeResult<byte[]> tooLong = put(ws, 31);
    assertThat(tooLong.getStatus().value()).isEqualTo(403);
    JsonNode tooLongBody = JSON.readTree(tooLong.getResponseBody());
    assertThat(tooLongBody.get("limit").asInt()).isEqualTo(30);
    assertThat(tooLongBody.get("plan").asString()).isEqualTo("pro");

    // a downgrade keeps the setting, which the plan now caps
    publish(ws, record(ws, "free", 7, 2));
    awaitPlan(ws, "free", 7);
    JsonNode capped = retentionOf(ws);
    assertThat(capped.get("retention_days").asInt()).isEqualTo(7);
    assertThat(capped.get("workspace_retention_days").asInt()).isEqualTo(20);
    assertThat(capped.get("source").asString()).isEqualTo("plan");
  }

  private JsonNode retentionOf(String ws) {
    byte[] body =
        web.get()
            .uri("/api/obs/settings/retention")
            .header(ForwardedIdentity.HEADER, signer.sign("user-1", ws, Role.VIEWER))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }

  private EntityExchangeResult<byte[]> put(String ws, int days) {
    return web.put()
        .uri("/api/obs/settings/retention")
        .header(ForwardedIdentity.HEADER, signer.sign("user-1", ws, Role.OWNER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("retention_days", days))
        .exchange()
        .expectBody()
        .returnResult();
  }

  /** Waits until the service has read the workspace's record, as its retention answer shows. */
  private void awaitPlan(String ws, String plan, int days) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              JsonNode setting = retentionOf(ws);
              return setting.get("plan").asString().equals(plan)
                  && setting.get("plan_retention_days").asInt() == days;
            });
  }

  /** Publishes a marker record behind everything published so far and waits until it is read. */
  private void awaitMarker() {
    String marker = Events.newWorkspace();
    publish(marker, record(marker, "pro", 30, 1));
    awaitPlan(marker, "pro", 30);
  }

  private UUID store(String ws, LocalDate day) {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    jdbc.execute(
        "CREATE TABLE IF NOT EXISTS obs."
            + PartitionManager.partitionName(day)
            + " PARTITION OF obs.events FOR VALUES FROM ('"
            + day
            + "T00:00:00Z') TO ('"
            + day.plusDays(1)
            + "T00:00:00Z')");
    UUID id = UUID.randomUUID();
    OffsetDateTime at = day.atTime(12, 0).atOffset(ZoneOffset.UTC);
    jdbc.update(
        "INSERT INTO obs.events (workspace_id, event_id, occurred_at, type) VALUES (?, ?, ?, 'custom')",
        ws,
        id,
        at);
    jdbc.update("INSERT INTO obs.event_ids VALUES (?, ?, ?)", ws, id, at);
    return id;
  }

  private List<UUID> stored(String ws) {
    return new JdbcTemplate(dataSource)
        .queryForList("SELECT event_id FROM obs.events WHERE workspace_id = ?", UUID.class, ws);
  }

  private List<UUID> dedupeKeys(String ws) {
    return new JdbcTemplate(dataSource)
        .queryForList("SELECT event_id FROM obs.event_ids WHERE workspace_id = ?", UUID.class, ws);
  }

  /** A record in billing's format with {@code retentionDays} as the plan's retention. */
  private static byte[] record(String ws, String plan, int retentionDays, long revision) {
    return EntitlementsTopic.record(ws, plan, Map.of("retention_days", retentionDays), revision);
  }

  private void publish(String ws, byte[] value) {
    topic.publish(ws, value);
  }
}

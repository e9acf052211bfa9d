package dev.beacon.ingest;

import static dev.beacon.ingest.IngestTestKit.JSON;
import static dev.beacon.ingest.IngestTestKit.batch;
import static dev.beacon.ingest.IngestTestKit.uniqueAgent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/obs/usage}: this month's events and the active keys, against the plan. */
@IntegrationTest
class UsageWebFluxTests {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired WorkspaceEntitlements entitlements;

  @BeforeAll
  static void entitlementsTopic() throws Exception {
    EntitlementsRecords.ensureTopic();
  }

  @Test
  void aWorkspaceWithoutARecordIsOnFreeWithAHundredThousandEvents() {
    String ws = newWorkspace();

    JsonNode usage = usage(ws, Role.VIEWER);

    assertThat(usage.get("month").asString()).isEqualTo(YearMonth.now(ZoneOffset.UTC).toString());
    assertThat(usage.get("events").asLong()).isZero();
    assertThat(usage.get("events_limit").asLong()).isEqualTo(100_000);
    assertThat(usage.get("api_keys").asLong()).isZero();
    assertThat(usage.get("api_keys_limit").asInt())
        .as("Free's, as configured for these tests")
        .isEqualTo(entitlements.free().apiKeys());
    assertThat(usage.get("plan").asString()).isEqualTo("free");
  }

  @Test
  void countsAcceptedEventsAndActiveKeysAgainstThePlanOfTheRecord() throws Exception {
    String ws = newWorkspace();
    EntitlementsRecords.publishAndAwait(entitlements, ws, "pro", 1_000_000, 10, 1);
    String key = IngestTestKit.newKey(web, signer, ws);
    String revoked = IngestTestKit.createKey(web, signer, ws, Map.of()).get("id").asString();
    web.delete()
        .uri("/api/obs/keys/" + revoked)
        .header(ForwardedIdentity.HEADER, signer.sign("user-1", ws, Role.MEMBER))
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();
    String agent = uniqueAgent();
    IngestTestKit.post(
            web,
            key,
            batch(
                IngestTestKit.llmCall(agent),
                IngestTestKit.toolCall(agent),
                IngestTestKit.llmCall(agent).put("type", "no_such_type")))
        .expectStatus()
        .isEqualTo(207)
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(2);

    JsonNode usage = usage(ws, Role.OWNER);

    assertThat(usage.get("events").asLong()).isEqualTo(2);
    assertThat(usage.get("events_limit").asLong()).isEqualTo(1_000_000);
    assertThat(usage.get("api_keys").asLong()).as("the revoked key does not count").isEqualTo(1);
    assertThat(usage.get("api_keys_limit").asInt()).isEqualTo(10);
    assertThat(usage.get("plan").asString()).isEqualTo("pro");
  }

  @Test
  void anotherWorkspacesUsageIsNeverVisible() {
    String busy = newWorkspace();
    String quiet = newWorkspace();
    String key = IngestTestKit.newKey(web, signer, busy);
    IngestTestKit.post(web, key, batch(IngestTestKit.llmCall(uniqueAgent())))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(1);

    JsonNode usage =
        JSON.readTree(
            web.get()
                .uri("/api/obs/usage?workspace_id=" + busy)
                .header(ForwardedIdentity.HEADER, signer.sign("user-2", quiet, Role.OWNER))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());

    assertThat(usage.get("events").asLong()).isZero();
    assertThat(usage.get("api_keys").asLong()).isZero();
    assertThat(usage(busy, Role.VIEWER).get("events").asLong()).isEqualTo(1);
  }

  @Test
  void refusesARequestWithoutAForwardedIdentity() {
    byte[] body =
        web.get()
            .uri("/api/obs/usage")
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectBody()
            .returnResult()
            .getResponseBody();
    assertThat(JSON.readTree(body).get("code").asString()).isEqualTo("identity_missing");
  }

  private JsonNode usage(String ws, Role role) {
    WebTestClient.BodyContentSpec body =
        web.get()
            .uri("/api/obs/usage")
            .header(ForwardedIdentity.HEADER, signer.sign("user-1", ws, role))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody();
    return JSON.readTree(body.returnResult().getResponseBody());
  }

  private static String newWorkspace() {
    return "ws-usage-" + UUID.randomUUID();
  }
}

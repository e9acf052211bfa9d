package dev.beacon.ingest;

import static dev.beacon.ingest.IngestTestKit.JSON;
import static dev.beacon.ingest.IngestTestKit.batch;
import static dev.beacon.ingest.IngestTestKit.uniqueAgent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.ingest.apikey.domain.ApiKeyFormat;
import dev.beacon.ingest.apikey.domain.ApiKeyService;
import dev.beacon.ingest.apikey.domain.KeyCheck;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The plan's {@code api_keys}, from records on {@code billing.entitlements.v1}: creating active key
 * N+1 is refused; revoked keys do not count; keys over a lowered limit keep working.
 */
@IntegrationTest
class ApiKeyLimitKafkaTests {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired WorkspaceEntitlements entitlements;
  @Autowired ApiKeyService keys;

  @BeforeAll
  static void entitlementsTopic() throws Exception {
    EntitlementsRecords.ensureTopic();
  }

  @Test
  void creatingTheKeyOverTheLimitIsRefusedWithThePlanAndTheLimit() throws Exception {
    String ws = newWorkspace();
    EntitlementsRecords.publishAndAwait(entitlements, ws, "free", 100_000, 2, 1);
    created(create(ws));
    created(create(ws));

    EntityExchangeResult<byte[]> refused = create(ws);

    assertThat(refused.getStatus().value()).isEqualTo(403);
    JsonNode body = JSON.readTree(refused.getResponseBody());
    assertThat(body.get("code").asString()).isEqualTo("plan_limit_reached");
    assertThat(body.get("limit").asInt()).isEqualTo(2);
    assertThat(body.get("plan").asString()).isEqualTo("free");
    assertThat(body.get("message").asString())
        .isEqualTo(
            "The free plan allows 2 active API keys per workspace; revoke a key or upgrade the"
                + " plan.");
    assertThat(list(ws)).hasSize(2);
  }

  @Test
  void aRevokedKeyDoesNotCountAndFreesItsPlace() throws Exception {
    String ws = newWorkspace();
    EntitlementsRecords.publishAndAwait(entitlements, ws, "free", 100_000, 2, 1);
    String first = created(create(ws)).get("id").asString();
    created(create(ws));
    assertThat(create(ws).getStatus().value()).isEqualTo(403);

    web.delete()
        .uri("/api/obs/keys/" + first)
        .header(ForwardedIdentity.HEADER, signer.sign("user-1", ws, Role.MEMBER))
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();

    JsonNode third = created(create(ws));
    assertThat(third.get("secret").asString()).startsWith("bcn_");
    assertThat(list(ws)).hasSize(3);
  }

  @Test
  void concurrentCreatesAtTheLimitCreateExactlyOne() throws Exception {
    String ws = newWorkspace();
    EntitlementsRecords.publishAndAwait(entitlements, ws, "pro", 1_000_000, 3, 1);
    created(create(ws));
    created(create(ws));

    ExecutorService pool = Executors.newFixedThreadPool(5);
    List<Integer> statuses = new ArrayList<>();
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<EntityExchangeResult<byte[]>>> answers = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return create(ws);
                }));
      }
      start.countDown();
      for (Future<EntityExchangeResult<byte[]>> answer : answers) {
        EntityExchangeResult<byte[]> result = answer.get();
        statuses.add(result.getStatus().value());
        JsonNode body = JSON.readTree(result.getResponseBody());
        if (result.getStatus().value() == 403) {
          assertThat(body.get("code").asString()).isEqualTo("plan_limit_reached");
          assertThat(body.get("limit").asInt()).isEqualTo(3);
        } else {
          assertThat(body.get("secret").asString()).startsWith("bcn_");
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(statuses).containsExactlyInAnyOrder(201, 403, 403, 403, 403);
    assertThat(list(ws)).hasSize(3);
  }

  @Test
  void keysOverALoweredLimitKeepWorkingButNoNewOneIsCreated() throws Exception {
    String ws = newWorkspace();
    EntitlementsRecords.publishAndAwait(entitlements, ws, "pro", 1_000_000, 10, 1);
    List<String> secrets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      secrets.add(created(create(ws)).get("secret").asString());
    }

    EntitlementsRecords.publishAndAwait(entitlements, ws, "free", 100_000, 2, 2);

    EntityExchangeResult<byte[]> refused = create(ws);
    assertThat(refused.getStatus().value()).isEqualTo(403);
    assertThat(JSON.readTree(refused.getResponseBody()).get("plan").asString()).isEqualTo("free");
    for (String secret : secrets) {
      JsonNode accepted =
          JSON.readTree(
              IngestTestKit.post(web, secret, batch(IngestTestKit.llmCall(uniqueAgent())))
                  .expectStatus()
                  .isOk()
                  .expectBody()
                  .returnResult()
                  .getResponseBody());
      assertThat(accepted.get("accepted").asInt()).isEqualTo(1);
    }
  }

  @Test
  void theBootstrapKeyIsProvisionedEvenAtTheLimitAndCounts() throws Exception {
    String ws = newWorkspace();
    EntitlementsRecords.publishAndAwait(entitlements, ws, "free", 100_000, 1, 1);
    created(create(ws));
    String secret = ApiKeyFormat.generate();

    assertThat(keys.provision(secret, ws, "bootstrap").block(Duration.ofSeconds(10))).isTrue();

    assertThat(keys.authenticate(secret).block(Duration.ofSeconds(10)))
        .isInstanceOf(KeyCheck.Valid.class);
    assertThat(keys.countActive(ws).block(Duration.ofSeconds(10))).isEqualTo(2);
    assertThat(create(ws).getStatus().value()).isEqualTo(403);
  }

  private EntityExchangeResult<byte[]> create(String ws) {
    return web.post()
        .uri("/api/obs/keys")
        .header(ForwardedIdentity.HEADER, signer.sign("user-1", ws, Role.MEMBER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", "limit test"))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private static JsonNode created(EntityExchangeResult<byte[]> result) {
    assertThat(result.getStatus().value()).isEqualTo(201);
    return JSON.readTree(result.getResponseBody());
  }

  private JsonNode list(String ws) {
    WebTestClient.BodyContentSpec body =
        web.get()
            .uri("/api/obs/keys")
            .header(ForwardedIdentity.HEADER, signer.sign("user-1", ws, Role.VIEWER))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody();
    return JSON.readTree(body.returnResult().getResponseBody()).get("keys");
  }

  private static String newWorkspace() {
    return "ws-keys-" + UUID.randomUUID();
  }
}

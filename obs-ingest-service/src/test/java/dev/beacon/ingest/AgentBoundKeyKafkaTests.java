package dev.beacon.ingest;

import static dev.beacon.ingest.IngestTestKit.JSON;
import static dev.beacon.ingest.IngestTestKit.batch;
import static dev.beacon.ingest.IngestTestKit.patchKey;
import static dev.beacon.ingest.IngestTestKit.publishedFor;
import static dev.beacon.ingest.IngestTestKit.publishedWithEventId;
import static dev.beacon.ingest.IngestTestKit.uniqueAgent;
import static dev.beacon.ingest.IngestTestKit.withoutAgent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.ingest.IngestTestKit.Published;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A key bound to an agent: events that name no agent land on Kafka as that agent's, events that
 * name another are rejected one by one, and a new binding reaches intake within the key cache's
 * TTL.
 */
@IntegrationTest
class AgentBoundKeyKafkaTests {

  /** {@code beacon.ingest.key-cache-ttl} may be at most this: the documented bound. */
  static final Duration BINDING_BOUND = Duration.ofSeconds(5);

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  @Value("${spring.flyway.url}")
  String jdbcUrl;

  @Value("${spring.flyway.user}")
  String user;

  @Value("${spring.flyway.password}")
  String password;

  /** A key of {@code workspace} bound to {@code agent}: its id and secret. */
  record BoundKey(String id, String secret) {}

  private BoundKey boundKey(String workspace, String agent) {
    JsonNode created = IngestTestKit.createKey(web, signer, workspace, Map.of("agent_id", agent));
    assertThat(created.get("agent_id").asString()).isEqualTo(agent);
    return new BoundKey(created.get("id").asString(), created.get("secret").asString());
  }

  private static JsonNode body(WebTestClient.ResponseSpec response, int status) {
    byte[] body =
        response.expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
    assertThat(body).as("response body").isNotNull();
    return JSON.readTree(body);
  }

  private JsonNode send(String secret, int status, JsonNode... events) {
    return body(IngestTestKit.post(web, secret, batch(events)), status);
  }

  private static void assertAllAccepted(JsonNode answer, int events) {
    assertThat(answer.get("accepted").asInt()).isEqualTo(events);
    assertThat(answer.get("rejected").asInt()).isZero();
    assertThat(answer.has("results")).isFalse();
    assertThat(answer.has("code")).isFalse();
  }

  private static void assertMismatch(JsonNode result, ObjectNode event, String bound) {
    assertThat(result.get("status").asString()).isEqualTo("rejected");
    assertMismatchReason(result, event, bound);
  }

  /** Code and message of a rejected event, as in a batch's results and the key's history. */
  private static void assertMismatchReason(JsonNode result, ObjectNode event, String bound) {
    assertThat(result.get("index").isInt()).isTrue();
    assertThat(result.get("event_id").asString()).isEqualTo(event.get("event_id").asString());
    assertThat(result.get("code").asString()).isEqualTo("agent_id_mismatch");
    assertThat(result.get("message").asString())
        .isEqualTo(
            "agent_id \""
                + event.get("agent_id").asString()
                + "\" is not the agent this API key speaks for (\""
                + bound
                + "\"); leave agent_id out or send \""
                + bound
                + "\".");
  }

  @Test
  void eventsWithoutAnAgentLandOnKafkaAsTheKeysAgent() {
    String agent = uniqueAgent();
    BoundKey key = boundKey("ws-bound-stamp", agent);
    ObjectNode unnamed = withoutAgent(IngestTestKit.llmCall("unused"));
    ObjectNode unnamedWithWorkspace =
        withoutAgent(IngestTestKit.toolCall("unused")).put("workspace_id", "someone-elses");
    ObjectNode named = IngestTestKit.custom(agent);

    assertAllAccepted(send(key.secret(), 200, unnamed, unnamedWithWorkspace, named), 3);

    assertThat(publishedFor(agent))
        .hasSize(3)
        .allSatisfy(p -> assertThat(p.key()).isEqualTo("ws-bound-stamp:" + agent))
        .extracting(Published::value)
        .containsExactlyInAnyOrder(
            unnamed.deepCopy().put("workspace_id", "ws-bound-stamp").put("agent_id", agent),
            unnamedWithWorkspace
                .deepCopy()
                .put("workspace_id", "ws-bound-stamp")
                .put("agent_id", agent),
            named.deepCopy().put("workspace_id", "ws-bound-stamp"));
  }

  @Test
  void eventNamingAnotherAgentIsRejectedAloneWhileTheOthersLand() {
    String agent = uniqueAgent();
    String impersonated = uniqueAgent();
    BoundKey key = boundKey("ws-bound-mismatch", agent);
    ObjectNode unnamed = withoutAgent(IngestTestKit.llmCall("unused"));
    ObjectNode other = IngestTestKit.llmCall(impersonated);
    ObjectNode named = IngestTestKit.toolCall(agent);

    JsonNode answer = send(key.secret(), 207, unnamed, other, named);

    assertThat(answer.get("accepted").asInt()).isEqualTo(2);
    assertThat(answer.get("rejected").asInt()).isEqualTo(1);
    assertThat(answer.has("code")).isFalse();
    JsonNode results = answer.get("results");
    assertThat(results).hasSize(3);
    assertThat(results.get(0).get("status").asString()).isEqualTo("accepted");
    assertThat(results.get(0).get("event_id").asString())
        .isEqualTo(unnamed.get("event_id").asString());
    assertThat(results.get(1).get("index").asInt()).isEqualTo(1);
    assertMismatch(results.get(1), other, agent);
    assertThat(results.get(2).get("status").asString()).isEqualTo("accepted");
    assertThat(results.get(2).has("code")).isFalse();

    IngestTestKit.assertNothingPublishedFor(impersonated);
    assertThat(publishedFor(agent))
        .extracting(p -> p.value().get("event_id").asString())
        .containsExactlyInAnyOrder(
            unnamed.get("event_id").asString(), named.get("event_id").asString());
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode rejections =
                  body(
                      web.get()
                          .uri("/api/obs/keys/" + key.id() + "/rejections")
                          .header(
                              ForwardedIdentity.HEADER,
                              signer.sign("user-1", "ws-bound-mismatch", Role.VIEWER))
                          .exchange(),
                      200);
              assertThat(rejections.get("rejections")).hasSize(1);
              JsonNode rejection = rejections.get("rejections").get(0);
              assertThat(rejection.get("index").asInt()).isEqualTo(1);
              assertThat(rejection.hasNonNull("rejected_at")).isTrue();
              assertMismatchReason(rejection, other, agent);
            });
  }

  @Test
  void batchOfOnlyOtherAgentsEventsIsRefusedWithTheirCommonCode() {
    String agent = uniqueAgent();
    BoundKey key = boundKey("ws-bound-all-other", agent);
    ObjectNode first = IngestTestKit.custom(uniqueAgent());
    ObjectNode second = IngestTestKit.custom(uniqueAgent());

    JsonNode answer = send(key.secret(), 400, first, second);

    assertThat(answer.get("code").asString()).isEqualTo("agent_id_mismatch");
    assertThat(answer.get("message").asString())
        .isEqualTo("No event of the batch was accepted; see results.");
    assertThat(answer.get("accepted").asInt()).isZero();
    assertThat(answer.get("rejected").asInt()).isEqualTo(2);
    assertMismatch(answer.get("results").get(0), first, agent);
    assertMismatch(answer.get("results").get(1), second, agent);
    IngestTestKit.assertNothingPublishedFor(first.get("agent_id").asString());
    IngestTestKit.assertNothingPublishedFor(second.get("agent_id").asString());
  }

  @Test
  void rebindingAndUnbindingTakeEffectWithinTheBound() {
    String first = uniqueAgent();
    String second = uniqueAgent();
    BoundKey key = boundKey("ws-bound-rebind", first);
    assertAllAccepted(send(key.secret(), 200, IngestTestKit.custom(first)), 1);

    JsonNode rebound =
        body(
            patchKey(
                web,
                signer,
                "ws-bound-rebind",
                key.id(),
                JSON.writeValueAsString(Map.of("agent_id", second))),
            200);
    assertThat(rebound.get("agent_id").asString()).isEqualTo(second);
    Awaitility.await()
        .atMost(BINDING_BOUND)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              ObjectNode formerAgent = IngestTestKit.custom(first);
              assertMismatch(
                  send(key.secret(), 400, formerAgent).get("results").get(0), formerAgent, second);
            });
    ObjectNode unnamed = withoutAgent(IngestTestKit.llmCall("unused"));
    assertAllAccepted(send(key.secret(), 200, unnamed), 1);
    assertThat(publishedWithEventId(unnamed.get("event_id").asString()))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.value().get("agent_id").asString()).isEqualTo(second);
              assertThat(p.key()).isEqualTo("ws-bound-rebind:" + second);
            });

    JsonNode unbound =
        body(patchKey(web, signer, "ws-bound-rebind", key.id(), "{\"agent_id\": null}"), 200);
    assertThat(unbound.get("agent_id").isNull()).isTrue();
    String anyAgent = uniqueAgent();
    Awaitility.await()
        .atMost(BINDING_BOUND)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> assertAllAccepted(send(key.secret(), 200, IngestTestKit.custom(anyAgent)), 1));
    ObjectNode unnamedAfter = withoutAgent(IngestTestKit.llmCall("unused"));
    assertAllAccepted(send(key.secret(), 200, unnamedAfter), 1);
    assertThat(publishedWithEventId(unnamedAfter.get("event_id").asString()))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.value().has("agent_id")).isFalse();
              assertThat(p.value())
                  .isEqualTo(unnamedAfter.deepCopy().put("workspace_id", "ws-bound-rebind"));
            });
  }

  @Test
  void bindingChangedOnAnotherInstanceIsSeenWithinTheKeyCacheTtl() {
    String first = uniqueAgent();
    String second = uniqueAgent();
    BoundKey key = boundKey("ws-bound-elsewhere", first);
    // this instance now holds the key, bound to the first agent, in its lookup cache
    assertAllAccepted(send(key.secret(), 200, IngestTestKit.custom(first)), 1);

    // rebound by another instance: straight in the database, this instance's cache is not told
    new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, user, password))
        .update("UPDATE obs_ingest.api_keys SET agent_id = ? WHERE id = ?::uuid", second, key.id());
    long reboundAt = System.nanoTime();

    Awaitility.await()
        .atMost(BINDING_BOUND)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> assertAllAccepted(send(key.secret(), 200, IngestTestKit.custom(second)), 1));
    assertThat(Duration.ofNanos(System.nanoTime() - reboundAt)).isLessThan(BINDING_BOUND);

    ObjectNode unnamed = withoutAgent(IngestTestKit.custom("unused"));
    assertAllAccepted(send(key.secret(), 200, unnamed), 1);
    assertThat(publishedWithEventId(unnamed.get("event_id").asString()))
        .singleElement()
        .satisfies(p -> assertThat(p.value().get("agent_id").asString()).isEqualTo(second));
    ObjectNode former = IngestTestKit.custom(first);
    assertMismatch(send(key.secret(), 400, former).get("results").get(0), former, second);
  }
}

package dev.beacon.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.gateway.account.AccountService;
import dev.beacon.testsupport.EntitlementsTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The plan's {@code members} limit on invitations, from billing's records on the compacted {@code
 * billing.entitlements.v1} (real Kafka and PostgreSQL). Every record goes to partition 0, so a
 * marker record published after another one tells when the gateway has read it.
 */
class MemberLimitKafkaTests extends GatewayTestSupport {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final JsonMapper JSON = JsonMapper.shared();

  private final EntitlementsTopic topic = EntitlementsTopic.get();

  @Autowired WorkspaceEntitlements entitlements;
  @Autowired AccountService accounts;
  @Autowired DatabaseClient db;

  @Test
  void aFreeWorkspaceWithoutARecordTakesThreeMembersAndRefusesTheFourthStoringNothing() {
    Browser owner = patientBrowser().signIn(freshEmail());
    String invited = freshEmail();
    fill(owner, invited, freshEmail());
    String refusedEmail = freshEmail();

    EntityExchangeResult<byte[]> refused = invite(owner, refusedEmail);

    assertThat(refused.getStatus().value()).isEqualTo(403);
    JsonNode body = JSON.readTree(refused.getResponseBody());
    assertThat(body.get("code").asString()).isEqualTo("plan_limit_reached");
    assertThat(body.get("limit").asInt()).isEqualTo(3);
    assertThat(body.get("plan").asString()).isEqualTo("free");
    assertThat(body.get("message").asString())
        .isEqualTo(
            "The free plan allows 3 members per workspace; remove a member or upgrade the plan.");
    assertThat(memberEmails(owner)).as("nothing stored").hasSize(3).doesNotContain(refusedEmail);
    assertThat(userExists(refusedEmail)).as("no user created for the refused address").isFalse();
    assertThat(mailedTo(refusedEmail)).as("no invitation mailed").isFalse();

    EntityExchangeResult<byte[]> again = invite(owner, invited);
    assertThat(again.getStatus().value())
        .as("inviting someone who is already a member adds no one")
        .isEqualTo(201);
    assertThat(JSON.readTree(again.getResponseBody()).get("email").asString()).isEqualTo(invited);
    assertThat(memberEmails(owner)).hasSize(3);
  }

  @Test
  void aProRecordLetsTheFourthMemberInAndALowerRevisionDoesNotLowerIt() {
    Browser owner = patientBrowser().signIn(freshEmail());
    String workspace = RoutingApplicationTests.workspaceId(RoutingApplicationTests.me(owner));
    fill(owner, freshEmail(), freshEmail());

    publish(record(workspace, "pro", 10, 5));
    await().atMost(WAIT).until(() -> entitlements.of(workspace).revision() == 5);
    assertCreated(invite(owner, freshEmail()));
    assertThat(memberEmails(owner)).hasSize(4);

    publish(record(workspace, "free", 3, 2));
    awaitMarker();

    assertThat(entitlements.of(workspace).plan()).isEqualTo("pro");
    assertThat(entitlements.of(workspace).members()).isEqualTo(10);
    assertCreated(invite(owner, freshEmail()));
    assertThat(memberEmails(owner)).hasSize(5);
  }

  @Test
  void concurrentInvitationsAtTheLimitAddExactlyOneMember() throws Exception {
    Browser owner = patientBrowser().signIn(freshEmail());
    fill(owner, freshEmail());

    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<EntityExchangeResult<byte[]>>> answers = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String email = freshEmail();
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return invite(owner, email);
                }));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<EntityExchangeResult<byte[]>> answer : answers) {
        EntityExchangeResult<byte[]> result = answer.get();
        statuses.add(result.getStatus().value());
        JsonNode body = JSON.readTree(result.getResponseBody());
        if (result.getStatus().value() == 403) {
          assertThat(body.get("code").asString()).isEqualTo("plan_limit_reached");
          assertThat(body.get("limit").asInt()).isEqualTo(3);
        } else {
          assertThat(body.get("id").asString()).isNotBlank();
        }
      }
      assertThat(statuses).containsExactlyInAnyOrder(201, 403, 403, 403, 403);
    } finally {
      pool.shutdownNow();
    }
    assertThat(memberEmails(owner)).hasSize(3);
  }

  @Test
  void aDowngradeKeepsEveryExistingMemberAndOnlyRefusesNewOnes() {
    Browser owner = patientBrowser().signIn(freshEmail());
    String workspace = RoutingApplicationTests.workspaceId(RoutingApplicationTests.me(owner));
    publish(record(workspace, "pro", 10, 1));
    await().atMost(WAIT).until(() -> entitlements.of(workspace).revision() == 1);
    String notYetSignedIn = freshEmail();
    fill(owner, notYetSignedIn, freshEmail(), freshEmail(), freshEmail());

    publish(record(workspace, "free", 3, 2));
    await().atMost(WAIT).until(() -> entitlements.of(workspace).revision() == 2);

    assertRefusedOnFree(invite(owner, freshEmail()));
    assertThat(memberEmails(owner)).as("all five members kept").hasSize(5);

    Browser invitee = patientBrowser().signIn(notYetSignedIn);
    EntityExchangeResult<byte[]> switched =
        invitee
            .method(HttpMethod.PUT, "/api/me/workspace")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("workspace", workspace))
            .exchange()
            .expectBody()
            .returnResult();
    assertThat(switched.getStatus().value())
        .as("invited before the downgrade, still joins after it")
        .isEqualTo(200);
    assertThat(JSON.readTree(switched.getResponseBody()).get("role").asString())
        .isEqualTo("member");

    String inviteeId = RoutingApplicationTests.userId(RoutingApplicationTests.me(invitee));
    EntityExchangeResult<byte[]> removed =
        owner
            .method(HttpMethod.DELETE, "/api/workspace/members/" + inviteeId)
            .exchange()
            .expectBody()
            .returnResult();
    assertThat(removed.getStatus().value()).isEqualTo(204);
    assertThat(removed.getResponseBody()).isNullOrEmpty();
    assertThat(memberEmails(owner)).hasSize(4);
    assertRefusedOnFree(invite(owner, freshEmail()));
  }

  @Test
  void theBootstrapOwnerIsProvisionedEvenIntoAFullWorkspace() {
    String name = "Bootstrap " + UUID.randomUUID();
    String first = freshEmail();
    accounts.provision(first, name).block();
    Browser owner = patientBrowser().signIn(first);
    fill(owner, freshEmail(), freshEmail());
    assertRefusedOnFree(invite(owner, freshEmail()));

    String operator = freshEmail();
    UUID workspace = accounts.provision(operator, name).block();

    Browser bootstrapped = patientBrowser().signIn(operator);
    Map<String, Object> me = RoutingApplicationTests.me(bootstrapped);
    assertThat(RoutingApplicationTests.workspaceId(me)).isEqualTo(workspace.toString());
    assertThat(me.get("role")).isEqualTo("owner");
    assertThat(memberEmails(owner)).hasSize(4).contains(operator);
  }

  /** A browser whose requests may wait for a lock held by another request. */
  private Browser patientBrowser() {
    return new Browser(web.mutate().responseTimeout(Duration.ofSeconds(30)).build());
  }

  /** Invites each address as a member; every invitation must be accepted. */
  private void fill(Browser owner, String... emails) {
    for (String email : emails) {
      assertCreated(invite(owner, email));
    }
  }

  private static void assertCreated(EntityExchangeResult<byte[]> result) {
    assertThat(result.getStatus().value()).isEqualTo(201);
    assertThat(JSON.readTree(result.getResponseBody()).get("id").asString()).isNotBlank();
  }

  private static void assertRefusedOnFree(EntityExchangeResult<byte[]> result) {
    assertThat(result.getStatus().value()).isEqualTo(403);
    JsonNode body = JSON.readTree(result.getResponseBody());
    assertThat(body.get("code").asString()).isEqualTo("plan_limit_reached");
    assertThat(body.get("plan").asString()).isEqualTo("free");
    assertThat(body.get("limit").asInt()).isEqualTo(3);
  }

  private static EntityExchangeResult<byte[]> invite(Browser owner, String email) {
    return owner
        .post("/api/workspace/members")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", email, "role", "member"))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private static List<String> memberEmails(Browser owner) {
    byte[] body =
        owner
            .get("/api/workspace/members")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    List<String> emails = new ArrayList<>();
    JSON.readTree(body).forEach(member -> emails.add(member.get("email").asString()));
    return emails;
  }

  private boolean userExists(String email) {
    return db.sql("SELECT count(*) AS n FROM identity.users WHERE email = :email")
            .bind("email", email)
            .map(row -> row.get("n", Long.class))
            .one()
            .block()
        > 0;
  }

  private boolean mailedTo(String email) {
    byte[] body =
        web.get()
            .uri("/dev/mailbox/messages")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    for (JsonNode mail : JSON.readTree(body)) {
      if (email.equals(mail.get("to").asString())) {
        return true;
      }
    }
    return false;
  }

  /** A record in billing's format with {@code members} as the member limit. */
  private static byte[] record(String workspace, String plan, int members, long revision) {
    return EntitlementsTopic.record(workspace, plan, Map.of("members", members), revision);
  }

  private void publish(byte[] value) {
    topic.publish(JSON.readTree(value).get("workspace_id").asString(), value);
  }

  /** Waits until the gateway has read everything published so far. */
  private void awaitMarker() {
    topic.awaitRead(marker -> entitlements.of(marker).revision() == 1, WAIT);
  }
}

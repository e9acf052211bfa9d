package dev.beacon.alert.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.alert.AlertTestKit;
import dev.beacon.alert.SlackStub;
import dev.beacon.alert.TinySmtpServer;
import dev.beacon.testsupport.BeaconInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * billing-service's notices on {@code billing.notices.v1} (real Kafka and PostgreSQL) become in-app
 * notifications of their workspace: listed, counted unread, streamed live, each notice once.
 */
class BillingNoticesKafkaTests extends AlertTestKit {

  private static KafkaProducer<String, byte[]> producer;

  /** billing-service creates the topic (3 partitions, delete policy); the tests do here. */
  @BeforeAll
  static void noticesTopic() throws Exception {
    String bootstrap = BeaconInfrastructure.get().kafkaBootstrapServers();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(BillingNoticeListener.TOPIC, 3, (short) 1)))
          .all()
          .get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  @AfterAll
  static void closeProducer() {
    if (producer != null) {
      producer.close();
    }
  }

  @Test
  void aNoticeBecomesOneUnreadNotificationOfItsWorkspaceOnly() {
    String ws = newWorkspace();
    String other = newWorkspace();
    String noticeId = "credits_low:" + UUID.randomUUID();
    send(ws, notice(noticeId, ws, "credits_low", "Hosted credits running low"));

    JsonNode list =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> list(ws, "unread"), l -> l.get("unread").asInt() == 1);
    assertThat(list.get("notifications")).hasSize(1);
    JsonNode n = list.get("notifications").get(0);
    assertThat(n.get("source").asString()).isEqualTo("billing");
    assertThat(n.get("kind").asString()).isEqualTo("credits_low");
    assertThat(n.get("severity").asString()).isEqualTo("warning");
    assertThat(n.get("title").asString()).isEqualTo("Hosted credits running low");
    assertThat(n.get("body").asString()).contains("Buy credits");
    assertThat(n.get("link").asString()).isEqualTo("https://beacon.example.com/billing");
    assertThat(n.get("rule_id").isNull()).isTrue();
    assertThat(n.get("read_at").isNull()).isTrue();
    assertThat(n.get("created_at").asString()).isEqualTo("2026-12-08T03:00:00Z");
    assertThat(n.has("workspace_id")).isFalse();

    JsonNode others = list(other, "all");
    assertThat(others.get("notifications")).isEmpty();
    assertThat(others.get("unread").asInt()).isZero();
  }

  @Test
  void aRedeliveredNoticeCreatesNoSecondNotification() {
    String ws = newWorkspace();
    String noticeId = "payment_failed:" + ws + ":1797000000";
    String marker = "credits_exhausted:" + UUID.randomUUID();
    send(ws, notice(noticeId, ws, "payment_failed", "Payment failed"));
    send(ws, notice(noticeId, ws, "payment_failed", "Payment failed"));
    // same key, same partition: once the marker is listed, both copies have been handled
    send(ws, notice(marker, ws, "credits_exhausted", "Hosted credits used up"));

    JsonNode list =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> list(ws, "all"), l -> l.get("notifications").size() >= 2);
    assertThat(list.get("notifications"))
        .extracting(n -> n.get("kind").asString())
        .containsExactlyInAnyOrder("payment_failed", "credits_exhausted");
    assertThat(list.get("unread").asInt()).isEqualTo(2);
    assertThat(list.get("notifications"))
        .allSatisfy(n -> assertThat(n.get("severity").asString()).isEqualTo("critical"));
    assertThat(
            jdbc()
                .queryForObject(
                    "SELECT count(*) FROM obs_alert.notifications WHERE notice_id = ?",
                    Long.class,
                    noticeId))
        .isEqualTo(1);
  }

  @Test
  void aRecordThatIsNotANoticeIsSkippedAndTheNextOneIsStored() {
    String ws = newWorkspace();
    send(ws, "not json".getBytes(StandardCharsets.UTF_8));
    send(ws, json(Map.of("workspace_id", ws, "kind", "credits_low", "title", "No id")));
    Map<String, Object> scriptLink = new LinkedHashMap<>(fields("evil", ws, "credits_low", "x"));
    scriptLink.put("link", "javascript:alert(1)");
    send(ws, json(scriptLink));
    send(ws, notice("grace_ending:" + UUID.randomUUID(), ws, "grace_ending", "Grace ends soon"));

    // same key, same partition: once the last one is listed, the others have been handled
    JsonNode list =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> list(ws, "all"), l -> titles(l).contains("Grace ends soon"));
    assertThat(titles(list)).containsExactlyInAnyOrder("x", "Grace ends soon");
    for (JsonNode n : list.get("notifications")) {
      if (n.get("title").asString().equals("x")) {
        assertThat(n.get("link").isNull()).as("a link out of the web app is dropped").isTrue();
      } else {
        assertThat(n.get("kind").asString()).isEqualTo("grace_ending");
        assertThat(n.get("severity").asString()).isEqualTo("warning");
        assertThat(n.get("link").asString()).isEqualTo("https://beacon.example.com/billing");
      }
    }
  }

  @Test
  void aNoticeArrivesOnItsWorkspacesLiveStream() {
    String ws = newWorkspace();
    String other = newWorkspace();
    Flux<ServerSentEvent<String>> stream =
        web.get()
            .uri("/api/obs/notifications/stream")
            .header("X-Beacon-Identity", owner(ws))
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
            .getResponseBody();

    StepVerifier.create(stream.filter(e -> "notification".equals(e.event())).take(1))
        .then(
            () -> {
              send(other, notice("credits_low:" + UUID.randomUUID(), other, "credits_low", "B"));
              send(
                  ws,
                  notice(
                      "downgraded_to_free:" + UUID.randomUUID(),
                      ws,
                      "downgraded_to_free",
                      "Moved to the Free plan"));
            })
        .assertNext(
            event -> {
              JsonNode data = JSON.readTree(event.data());
              assertThat(data.get("source").asString()).isEqualTo("billing");
              assertThat(data.get("kind").asString()).isEqualTo("downgraded_to_free");
              assertThat(data.get("title").asString()).isEqualTo("Moved to the Free plan");
              assertThat(data.get("severity").asString()).isEqualTo("critical");
            })
        .expectComplete()
        .verify(Duration.ofSeconds(60));
  }

  @Test
  void aNoticeAddressedToTheBillingContactIsEmailedOnceThroughTheOutbox() {
    String ws = newWorkspace();
    String to = "billing+" + ws + "@example.com";
    String noticeId = "payment_failed:" + ws + ":1797000001";
    Map<String, Object> addressed = fields(noticeId, ws, "payment_failed", "Payment failed");
    addressed.put("email_to", to);
    send(ws, json(addressed));
    send(ws, json(addressed));
    // a notice with something that is not one address: in-app only
    Map<String, Object> smuggled =
        fields("credits_low:" + UUID.randomUUID(), ws, "credits_low", "Smuggled");
    smuggled.put("email_to", "ops@example.com\r\nBcc: everyone@evil.example");
    send(ws, json(smuggled));
    // the marker, to the same address: once its e-mail is sent, the others were handled before it
    String marker = "credits_exhausted:" + UUID.randomUUID();
    Map<String, Object> last = fields(marker, ws, "credits_exhausted", "Hosted credits used up");
    last.put("email_to", to);
    send(ws, json(last));

    TinySmtpServer smtp = SlackStub.smtp();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> mailsTo(smtp, to).stream().anyMatch(m -> m.contains("Hosted credits used up")));
    List<String> mails = mailsTo(smtp, to);
    assertThat(mails).hasSize(2);
    String paymentFailed =
        mails.stream().filter(m -> m.contains("Subject: Payment failed")).findFirst().orElseThrow();
    assertThat(paymentFailed)
        .contains("Buy credits on the Billing page.")
        .contains("https://beacon.example.com/billing")
        .doesNotContain("Rule:")
        .doesNotContain("Window:");
    assertThat(smtp.messages())
        .noneMatch(m -> m.recipients().stream().anyMatch(r -> r.contains("evil.example")));

    JsonNode list = list(ws, "all");
    assertThat(titles(list))
        .containsExactlyInAnyOrder("Payment failed", "Smuggled", "Hosted credits used up");
    // each e-mail is an outbox delivery with its attempt, like a rule's e-mail channel
    assertThat(
            jdbc()
                .queryForList(
                    "SELECT d.status, d.attempts, d.target, d.rule_id IS NULL AS no_rule,"
                        + " (SELECT count(*) FROM obs_alert.delivery_attempts a"
                        + " WHERE a.delivery_id = d.id) AS tries"
                        + " FROM obs_alert.deliveries d JOIN obs_alert.notifications n"
                        + " ON n.id = d.notification_id WHERE n.notice_id = ?",
                    noticeId))
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.get("status")).isEqualTo("delivered");
              assertThat(row.get("attempts")).isEqualTo(1);
              assertThat(row.get("target")).isEqualTo(to);
              assertThat(row.get("no_rule")).isEqualTo(true);
              assertThat(row.get("tries")).isEqualTo(1L);
            });
  }

  private static List<String> mailsTo(TinySmtpServer smtp, String to) {
    return smtp.messages().stream()
        .filter(m -> m.recipients().contains(to))
        .map(TinySmtpServer.Message::data)
        .toList();
  }

  /** A notice as billing-service publishes it (docs/billing.md). */
  private static byte[] notice(String noticeId, String ws, String kind, String title) {
    return json(fields(noticeId, ws, kind, title));
  }

  private static Map<String, Object> fields(String noticeId, String ws, String kind, String title) {
    Map<String, Object> notice = new LinkedHashMap<>();
    notice.put("notice_id", noticeId);
    notice.put("workspace_id", ws);
    notice.put("kind", kind);
    notice.put("occurred_at", Instant.parse("2026-12-08T03:00:00Z").toString());
    notice.put("title", title);
    notice.put(
        "message",
        "The workspace has $0.08 of hosted LLM credits left. Buy credits on the Billing page.");
    notice.put("link", "/billing");
    notice.put("details", Map.of("balance", 88000, "threshold", 100000));
    return notice;
  }

  private static byte[] json(Map<String, Object> value) {
    return JSON.writeValueAsBytes(value);
  }

  private static void send(String ws, byte[] value) {
    try {
      producer
          .send(new ProducerRecord<>(BillingNoticeListener.TOPIC, ws, value))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> titles(JsonNode list) {
    List<String> titles = new ArrayList<>();
    list.get("notifications").forEach(n -> titles.add(n.get("title").asString()));
    return titles;
  }

  private JsonNode list(String ws, String status) {
    return JSON.readTree(
        web.get()
            .uri("/api/obs/notifications?status=" + status)
            .header("X-Beacon-Identity", owner(ws))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody());
  }
}

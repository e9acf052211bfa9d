package dev.beacon.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.net.Webhook;
import dev.beacon.billing.notice.domain.NoticePublisher;
import dev.beacon.billing.subscription.domain.EntitlementsPublisher;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Stripe events as Stripe sends and signs them, and a reader of the entitlements topic. */
final class BillingTestKit {

  static final String WEBHOOK_SECRET = "whsec_billingTestSecretThatMustNeverBeLogged";
  static final String PRO_PRICE = "price_test_pro";
  static final String BUSINESS_PRICE = "price_test_business";
  static final String WEBHOOK = "/api/billing/stripe/webhook";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private BillingTestKit() {}

  static String workspace() {
    return "ws_" + UUID.randomUUID().toString().substring(0, 8);
  }

  static String eventId() {
    return "evt_" + UUID.randomUUID().toString().replace("-", "");
  }

  /** An {@code event} object around {@code object}, as Stripe's API version 2025-08 sends it. */
  static String event(String id, String type, long created, Map<String, Object> object) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", id);
    event.put("object", "event");
    event.put("api_version", "2025-08-27.basil");
    event.put("created", created);
    event.put("data", Map.of("object", object));
    event.put("livemode", false);
    event.put("pending_webhooks", 1);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("id", "req_" + id.substring(4, 14));
    request.put("idempotency_key", UUID.randomUUID().toString());
    event.put("request", request);
    event.put("type", type);
    return JSON.writeValueAsString(event);
  }

  static Map<String, Object> checkoutSession(
      String workspace, String customer, String subscription) {
    Map<String, Object> session = new LinkedHashMap<>();
    session.put("id", "cs_test_" + UUID.randomUUID().toString().replace("-", ""));
    session.put("object", "checkout.session");
    session.put("client_reference_id", workspace);
    session.put("customer", customer);
    session.put("subscription", subscription);
    session.put("mode", "subscription");
    session.put("payment_status", "paid");
    session.put("status", "complete");
    session.put("metadata", Map.of("workspace_id", workspace, "price_id", PRO_PRICE));
    return session;
  }

  static Map<String, Object> subscription(
      String id, String customer, String status, String price, long periodEnd) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("id", "si_" + id.substring(4));
    item.put("object", "subscription_item");
    item.put("current_period_end", periodEnd);
    item.put("current_period_start", periodEnd - 30 * 24 * 3600);
    item.put("price", Map.of("id", price, "object", "price", "unit_amount", 1500));
    Map<String, Object> subscription = new LinkedHashMap<>();
    subscription.put("id", id);
    subscription.put("object", "subscription");
    subscription.put("customer", customer);
    subscription.put("status", status);
    subscription.put("cancel_at_period_end", false);
    subscription.put(
        "items",
        Map.of("object", "list", "data", List.of(item), "has_more", false, "total_count", 1));
    subscription.put("metadata", Map.of());
    return subscription;
  }

  static Map<String, Object> invoice(String customer, String subscription, String status) {
    Map<String, Object> invoice = new LinkedHashMap<>();
    invoice.put("id", "in_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
    invoice.put("object", "invoice");
    invoice.put("customer", customer);
    invoice.put("status", status);
    invoice.put("amount_due", 1500);
    invoice.put("currency", "usd");
    invoice.put(
        "parent",
        Map.of(
            "type",
            "subscription_details",
            "subscription_details",
            Map.of("subscription", subscription, "metadata", Map.of())));
    return invoice;
  }

  /** A Checkout Session that bought a credit pack, paid with {@code paymentIntent}. */
  static Map<String, Object> packCheckoutSession(
      String workspace, String pack, String paymentIntent) {
    Map<String, Object> session = new LinkedHashMap<>();
    session.put("id", "cs_test_" + UUID.randomUUID().toString().replace("-", ""));
    session.put("object", "checkout.session");
    session.put("client_reference_id", workspace);
    session.put("customer", "cus_" + workspace);
    session.put("mode", "payment");
    session.put("payment_intent", paymentIntent);
    session.put("payment_status", "paid");
    session.put("status", "complete");
    session.put("amount_total", 1000);
    session.put("currency", "usd");
    session.put("metadata", Map.of("workspace_id", workspace, "credit_pack", pack));
    return session;
  }

  /** A charge of {@code amount} cents of which {@code amountRefunded} are refunded so far. */
  static Map<String, Object> charge(String paymentIntent, long amount, long amountRefunded) {
    Map<String, Object> charge = new LinkedHashMap<>();
    charge.put("id", "ch_" + paymentIntent.substring(3));
    charge.put("object", "charge");
    charge.put("amount", amount);
    charge.put("amount_captured", amount);
    charge.put("amount_refunded", amountRefunded);
    charge.put("currency", "usd");
    charge.put("payment_intent", paymentIntent);
    charge.put("paid", true);
    charge.put("refunded", amountRefunded >= amount);
    charge.put("status", "succeeded");
    return charge;
  }

  static String paymentIntent() {
    return "pi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
  }

  /**
   * An {@code llm_call} event envelope as chat-service publishes it; {@code hosted} sets {@code
   * metadata.billing = "hosted"}.
   */
  static String llmCall(
      UUID id,
      String workspace,
      String provider,
      String model,
      long input,
      long cached,
      long output,
      boolean hosted) {
    Map<String, Object> llm = new LinkedHashMap<>();
    llm.put("provider", provider);
    llm.put("model", model);
    llm.put("input_tokens", input);
    llm.put("output_tokens", output);
    llm.put("cached_input_tokens", cached);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("event_id", id.toString());
    event.put("type", "llm_call");
    event.put("occurred_at", Instant.now().toString());
    event.put("workspace_id", workspace);
    event.put("agent_id", "agent-1");
    event.put("status", "ok");
    event.put("duration_ms", 420);
    event.put("llm", llm);
    event.put(
        "metadata",
        hosted
            ? Map.of("billing", "hosted", "conversation_id", "c-1")
            : Map.of("conversation_id", "c-1"));
    return JSON.writeValueAsString(event);
  }

  static JsonNode creditsOf(WebTestClient web, IdentitySigner signer, String workspace) {
    return get(web, signer, workspace, "/api/billing/credits");
  }

  static JsonNode get(WebTestClient web, IdentitySigner signer, String workspace, String uri) {
    byte[] body =
        web.get()
            .uri(uri)
            .header(ForwardedIdentity.HEADER, signer.sign("user-1", workspace, Role.VIEWER))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }

  /** The {@code Stripe-Signature} header Stripe sends for {@code payload} at {@code timestamp}. */
  static String signature(String payload, long timestamp, String secret) {
    try {
      String v1 = Webhook.Util.computeHmacSha256(secret, timestamp + "." + payload);
      return "t=" + timestamp + ",v1=" + v1;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Workspace {@code ws} subscribed to Pro as Stripe tells it: Checkout completed at {@code t0},
   * the subscription created a second later (customer {@code cus_<ws>}, subscription {@code
   * sub_<ws>}); both applied.
   */
  static void subscribeToPro(WebTestClient web, String ws, long t0) {
    String customer = "cus_" + ws;
    String sub = "sub_" + ws;
    deliver(
            web,
            event(eventId(), "checkout.session.completed", t0, checkoutSession(ws, customer, sub)))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("applied");
    deliver(
            web,
            event(
                eventId(),
                "customer.subscription.created",
                t0 + 1,
                subscription(sub, customer, "active", PRO_PRICE, t0 + 2_592_000)))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("applied");
  }

  static WebTestClient.ResponseSpec deliver(WebTestClient web, String payload) {
    return deliver(
        web, payload, signature(payload, Instant.now().getEpochSecond(), WEBHOOK_SECRET));
  }

  static WebTestClient.ResponseSpec deliver(WebTestClient web, String payload, String signature) {
    return web.post()
        .uri(WEBHOOK)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("Stripe-Signature", signature)
        .bodyValue(payload)
        .exchange();
  }

  static JsonNode subscriptionOf(WebTestClient web, IdentitySigner signer, String workspace) {
    return subscriptionOf(web, signer, workspace, Role.VIEWER);
  }

  static JsonNode subscriptionOf(
      WebTestClient web, IdentitySigner signer, String workspace, Role role) {
    byte[] body =
        web.get()
            .uri("/api/billing/subscription")
            .header(ForwardedIdentity.HEADER, signer.sign("user-1", workspace, role))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }

  /** Every record of the entitlements topic for {@code workspace}, oldest first. */
  static List<JsonNode> entitlementRecords(String bootstrapServers, String workspace) {
    return records(bootstrapServers, EntitlementsPublisher.TOPIC, workspace);
  }

  /** Every record of the billing notices topic for {@code workspace}, oldest first. */
  static List<JsonNode> noticeRecords(String bootstrapServers, String workspace) {
    return records(bootstrapServers, NoticePublisher.TOPIC, workspace);
  }

  /**
   * Every record of {@code topic} keyed {@code workspace}, read to the topic's end, oldest first.
   */
  static List<JsonNode> records(String bootstrapServers, String topic, String workspace) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<JsonNode> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
        partitions.add(new TopicPartition(info.topic(), info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new LinkedHashMap<>(consumer.endOffsets(partitions));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!reached(consumer, end) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (workspace.equals(record.key())) {
            records.add(JSON.readTree(record.value()));
          }
        }
      }
      assertThat(reached(consumer, end)).as("read " + topic + " to its end").isTrue();
    }
    return records;
  }

  static Optional<JsonNode> latestEntitlements(String bootstrapServers, String workspace) {
    List<JsonNode> records = entitlementRecords(bootstrapServers, workspace);
    return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1));
  }

  private static boolean reached(
      KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }
}

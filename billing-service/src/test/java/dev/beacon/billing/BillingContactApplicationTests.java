package dev.beacon.billing;

import static dev.beacon.billing.BillingTestKit.checkoutSession;
import static dev.beacon.billing.BillingTestKit.creditsOf;
import static dev.beacon.billing.BillingTestKit.deliver;
import static dev.beacon.billing.BillingTestKit.event;
import static dev.beacon.billing.BillingTestKit.eventId;
import static dev.beacon.billing.BillingTestKit.invoice;
import static dev.beacon.billing.BillingTestKit.noticeRecords;
import static dev.beacon.billing.BillingTestKit.packCheckoutSession;
import static dev.beacon.billing.BillingTestKit.paymentIntent;
import static dev.beacon.billing.BillingTestKit.subscribeToPro;
import static dev.beacon.billing.BillingTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The billing contact against real PostgreSQL and Kafka: who may read and set it, what is refused,
 * what a Checkout teaches, and that every notice recorded after it is addressed to it.
 */
@IntegrationTest
class BillingContactApplicationTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String CONTACT = "/api/billing/contact";

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  @Value("${spring.kafka.bootstrap-servers}")
  String bootstrapServers;

  private final long t0 = Instant.now().getEpochSecond() - 60;

  @Test
  void ownersAndAdminsSetReadAndRemoveTheAddressOthersAreRefused() {
    String ws = workspace();
    assertThat(exchange("GET", ws, Role.OWNER, null, 200).path("email").isNull()).isTrue();

    JsonNode set = exchange("PUT", ws, Role.OWNER, "{\"email\": \" Billing@Example.com \"}", 200);
    assertThat(set.path("email").asString()).isEqualTo("Billing@Example.com");
    assertThat(set.path("source").asString()).isEqualTo("workspace");
    assertThat(set.path("updated_at").isString()).isTrue();
    assertThat(exchange("GET", ws, Role.ADMIN, null, 200).path("email").asString())
        .isEqualTo("Billing@Example.com");

    for (Role role : List.of(Role.MEMBER, Role.VIEWER)) {
      assertThat(exchange("GET", ws, role, null, 403).path("code").asString())
          .isEqualTo("forbidden_role");
      assertThat(
              exchange("PUT", ws, role, "{\"email\": \"x@example.com\"}", 403)
                  .path("code")
                  .asString())
          .isEqualTo("forbidden_role");
      assertThat(exchange("DELETE", ws, role, null, 403).path("code").asString())
          .isEqualTo("forbidden_role");
    }

    // another workspace sees nothing of it, and its own removal finds nothing
    String other = workspace();
    assertThat(exchange("GET", other, Role.OWNER, null, 200).path("email").isNull()).isTrue();
    assertThat(exchange("DELETE", other, Role.OWNER, null, 404).path("code").asString())
        .isEqualTo("contact_not_found");
    assertThat(exchange("GET", ws, Role.OWNER, null, 200).path("email").asString())
        .isEqualTo("Billing@Example.com");

    web.delete()
        .uri(CONTACT)
        .header(ForwardedIdentity.HEADER, signer.sign("user-1", ws, Role.ADMIN))
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();
    assertThat(exchange("GET", ws, Role.OWNER, null, 200).path("email").isNull()).isTrue();
    assertThat(exchange("DELETE", ws, Role.OWNER, null, 404).path("code").asString())
        .isEqualTo("contact_not_found");
  }

  @Test
  void whatIsNotOneAddressIsRefusedAndTheStoredOneStays() {
    String ws = workspace();
    exchange("PUT", ws, Role.OWNER, "{\"email\": \"ops@example.com\"}", 200);
    List<String> bad =
        List.of(
            "\"\"",
            "\"   \"",
            "null",
            "\"ops\"",
            "\"ops@localhost\"",
            "\"two@at@example.com\"",
            "\"o ps@example.com\"",
            "\"ops@example.com\\r\\nBcc: all@evil.example\"",
            "\"Ops <ops@example.com>\"",
            "\"ops@example.com, more@example.com\"",
            "\"" + "a".repeat(64) + "@" + "b".repeat(190) + ".example.com\"",
            "\"ünicode@example.com\"",
            "42",
            "[\"ops@example.com\"]");
    for (String value : bad) {
      JsonNode refused = exchange("PUT", ws, Role.OWNER, "{\"email\": " + value + "}", 400);
      assertThat(refused.path("code").asString()).as(value).isEqualTo("invalid_email");
      assertThat(refused.path("field").asString()).isEqualTo("email");
      assertThat(refused.path("message").asString()).isNotBlank();
    }
    assertThat(exchange("PUT", ws, Role.OWNER, "{}", 400).path("code").asString())
        .isEqualTo("invalid_email");
    assertThat(exchange("PUT", ws, Role.OWNER, "[]", 400).path("code").asString())
        .isEqualTo("invalid_request");
    assertThat(exchange("GET", ws, Role.OWNER, null, 200).path("email").asString())
        .isEqualTo("ops@example.com");
  }

  @Test
  void aCheckoutFillsTheAddressOnlyUntilTheWorkspaceSetsItsOwn() {
    String ws = workspace();
    String customer = "cus_" + ws;
    Map<String, Object> session =
        withEmail(checkoutSession(ws, customer, "sub_" + ws), "pays@a.example");
    assertOutcome(
        deliver(web, event(eventId(), "checkout.session.completed", t0, session)), "applied");
    JsonNode learned = exchange("GET", ws, Role.OWNER, null, 200);
    assertThat(learned.path("email").asString()).isEqualTo("pays@a.example");
    assertThat(learned.path("source").asString()).isEqualTo("stripe");

    // a later Checkout (a credit pack) with another address replaces a learned one ...
    Map<String, Object> pack =
        withEmail(packCheckoutSession(ws, "credits_10", paymentIntent()), "finance@a.example");
    assertOutcome(
        deliver(web, event(eventId(), "checkout.session.completed", t0 + 1, pack)), "applied");
    assertThat(exchange("GET", ws, Role.OWNER, null, 200).path("email").asString())
        .isEqualTo("finance@a.example");

    // ... but never one the workspace set
    exchange("PUT", ws, Role.OWNER, "{\"email\": \"chosen@a.example\"}", 200);
    Map<String, Object> again =
        withEmail(packCheckoutSession(ws, "credits_10", paymentIntent()), "other@a.example");
    assertOutcome(
        deliver(web, event(eventId(), "checkout.session.completed", t0 + 2, again)), "applied");
    JsonNode kept = exchange("GET", ws, Role.OWNER, null, 200);
    assertThat(kept.path("email").asString()).isEqualTo("chosen@a.example");
    assertThat(kept.path("source").asString()).isEqualTo("workspace");
  }

  @Test
  void noticesRecordedAfterTheAddressIsSetAreAddressedToItAndEarlierOnesAreNot() {
    String ws = workspace();
    String customer = "cus_" + ws;
    String sub = "sub_" + ws;
    subscribeToPro(web, ws, t0);
    // a failed credit pack payment before any address: in-app only
    String session = "cs_test_failed_" + ws;
    Map<String, Object> failedPack = packCheckoutSession(ws, "credits_10", paymentIntent());
    failedPack.put("id", session);
    failedPack.put("payment_status", "unpaid");
    assertOutcome(
        deliver(web, event(eventId(), "checkout.session.async_payment_failed", t0 + 2, failedPack)),
        "applied");

    exchange("PUT", ws, Role.OWNER, "{\"email\": \"billing@b.example\"}", 200);
    assertOutcome(
        deliver(
            web,
            event(eventId(), "invoice.payment_failed", t0 + 3, invoice(customer, sub, "open"))),
        "applied");

    List<JsonNode> notices = noticeRecords(bootstrapServers, ws);
    assertThat(notices)
        .extracting(n -> n.path("kind").asString())
        .containsExactly("credit_payment_failed", "payment_failed");
    JsonNode packFailed = notices.get(0);
    assertThat(packFailed.has("email_to")).isFalse();
    assertThat(packFailed.path("notice_id").asString())
        .isEqualTo("credit_payment_failed:" + session);
    assertThat(packFailed.path("title").asString()).isEqualTo("Credit pack payment failed");
    assertThat(packFailed.path("message").asString()).contains("credits_10").contains("no credits");
    assertThat(packFailed.path("details").path("credit_pack").asString()).isEqualTo("credits_10");
    assertThat(notices.get(1).path("email_to").asString()).isEqualTo("billing@b.example");
    // the failed payment granted nothing
    assertThat(creditsOf(web, signer, ws).path("purchased_balance").asLong()).isZero();
  }

  @Test
  void aFailedCreditPaymentIsToldOncePerSessionAndOneWithoutWorkspaceIsUnmatched() {
    String ws = workspace();
    Map<String, Object> failedPack = packCheckoutSession(ws, "credits_50", paymentIntent());
    failedPack.put("payment_status", "unpaid");
    String first = event(eventId(), "checkout.session.async_payment_failed", t0, failedPack);
    assertOutcome(deliver(web, first), "applied");
    assertOutcome(deliver(web, first), "duplicate");
    // the same session told again under another event id (Stripe retried with a new event)
    assertOutcome(
        deliver(web, event(eventId(), "checkout.session.async_payment_failed", t0 + 1, failedPack)),
        "applied");
    assertThat(noticeRecords(bootstrapServers, ws)).hasSize(1);

    Map<String, Object> nobody = packCheckoutSession(ws, "credits_50", paymentIntent());
    nobody.remove("client_reference_id");
    nobody.put("metadata", Map.of("credit_pack", "credits_50"));
    assertOutcome(
        deliver(web, event(eventId(), "checkout.session.async_payment_failed", t0 + 2, nobody)),
        "unmatched");
    assertThat(noticeRecords(bootstrapServers, ws)).hasSize(1);
  }

  private static Map<String, Object> withEmail(Map<String, Object> session, String email) {
    Map<String, Object> copy = new LinkedHashMap<>(session);
    copy.put("customer_details", Map.of("email", email, "name", "Ada Lovelace"));
    return copy;
  }

  private JsonNode exchange(String method, String ws, Role role, String body, int status) {
    WebTestClient.RequestBodySpec request =
        web.method(org.springframework.http.HttpMethod.valueOf(method))
            .uri(CONTACT)
            .header(ForwardedIdentity.HEADER, signer.sign("user-1", ws, role));
    WebTestClient.RequestHeadersSpec<?> spec =
        body == null ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    byte[] answer =
        spec.exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody();
    assertThat(answer).as(method + " " + status).isNotNull();
    return JSON.readTree(answer);
  }

  private static void assertOutcome(WebTestClient.ResponseSpec response, String outcome) {
    response.expectStatus().isOk().expectBody().jsonPath("$.outcome").isEqualTo(outcome);
  }
}

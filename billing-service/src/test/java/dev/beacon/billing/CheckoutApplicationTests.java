package dev.beacon.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.beacon.billing.BillingTestKit.PRO_PRICE;
import static dev.beacon.billing.BillingTestKit.checkoutSession;
import static dev.beacon.billing.BillingTestKit.deliver;
import static dev.beacon.billing.BillingTestKit.event;
import static dev.beacon.billing.BillingTestKit.eventId;
import static dev.beacon.billing.BillingTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.stripe.Stripe;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checkout and the Customer Portal against Stripe's API as a WireMock server: the exact
 * form-encoded requests stripe-java sends (path, {@code Authorization}, {@code Stripe-Version},
 * {@code Idempotency-Key}, every parameter), the answers, and who may ask.
 */
@IntegrationTest
class CheckoutApplicationTests {

  static final String SECRET_KEY = "sk_test_billingCheckoutKeyThatMustNeverBeAnswered";
  static final String PUBLIC_URL = "https://beacon.example";
  static final WireMockServer STRIPE =
      new WireMockServer(WireMockConfiguration.options().dynamicPort());
  static final JsonMapper JSON = JsonMapper.builder().build();

  static {
    STRIPE.start();
    Runtime.getRuntime().addShutdownHook(new Thread(STRIPE::stop, "stripe-stand-in-stop"));
  }

  @DynamicPropertySource
  static void stripe(DynamicPropertyRegistry registry) {
    registry.add("beacon.billing.stripe.secret-key", () -> SECRET_KEY);
    registry.add("beacon.billing.stripe.api-base", () -> "http://127.0.0.1:" + STRIPE.port());
    registry.add("beacon.billing.public-url", () -> PUBLIC_URL);
  }

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  @BeforeEach
  void reset() {
    STRIPE.resetAll();
    STRIPE.stubFor(
        post(urlPathEqualTo("/v1/checkout/sessions"))
            .willReturn(
                json(
                    200,
                    Map.of(
                        "id", "cs_test_a1",
                        "object", "checkout.session",
                        "mode", "subscription",
                        "url", "https://checkout.stripe.com/c/pay/cs_test_a1"))));
    STRIPE.stubFor(
        post(urlPathEqualTo("/v1/billing_portal/sessions"))
            .willReturn(
                json(
                    200,
                    Map.of(
                        "id", "bps_1",
                        "object", "billing_portal.session",
                        "url", "https://billing.stripe.com/p/session/test_1"))));
  }

  @Test
  void anOwnerGetsACheckoutSessionThatNamesTheWorkspaceEverywhere() {
    String ws = workspace();

    JsonNode body = ok(checkout(ws, Role.OWNER, "{\"plan\": \"pro\"}"));

    assertThat(body.path("url").asString())
        .isEqualTo("https://checkout.stripe.com/c/pay/cs_test_a1");
    List<LoggedRequest> requests =
        STRIPE.findAll(postRequestedFor(urlPathEqualTo("/v1/checkout/sessions")));
    assertThat(requests).hasSize(1);
    LoggedRequest request = requests.get(0);
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + SECRET_KEY);
    assertThat(request.getHeader("Stripe-Version")).isEqualTo(Stripe.API_VERSION);
    assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(request.getHeader("Idempotency-Key")).startsWith("checkout:" + ws + ":pro:");
    assertThat(form(request))
        .containsEntry("mode", "subscription")
        .containsEntry("line_items[0][price]", PRO_PRICE)
        .containsEntry("line_items[0][quantity]", "1")
        .containsEntry("client_reference_id", ws)
        .containsEntry("metadata[workspace_id]", ws)
        .containsEntry("metadata[price_id]", PRO_PRICE)
        .containsEntry("metadata[plan]", "pro")
        .containsEntry("subscription_data[metadata][workspace_id]", ws)
        .containsEntry(
            "success_url",
            PUBLIC_URL + "/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}")
        .containsEntry("cancel_url", PUBLIC_URL + "/billing?checkout=canceled")
        .doesNotContainKey("customer");
  }

  @Test
  void aCreditPackIsAPaymentSessionThatNamesThePackForTheGrant() {
    String ws = workspace();

    JsonNode body = ok(checkout(ws, Role.ADMIN, "{\"credit_pack\": \"credits_10\"}"));

    assertThat(body.path("url").asString()).startsWith("https://checkout.stripe.com/");
    LoggedRequest request =
        STRIPE.findAll(postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))).get(0);
    assertThat(request.getHeader("Idempotency-Key")).startsWith("credits:" + ws + ":credits_10:");
    assertThat(form(request))
        .containsEntry("mode", "payment")
        .containsEntry("line_items[0][price]", "price_test_credits_10")
        .containsEntry("line_items[0][quantity]", "1")
        .containsEntry("client_reference_id", ws)
        .containsEntry("metadata[workspace_id]", ws)
        .containsEntry("metadata[credit_pack]", "credits_10")
        .containsEntry("payment_intent_data[metadata][workspace_id]", ws)
        .containsEntry(
            "success_url", PUBLIC_URL + "/billing?credits=success&session_id={CHECKOUT_SESSION_ID}")
        .doesNotContainKey("subscription_data[metadata][workspace_id]");
  }

  @Test
  void anUnknownUnpricedOrAmbiguousPurchaseIsRefused() {
    String ws = workspace();

    JsonNode unknown = refused(checkout(ws, Role.OWNER, "{\"credit_pack\": \"credits_1m\"}"), 404);
    assertThat(unknown.path("code").asString()).isEqualTo("unknown_credit_pack");
    JsonNode unpriced = refused(checkout(ws, Role.OWNER, "{\"credit_pack\": \"credits_50\"}"), 503);
    assertThat(unpriced.path("code").asString()).isEqualTo("credit_pack_not_configured");
    assertThat(unpriced.path("message").asString()).contains("BEACON_STRIPE_PRICE_CREDITS_50");
    JsonNode both =
        refused(
            checkout(ws, Role.OWNER, "{\"plan\": \"pro\", \"credit_pack\": \"credits_10\"}"), 400);
    assertThat(both.path("code").asString()).isEqualTo("invalid_request");
    JsonNode member = refused(checkout(ws, Role.MEMBER, "{\"credit_pack\": \"credits_10\"}"), 403);
    assertThat(member.path("code").asString()).isEqualTo("forbidden_role");
    assertThat(STRIPE.getAllServeEvents()).isEmpty();
  }

  @Test
  void twoClicksAreTwoSessionsWithTheirOwnIdempotencyKeys() {
    String ws = workspace();
    ok(checkout(ws, Role.ADMIN, "{\"plan\": \"business\"}"));
    ok(checkout(ws, Role.ADMIN, "{\"plan\": \"business\"}"));

    List<LoggedRequest> requests =
        STRIPE.findAll(postRequestedFor(urlPathEqualTo("/v1/checkout/sessions")));
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).getHeader("Idempotency-Key"))
        .isNotEqualTo(requests.get(1).getHeader("Idempotency-Key"));
    assertThat(form(requests.get(0))).containsEntry("line_items[0][price]", "price_test_business");
  }

  @Test
  void onlyOwnersAndAdminsStartCheckoutAndNothingReachesStripeOtherwise() {
    String ws = workspace();

    JsonNode member = refused(checkout(ws, Role.MEMBER, "{\"plan\": \"pro\"}"), 403);
    assertThat(member.path("code").asString()).isEqualTo("forbidden_role");
    JsonNode viewer = refused(checkout(ws, Role.VIEWER, "{\"plan\": \"pro\"}"), 403);
    assertThat(viewer.path("code").asString()).isEqualTo("forbidden_role");
    JsonNode portal = refused(portal(ws, Role.MEMBER, "{}"), 403);
    assertThat(portal.path("code").asString()).isEqualTo("forbidden_role");

    assertThat(STRIPE.getAllServeEvents()).isEmpty();
  }

  @Test
  void plansThatCannotBeBoughtAndBadBodiesAreRefusedClearly() {
    String ws = workspace();

    assertThat(
            refused(checkout(ws, Role.OWNER, "{\"plan\": \"free\"}"), 400).path("code").asString())
        .isEqualTo("plan_not_sold");
    JsonNode enterprise = refused(checkout(ws, Role.OWNER, "{\"plan\": \"enterprise\"}"), 400);
    assertThat(enterprise.path("code").asString()).isEqualTo("contact_sales");
    assertThat(enterprise.path("message").asString()).contains("contact us");
    JsonNode unknown = refused(checkout(ws, Role.OWNER, "{\"plan\": \"platinum\"}"), 404);
    assertThat(unknown.path("code").asString()).isEqualTo("unknown_plan");
    assertThat(unknown.path("plan").asString()).isEqualTo("platinum");
    for (String bad : List.of("{}", "[]", "{\"plan\": 3}", "{\"plan\": \"\"}", "\"pro\"")) {
      JsonNode invalid = refused(checkout(ws, Role.OWNER, bad), 400);
      assertThat(invalid.path("code").asString()).as(bad).isEqualTo("invalid_request");
    }
    JsonNode notJson = refused(checkout(ws, Role.OWNER, "{plan"), 400);
    assertThat(notJson.path("code").asString()).isEqualTo("invalid_request");

    assertThat(STRIPE.getAllServeEvents()).isEmpty();
  }

  @Test
  void aSubscribedWorkspaceChangesPlanInThePortalNotThroughASecondCheckout() {
    String ws = workspace();
    subscribe(ws, "cus_port1", "sub_port1");

    JsonNode again = refused(checkout(ws, Role.OWNER, "{\"plan\": \"business\"}"), 409);
    assertThat(again.path("code").asString()).isEqualTo("already_subscribed");
    assertThat(again.path("plan").asString()).isEqualTo("pro");

    JsonNode portal = ok(portal(ws, Role.ADMIN, "{\"flow\": \"change_plan\"}"));
    assertThat(portal.path("url").asString())
        .isEqualTo("https://billing.stripe.com/p/session/test_1");
    List<LoggedRequest> requests =
        STRIPE.findAll(postRequestedFor(urlPathEqualTo("/v1/billing_portal/sessions")));
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).getHeader("Authorization")).isEqualTo("Bearer " + SECRET_KEY);
    assertThat(requests.get(0).getHeader("Idempotency-Key")).startsWith("portal:" + ws + ":");
    assertThat(form(requests.get(0)))
        .containsEntry("customer", "cus_port1")
        .containsEntry("return_url", PUBLIC_URL + "/billing")
        .containsEntry("flow_data[type]", "subscription_update")
        .containsEntry("flow_data[subscription_update][subscription]", "sub_port1");

    ok(portal(ws, Role.OWNER, null));
    LoggedRequest plain =
        STRIPE.findAll(postRequestedFor(urlPathEqualTo("/v1/billing_portal/sessions"))).get(1);
    assertThat(form(plain))
        .containsEntry("customer", "cus_port1")
        .doesNotContainKey("flow_data[type]");
    assertThat(STRIPE.findAll(postRequestedFor(urlPathEqualTo("/v1/checkout/sessions")))).isEmpty();
  }

  @Test
  void anAdminSeesTheWorkspacesInvoicesFromStripeAndOthersDoNot() {
    String ws = workspace();
    subscribe(ws, "cus_inv1", "sub_inv1");
    Map<String, Object> invoice = new java.util.LinkedHashMap<>();
    invoice.put("id", "in_1");
    invoice.put("object", "invoice");
    invoice.put("number", "BCN-0001");
    invoice.put("status", "paid");
    invoice.put("currency", "usd");
    invoice.put("amount_due", 1500);
    invoice.put("amount_paid", 1500);
    invoice.put("created", 1796601600L);
    invoice.put("period_start", 1796601600L);
    invoice.put("period_end", 1799193600L);
    invoice.put("hosted_invoice_url", "https://invoice.stripe.com/i/acct_1/test_1");
    STRIPE.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/v1/invoices"))
            .willReturn(
                json(
                    200,
                    Map.of(
                        "object",
                        "list",
                        "url",
                        "/v1/invoices",
                        "has_more",
                        false,
                        "data",
                        List.of(invoice)))));

    JsonNode body =
        JSON.readTree(
            web.get()
                .uri("/api/billing/invoices")
                .header(ForwardedIdentity.HEADER, signer.sign("admin", ws, Role.ADMIN))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());

    JsonNode first = body.path("invoices").path(0);
    assertThat(body.path("invoices")).hasSize(1);
    assertThat(first.path("number").asString()).isEqualTo("BCN-0001");
    assertThat(first.path("status").asString()).isEqualTo("paid");
    assertThat(first.path("amount_paid").asLong()).isEqualTo(1500);
    assertThat(first.path("currency").asString()).isEqualTo("usd");
    assertThat(first.path("created").asString()).isEqualTo("2026-12-07T00:00:00Z");
    assertThat(first.path("hosted_invoice_url").asString())
        .startsWith("https://invoice.stripe.com/");
    List<LoggedRequest> asked =
        STRIPE.findAll(
            com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathEqualTo("/v1/invoices")));
    assertThat(asked).hasSize(1);
    assertThat(asked.get(0).queryParameter("customer").firstValue()).isEqualTo("cus_inv1");
    assertThat(asked.get(0).queryParameter("limit").firstValue()).isEqualTo("24");
    assertThat(asked.get(0).getHeader("Authorization")).isEqualTo("Bearer " + SECRET_KEY);

    JsonNode member =
        refused(
            web.get()
                .uri("/api/billing/invoices")
                .header(ForwardedIdentity.HEADER, signer.sign("member", ws, Role.MEMBER))
                .exchange()
                .expectBody()
                .returnResult(),
            403);
    assertThat(member.path("code").asString()).isEqualTo("forbidden_role");

    // a workspace that never had a Stripe customer: none, and Stripe is not asked
    byte[] none =
        web.get()
            .uri("/api/billing/invoices")
            .header(ForwardedIdentity.HEADER, signer.sign("owner", workspace(), Role.OWNER))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    assertThat(JSON.readTree(none).path("invoices")).isEmpty();
    assertThat(
            STRIPE.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                    urlPathEqualTo("/v1/invoices"))))
        .hasSize(1);
  }

  @Test
  void aCanceledSubscriptionHasNoPlanToChangeButKeepsThePortal() {
    String ws = workspace();
    subscribe(ws, "cus_gone1", "sub_gone1");
    deliver(
            web,
            event(
                eventId(),
                "customer.subscription.deleted",
                Instant.now().getEpochSecond() + 5,
                BillingTestKit.subscription("sub_gone1", "cus_gone1", "canceled", PRO_PRICE, 0)))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("applied");

    JsonNode change = refused(portal(ws, Role.OWNER, "{\"flow\": \"change_plan\"}"), 409);
    assertThat(change.path("code").asString()).isEqualTo("no_subscription");
    assertThat(ok(portal(ws, Role.OWNER, "{}")).path("url").asString()).startsWith("https://");
    ok(checkout(ws, Role.OWNER, "{\"plan\": \"pro\"}"));
    assertThat(
            form(STRIPE.findAll(postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))).get(0)))
        .as("subscribing again reuses the Stripe customer")
        .containsEntry("customer", "cus_gone1");
  }

  @Test
  void thePortalNeedsAStripeCustomerAndAKnownFlow() {
    String ws = workspace();

    JsonNode none = refused(portal(ws, Role.OWNER, "{}"), 409);
    assertThat(none.path("code").asString()).isEqualTo("no_billing_account");
    JsonNode flow = refused(portal(ws, Role.OWNER, "{\"flow\": \"delete_everything\"}"), 400);
    assertThat(flow.path("code").asString()).isEqualTo("invalid_request");
    assertThat(STRIPE.getAllServeEvents()).isEmpty();
  }

  @Test
  void stripesRefusalsAreDocumentedAnswersWithoutTheKey() {
    String ws = workspace();
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.classic.Level level = root.getLevel();
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(ch.qos.logback.classic.Level.DEBUG);
    try {
      refusals(ws);
    } finally {
      root.setLevel(level);
      root.detachAppender(logs);
    }
    List<String> lines;
    synchronized (logs) {
      lines =
          logs.list.stream()
              .map(e -> e.getFormattedMessage() + " " + String.valueOf(e.getThrowableProxy()))
              .toList();
    }
    assertThat(lines).as("the refusals were logged").anyMatch(l -> l.contains("Stripe"));
    assertThat(lines).noneMatch(l -> l.contains(SECRET_KEY));
  }

  private void refusals(String ws) {
    STRIPE.stubFor(
        post(urlPathEqualTo("/v1/checkout/sessions"))
            .withHeader("Stripe-Version", matching(".+"))
            .willReturn(
                json(
                    400,
                    Map.of(
                        "error",
                        Map.of(
                            "type", "invalid_request_error",
                            "code", "resource_missing",
                            "param", "line_items[0][price]",
                            "message", "No such price: 'price_test_pro'")))));

    EntityExchangeResult<byte[]> refusedByStripe = checkout(ws, Role.OWNER, "{\"plan\": \"pro\"}");
    JsonNode body = refused(refusedByStripe, 502);
    assertThat(body.path("code").asString()).isEqualTo("stripe_refused");
    assertThat(body.path("stripe_code").asString()).isEqualTo("resource_missing");
    assertThat(body.path("message").asString()).contains("No such price");
    assertThat(new String(refusedByStripe.getResponseBody())).doesNotContain(SECRET_KEY);

    STRIPE.stubFor(
        post(urlPathEqualTo("/v1/checkout/sessions"))
            .withHeader("Authorization", containing("Bearer"))
            .willReturn(
                json(
                    401,
                    Map.of(
                        "error",
                        Map.of(
                            "type", "invalid_request_error",
                            "message", "Invalid API Key provided: sk_test_****swer")))));
    EntityExchangeResult<byte[]> badKey = checkout(ws, Role.OWNER, "{\"plan\": \"pro\"}");
    JsonNode unavailable = refused(badKey, 502);
    assertThat(unavailable.path("code").asString()).isEqualTo("stripe_unavailable");
    assertThat(new String(badKey.getResponseBody()))
        .doesNotContain(SECRET_KEY)
        .doesNotContain("sk_");
  }

  private void subscribe(String ws, String customer, String subscription) {
    String payload =
        event(
            eventId(),
            "checkout.session.completed",
            Instant.now().getEpochSecond(),
            checkoutSession(ws, customer, subscription));
    deliver(web, payload)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("applied");
  }

  private EntityExchangeResult<byte[]> checkout(String ws, Role role, String body) {
    return call("/api/billing/checkout", ws, role, body);
  }

  private EntityExchangeResult<byte[]> portal(String ws, Role role, String body) {
    return call("/api/billing/portal", ws, role, body);
  }

  private EntityExchangeResult<byte[]> call(String path, String ws, Role role, String body) {
    WebTestClient.RequestBodySpec request =
        web.post()
            .uri(path)
            .header(ForwardedIdentity.HEADER, signer.sign("user-" + role, ws, role))
            .header("Content-Type", "application/json");
    return (body == null ? request : request.bodyValue(body))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private static JsonNode ok(EntityExchangeResult<byte[]> result) {
    assertThat(result.getStatus().value())
        .as(new String(result.getResponseBody() == null ? new byte[0] : result.getResponseBody()))
        .isEqualTo(200);
    return JSON.readTree(result.getResponseBody());
  }

  private static JsonNode refused(EntityExchangeResult<byte[]> result, int status) {
    assertThat(result.getStatus().value())
        .as(new String(result.getResponseBody() == null ? new byte[0] : result.getResponseBody()))
        .isEqualTo(status);
    JsonNode body = JSON.readTree(result.getResponseBody());
    assertThat(body.path("message").asString()).isNotBlank();
    return body;
  }

  /** The decoded form parameters of a request stripe-java sent. */
  private static Map<String, String> form(LoggedRequest request) {
    Map<String, String> form = new java.util.LinkedHashMap<>();
    for (String pair : request.getBodyAsString().split("&")) {
      int eq = pair.indexOf('=');
      form.put(
          java.net.URLDecoder.decode(
              pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(
              pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
    }
    return form;
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(
      int status, Map<String, Object> body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withHeader("Request-Id", "req_test")
        .withBody(JSON.writeValueAsString(body));
  }
}

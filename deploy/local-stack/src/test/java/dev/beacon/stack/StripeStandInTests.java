package dev.beacon.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.Event;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Stripe stand-in as billing and a browser use it: the API billing's stripe-java calls, the
 * hosted pages, and webhook events that stripe-java's own {@link Webhook} verifies and parses.
 */
class StripeStandInTests {

  private static final JsonMapper JSON = JsonMapper.shared();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> payloads = new CopyOnWriteArrayList<>();
  private final List<String> signatures = new CopyOnWriteArrayList<>();
  private final AtomicInteger webhookStatus = new AtomicInteger(200);
  private HttpServer billing;
  private StripeStandIn stripe;
  private String secret;

  @BeforeEach
  void start() throws IOException {
    billing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    billing.createContext(
        "/api/billing/stripe/webhook",
        exchange -> {
          payloads.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          signatures.add(exchange.getRequestHeaders().getFirst("Stripe-Signature"));
          byte[] body = "{\"received\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(webhookStatus.get(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    billing.start();
    secret = StripeStandIn.newWebhookSecret();
    stripe =
        StripeStandIn.start(
            URI.create(
                "http://127.0.0.1:"
                    + billing.getAddress().getPort()
                    + "/api/billing/stripe/webhook"),
            secret,
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    stripe.close();
    billing.stop(0);
  }

  @Test
  void payingACheckoutSendsTheSubscriptionsEventsSignedAsStripeSignsThem() throws Exception {
    JsonNode session = createCheckout("ws_demo", "price_local_pro");
    assertThat(session.path("object").asString()).isEqualTo("checkout.session");
    String url = session.path("url").asString();
    assertThat(url).startsWith(stripe.apiBase() + "/checkout/cs_test_");

    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).build(), text());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Local Stripe stand-in", "no money moves", "Pro plan, $15.00");

    assertThat(page.body()).contains("name=email", "value=\"billing@example.com\"");

    HttpResponse<String> paid = post(url, "email=pays%40example.org&action=pay");
    assertThat(paid.statusCode()).isEqualTo(303);
    assertThat(paid.body()).isEmpty();
    assertThat(paid.headers().firstValue("Location"))
        .contains(
            "https://beacon.example/billing?checkout=success&session_id="
                + session.path("id").asString());

    assertThat(payloads).hasSize(3);
    List<Event> events = verified();
    assertThat(events.stream().map(Event::getType))
        .containsExactly(
            "customer.subscription.created", "checkout.session.completed", "invoice.paid");
    Subscription subscription =
        (Subscription) events.get(0).getDataObjectDeserializer().deserializeUnsafe();
    assertThat(subscription.getMetadata()).containsEntry("workspace_id", "ws_demo");
    assertThat(subscription.getItems().getData().get(0).getPrice().getId())
        .isEqualTo("price_local_pro");
    assertThat(subscription.getStatus()).isEqualTo("active");
    Session completed = (Session) events.get(1).getDataObjectDeserializer().deserializeUnsafe();
    assertThat(completed.getClientReferenceId()).isEqualTo("ws_demo");
    assertThat(completed.getCustomerDetails().getEmail()).isEqualTo("pays@example.org");
    assertThat(completed.getMetadata()).containsEntry("price_id", "price_local_pro");
    assertThat(completed.getSubscription()).isEqualTo(subscription.getId());
    assertThat(completed.getCustomer())
        .isEqualTo(subscription.getCustomer())
        .startsWith("cus_local_");

    HttpResponse<String> again = post(url, "action=pay");
    assertThat(again.statusCode()).as("a session is paid once").isEqualTo(404);
    assertThat(again.body()).contains("unknown or already used");
    assertThat(payloads).hasSize(3);
  }

  @Test
  void thePortalChangesPlanFailsAPaymentAndCancels() throws Exception {
    String checkout = createCheckout("ws_portal", "price_local_pro").path("url").asString();
    post(checkout, "action=pay");
    String customer =
        ((Session) verified().get(1).getDataObjectDeserializer().deserializeUnsafe()).getCustomer();
    payloads.clear();
    signatures.clear();

    JsonNode portal =
        JSON.readTree(
            api(
                    "/v1/billing_portal/sessions",
                    "customer=" + customer + "&return_url=https%3A%2F%2Fbeacon.example%2Fbilling")
                .body());
    String url = portal.path("url").asString();
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).build(), text());
    assertThat(page.body()).contains("Pro", "Switch to Business", "Back to Beacon");

    assertThat(post(url, "action=switch%3Aprice_local_business").body())
        .contains("Switched to Business");
    assertThat(post(url, "action=fail").body()).contains("past due");
    assertThat(post(url, "action=cancel").body()).contains("on Free");

    List<Event> events = verified();
    assertThat(events.stream().map(Event::getType))
        .containsExactly(
            "customer.subscription.updated",
            "invoice.payment_failed",
            "customer.subscription.deleted");
    Subscription switched =
        (Subscription) events.get(0).getDataObjectDeserializer().deserializeUnsafe();
    assertThat(switched.getItems().getData().get(0).getPrice().getId())
        .isEqualTo("price_local_business");
    Subscription deleted =
        (Subscription) events.get(2).getDataObjectDeserializer().deserializeUnsafe();
    assertThat(deleted.getStatus()).isEqualTo("canceled");

    HttpResponse<String> listed =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        stripe.apiBase() + "/v1/invoices?customer=" + customer + "&limit=24"))
                .header("Authorization", "Bearer " + StripeStandIn.SECRET_KEY)
                .build(),
            text());
    JsonNode invoices = JSON.readTree(listed.body()).path("data");
    assertThat(invoices)
        .as("the checkout's paid invoice and the failed one, newest first")
        .hasSize(2);
    assertThat(invoices.path(0).path("status").asString()).isEqualTo("open");
    assertThat(invoices.path(1).path("status").asString()).isEqualTo("paid");
    assertThat(invoices.path(1).path("amount_paid").asLong()).isEqualTo(1500);
    assertThat(invoices.path(1).path("number").asString()).matches("LOCAL-\\d{4}");
    HttpResponse<String> hosted =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(invoices.path(1).path("hosted_invoice_url").asString()))
                .build(),
            text());
    assertThat(hosted.body()).contains("Nothing was charged", "$15.00");
  }

  @Test
  void payingForACreditPackSendsOneCompletedPaymentSession() throws Exception {
    HttpResponse<String> created =
        api(
            "/v1/checkout/sessions",
            "mode=payment&line_items%5B0%5D%5Bprice%5D=price_local_credits_10"
                + "&client_reference_id=ws_credits&metadata%5Bcredit_pack%5D=credits_10"
                + "&success_url=https%3A%2F%2Fbeacon.example%2Fbilling%3Fcredits%3Dsuccess");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    String url = JSON.readTree(created.body()).path("url").asString();
    assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).build(), text()).body())
        .contains("hosted LLM credits (credits_10), $10.00");

    assertThat(post(url, "action=pay").statusCode()).isEqualTo(303);

    List<Event> events = verified();
    assertThat(events).extracting(Event::getType).containsExactly("checkout.session.completed");
    Session session = (Session) events.get(0).getDataObjectDeserializer().deserializeUnsafe();
    assertThat(session.getMode()).isEqualTo("payment");
    assertThat(session.getMetadata()).containsEntry("credit_pack", "credits_10");
    assertThat(session.getAmountTotal()).isEqualTo(1000L);
    assertThat(session.getPaymentIntent()).startsWith("pi_local_");
  }

  @Test
  void aWrongKeyOrAnUnknownPriceIsRefusedInStripesErrorFormat() throws Exception {
    HttpResponse<String> wrongKey =
        http.send(
            HttpRequest.newBuilder(URI.create(stripe.apiBase() + "/v1/checkout/sessions"))
                .header("Authorization", "Bearer sk_test_other")
                .POST(HttpRequest.BodyPublishers.ofString("mode=subscription"))
                .build(),
            text());
    assertThat(wrongKey.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(wrongKey.body()).path("error").path("type").asString())
        .isEqualTo("invalid_request_error");

    HttpResponse<String> unknown =
        api("/v1/checkout/sessions", "mode=subscription&line_items%5B0%5D%5Bprice%5D=price_nope");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(unknown.body()).path("error").path("code").asString())
        .isEqualTo("resource_missing");
    assertThat(payloads).isEmpty();
  }

  @Test
  void aRefusedWebhookIsShownNotHidden() throws Exception {
    webhookStatus.set(400);
    String url = createCheckout("ws_refused", "price_local_pro").path("url").asString();

    HttpResponse<String> paid = post(url, "action=pay");

    assertThat(paid.statusCode()).isEqualTo(502);
    assertThat(paid.body()).contains("billing did not take every event", "HTTP 400");
  }

  private JsonNode createCheckout(String workspace, String price) throws Exception {
    HttpResponse<String> created =
        api(
            "/v1/checkout/sessions",
            "mode=subscription&line_items%5B0%5D%5Bprice%5D="
                + price
                + "&line_items%5B0%5D%5Bquantity%5D=1&client_reference_id="
                + workspace
                + "&metadata%5Bworkspace_id%5D="
                + workspace
                + "&metadata%5Bprice_id%5D="
                + price
                + "&subscription_data%5Bmetadata%5D%5Bworkspace_id%5D="
                + workspace
                + "&success_url=https%3A%2F%2Fbeacon.example%2Fbilling%3Fcheckout%3Dsuccess%26session_id%3D%7BCHECKOUT_SESSION_ID%7D"
                + "&cancel_url=https%3A%2F%2Fbeacon.example%2Fbilling%3Fcheckout%3Dcanceled");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    return JSON.readTree(created.body());
  }

  private HttpResponse<String> api(String path, String form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(stripe.apiBase() + path))
            .header("Authorization", "Bearer " + StripeStandIn.SECRET_KEY)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        text());
  }

  private HttpResponse<String> post(String url, String form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        text());
  }

  /** Every received event, verified with stripe-java against the endpoint secret. */
  private List<Event> verified() throws Exception {
    List<Event> events = new java.util.ArrayList<>();
    for (int i = 0; i < payloads.size(); i++) {
      events.add(Webhook.constructEvent(payloads.get(i), signatures.get(i), secret, 300));
    }
    return events;
  }

  private static HttpResponse.BodyHandler<String> text() {
    return HttpResponse.BodyHandlers.ofString();
  }
}

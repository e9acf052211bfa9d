package dev.beacon.stack;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local stack's <b>Stripe stand-in</b>: not Stripe, and no money moves. It speaks the part of
 * Stripe's API billing-service calls through stripe-java ({@code POST /v1/checkout/sessions},
 * {@code POST /v1/billing_portal/sessions}: form-encoded, {@code Authorization: Bearer} with the
 * stand-in's key) and serves the two pages Stripe would host — a checkout page with a "Pay (test)"
 * button and a customer portal with plan changes, a failed payment, a paid invoice and cancelling.
 * Each button sends the webhook events Stripe would send, signed as Stripe signs them ({@code
 * Stripe-Signature: t=…,v1=HMAC-SHA256}), to billing's webhook through the gateway, then sends the
 * browser back to Beacon. State is in memory: a restart of the stack forgets its customers (billing
 * keeps what it was told). Listens on 127.0.0.1 only.
 */
final class StripeStandIn implements AutoCloseable {

  /** The key billing is given; the stand-in refuses any other (it is not a secret). */
  static final String SECRET_KEY = "sk_test_beacon_local_stand_in";

  /** The Stripe price ids the local stack configures for billing's plans. */
  static final Map<String, String> PRICES =
      Map.of("pro", "price_local_pro", "business", "price_local_business");

  /** The Stripe price ids the local stack configures for billing's credit packs. */
  static final Map<String, String> PACK_PRICES =
      Map.of("credits_10", "price_local_credits_10", "credits_50", "price_local_credits_50");

  private static final Map<String, String> PLAN_OF_PRICE =
      Map.of("price_local_pro", "Pro", "price_local_business", "Business");
  private static final Map<String, Long> CENTS_OF_PRICE =
      Map.of(
          "price_local_pro", 1500L,
          "price_local_business", 9900L,
          "price_local_credits_10", 1000L,
          "price_local_credits_50", 5000L);
  private static final JsonMapper JSON = JsonMapper.shared();

  /** A Checkout Session billing created, until it is paid or abandoned. */
  record Session(
      String id,
      String mode,
      String price,
      String clientReferenceId,
      Map<String, String> metadata,
      Map<String, String> subscriptionMetadata,
      String customer,
      String successUrl,
      String cancelUrl) {}

  /** A customer's subscription as the stand-in knows it. */
  record Subscription(String id, String customer, String workspace, String price, String status) {}

  /** A portal session: whose, and where the browser goes back to. */
  record Portal(String customer, String returnUrl) {}

  private final LocalHttp server;
  private final Clock clock;
  private final String webhookSecret;
  private final URI webhookUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Subscription> subscriptionsByCustomer = new ConcurrentHashMap<>();
  private final Map<String, Portal> portals = new ConcurrentHashMap<>();
  private final Map<String, List<Map<String, Object>>> invoicesByCustomer =
      new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger invoiceNumbers =
      new java.util.concurrent.atomic.AtomicInteger();

  private StripeStandIn(Clock clock, String webhookSecret, URI webhookUrl) {
    this.clock = clock;
    this.webhookSecret = webhookSecret;
    this.webhookUrl = webhookUrl;
    this.server = LocalHttp.start("Stripe stand-in", this::handle);
  }

  /**
   * Starts on a free port of 127.0.0.1.
   *
   * @param webhookUrl where the signed events go: billing's webhook behind the gateway
   * @param webhookSecret the endpoint secret billing verifies them with
   */
  static StripeStandIn start(URI webhookUrl, String webhookSecret, Clock clock) {
    return new StripeStandIn(clock, webhookSecret, webhookUrl);
  }

  /** A new endpoint secret in Stripe's format. */
  static String newWebhookSecret() {
    return "whsec_" + LocalHttp.randomHex(24);
  }

  /** What billing is given as {@code BEACON_STRIPE_API_BASE}. */
  String apiBase() {
    return server.baseUrl();
  }

  String webhookSecret() {
    return webhookSecret;
  }

  @Override
  public void close() {
    server.close();
  }

  private void handle(HttpExchange exchange) {
    try {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith("/v1/")) {
        api(exchange, method, path);
      } else if ("GET".equals(method) && path.startsWith("/checkout/")) {
        checkoutPage(exchange, path.substring("/checkout/".length()));
      } else if ("POST".equals(method) && path.startsWith("/checkout/")) {
        checkoutAction(exchange, path.substring("/checkout/".length()));
      } else if ("GET".equals(method) && path.startsWith("/invoice/")) {
        invoicePage(exchange, path.substring("/invoice/".length()));
      } else if ("GET".equals(method) && path.startsWith("/portal/")) {
        portalPage(exchange, path.substring("/portal/".length()), null);
      } else if ("POST".equals(method) && path.startsWith("/portal/")) {
        portalAction(exchange, path.substring("/portal/".length()));
      } else {
        page(exchange, 404, "Not found", "<p>The Stripe stand-in has no page here.</p>");
      }
    } catch (IOException e) {
      // the browser or billing went away mid-answer
    } finally {
      exchange.close();
    }
  }

  // --- the API billing calls ---

  private void api(HttpExchange exchange, String method, String path) throws IOException {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (!("Bearer " + SECRET_KEY).equals(auth)) {
      apiError(exchange, 401, "invalid_request_error", null, "Invalid API Key provided.");
      return;
    }
    if ("GET".equals(method) && "/v1/invoices".equals(path)) {
      String customer = LocalHttp.form(exchange.getRequestURI().getRawQuery()).get("customer");
      List<Map<String, Object>> invoices = invoicesByCustomer.getOrDefault(customer, List.of());
      LocalHttp.json(
          exchange,
          200,
          Map.of("object", "list", "url", "/v1/invoices", "has_more", false, "data", invoices));
      return;
    }
    if (!"POST".equals(method)) {
      apiError(exchange, 404, "invalid_request_error", null, "Unrecognized request URL.");
      return;
    }
    Map<String, String> form = LocalHttp.form(exchange);
    switch (path) {
      case "/v1/checkout/sessions" -> createCheckout(exchange, form);
      case "/v1/billing_portal/sessions" -> createPortal(exchange, form);
      default ->
          apiError(exchange, 404, "invalid_request_error", null, "Unrecognized request URL.");
    }
  }

  private void createCheckout(HttpExchange exchange, Map<String, String> form) throws IOException {
    String price = form.get("line_items[0][price]");
    String mode = form.getOrDefault("mode", "");
    if (!"subscription".equals(mode) && !"payment".equals(mode)) {
      apiError(exchange, 400, "invalid_request_error", "parameter_invalid_empty", "Invalid mode.");
      return;
    }
    if (price == null
        || ("subscription".equals(mode) && !PLAN_OF_PRICE.containsKey(price))
        || ("payment".equals(mode) && !PACK_PRICES.containsValue(price))) {
      apiError(
          exchange,
          400,
          "invalid_request_error",
          "resource_missing",
          "No such price: '" + price + "'");
      return;
    }
    Session session =
        new Session(
            "cs_test_" + LocalHttp.randomHex(12),
            mode,
            price,
            form.get("client_reference_id"),
            prefixed(form, "metadata"),
            prefixed(form, "subscription_data[metadata]"),
            form.get("customer"),
            form.getOrDefault("success_url", "http://127.0.0.1/"),
            form.getOrDefault("cancel_url", "http://127.0.0.1/"));
    sessions.put(session.id(), session);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", session.id());
    body.put("object", "checkout.session");
    body.put("mode", mode);
    body.put("status", "open");
    body.put("client_reference_id", session.clientReferenceId());
    body.put("metadata", session.metadata());
    body.put("url", apiBase() + "/checkout/" + session.id());
    LocalHttp.json(exchange, 200, body);
  }

  private void createPortal(HttpExchange exchange, Map<String, String> form) throws IOException {
    String customer = form.get("customer");
    if (customer == null || customer.isBlank()) {
      apiError(exchange, 400, "invalid_request_error", "parameter_missing", "Missing customer.");
      return;
    }
    String id = "bps_" + LocalHttp.randomHex(12);
    portals.put(id, new Portal(customer, form.getOrDefault("return_url", "http://127.0.0.1/")));
    LocalHttp.json(
        exchange,
        200,
        Map.of(
            "id",
            id,
            "object",
            "billing_portal.session",
            "customer",
            customer,
            "url",
            apiBase() + "/portal/" + id));
  }

  // --- the pages Stripe would host ---

  private void checkoutPage(HttpExchange exchange, String id) throws IOException {
    Session session = sessions.get(id);
    if (session == null) {
      page(exchange, 404, "Checkout", "<p>This checkout session is unknown or already used.</p>");
      return;
    }
    String what =
        "subscription".equals(session.mode())
            ? LocalHttp.escape(PLAN_OF_PRICE.get(session.price()))
                + " plan, "
                + dollars(CENTS_OF_PRICE.get(session.price()))
                + " a month"
            : "hosted LLM credits ("
                + LocalHttp.escape(session.metadata().getOrDefault("credit_pack", session.price()))
                + "), "
                + dollars(CENTS_OF_PRICE.get(session.price()));
    page(
        exchange,
        200,
        "Checkout",
        "<p>Workspace <code>"
            + LocalHttp.escape(session.clientReferenceId())
            + "</code> buys: <b>"
            + what
            + "</b></p>"
            + "<form method=post action=\"/checkout/"
            + LocalHttp.escape(id)
            + "\">"
            + "<p><label>E-mail <input type=email name=email id=email"
            + " value=\"billing@example.com\"></label></p>"
            + "<button name=action value=pay id=pay>Pay (test)</button> "
            + "<button name=action value=cancel id=cancel>Cancel</button></form>");
  }

  private void checkoutAction(HttpExchange exchange, String id) throws IOException {
    Session session = sessions.remove(id);
    if (session == null) {
      page(exchange, 404, "Checkout", "<p>This checkout session is unknown or already used.</p>");
      return;
    }
    Map<String, String> form = LocalHttp.form(exchange);
    String action = form.get("action");
    if (!"pay".equals(action)) {
      LocalHttp.redirect(exchange, 303, session.cancelUrl());
      return;
    }
    String workspace =
        Optional.ofNullable(session.clientReferenceId())
            .orElse(session.metadata().get("workspace_id"));
    String customer =
        Optional.ofNullable(session.customer()).orElse("cus_local_" + LocalHttp.randomHex(12));
    long now = clock.instant().getEpochSecond();
    List<String> failures = new ArrayList<>();
    Map<String, Object> completed = new LinkedHashMap<>();
    completed.put("id", session.id());
    completed.put("object", "checkout.session");
    completed.put("client_reference_id", session.clientReferenceId());
    completed.put("customer", customer);
    completed.put("mode", session.mode());
    completed.put("payment_status", "paid");
    completed.put("status", "complete");
    completed.put("metadata", session.metadata());
    String email = form.getOrDefault("email", "").strip();
    if (!email.isEmpty()) {
      // Checkout collects the payer's address; billing keeps it as the workspace's billing e-mail
      completed.put("customer_details", Map.of("email", email));
    }
    if ("subscription".equals(session.mode())) {
      Subscription subscription =
          new Subscription(
              "sub_local_" + LocalHttp.randomHex(12),
              customer,
              workspace,
              session.price(),
              "active");
      subscriptionsByCustomer.put(customer, subscription);
      completed.put("subscription", subscription.id());
      completed.put("amount_total", CENTS_OF_PRICE.get(session.price()));
      send("customer.subscription.created", now, subscriptionObject(subscription, now), failures);
      send("checkout.session.completed", now, completed, failures);
      send("invoice.paid", now, invoice(subscription, "paid"), failures);
    } else {
      String paymentIntent = "pi_local_" + LocalHttp.randomHex(12);
      completed.put("payment_intent", paymentIntent);
      completed.put("amount_total", CENTS_OF_PRICE.get(session.price()));
      completed.put("currency", "usd");
      send("checkout.session.completed", now, completed, failures);
    }
    if (!failures.isEmpty()) {
      page(
          exchange,
          502,
          "Checkout",
          "<p>Paid here, but billing did not take every event:</p><ul>"
              + String.join(
                  "", failures.stream().map(f -> "<li>" + LocalHttp.escape(f) + "</li>").toList())
              + "</ul><p><a href=\""
              + LocalHttp.escape(session.successUrl())
              + "\">Back to Beacon</a></p>");
      return;
    }
    LocalHttp.redirect(
        exchange, 303, session.successUrl().replace("{CHECKOUT_SESSION_ID}", session.id()));
  }

  private void portalPage(HttpExchange exchange, String id, String notice) throws IOException {
    Portal portal = portals.get(id);
    if (portal == null) {
      page(exchange, 404, "Customer portal", "<p>This portal session is unknown.</p>");
      return;
    }
    Subscription subscription = subscriptionsByCustomer.get(portal.customer());
    StringBuilder html = new StringBuilder();
    if (notice != null) {
      html.append("<p class=notice>").append(LocalHttp.escape(notice)).append("</p>");
    }
    if (subscription == null) {
      html.append("<p>This stand-in knows no subscription of customer <code>")
          .append(LocalHttp.escape(portal.customer()))
          .append("</code> (its memory ends with the stack).</p>");
    } else {
      html.append("<p>Subscription <code>")
          .append(LocalHttp.escape(subscription.id()))
          .append("</code>: <b>")
          .append(
              LocalHttp.escape(
                  PLAN_OF_PRICE.getOrDefault(subscription.price(), subscription.price())))
          .append("</b>, ")
          .append(LocalHttp.escape(subscription.status()))
          .append("</p>");
      html.append("<form method=post action=\"/portal/").append(LocalHttp.escape(id)).append("\">");
      if (!"canceled".equals(subscription.status())) {
        for (Map.Entry<String, String> plan : PLAN_OF_PRICE.entrySet()) {
          if (!plan.getKey().equals(subscription.price())) {
            html.append("<button name=action value=\"switch:")
                .append(plan.getKey())
                .append("\">Switch to ")
                .append(plan.getValue())
                .append("</button> ");
          }
        }
        html.append("<button name=action value=fail>Simulate a failed payment</button> ");
        html.append("<button name=action value=pay>Pay the open invoice</button> ");
        html.append("<button name=action value=cancel>Cancel the subscription</button>");
      }
      html.append("</form>");
    }
    html.append("<p><a id=back href=\"")
        .append(LocalHttp.escape(portal.returnUrl()))
        .append("\">Back to Beacon</a></p>");
    page(exchange, 200, "Customer portal", html.toString());
  }

  private void portalAction(HttpExchange exchange, String id) throws IOException {
    Portal portal = portals.get(id);
    Subscription subscription =
        portal == null ? null : subscriptionsByCustomer.get(portal.customer());
    if (subscription == null) {
      portalPage(exchange, id, null);
      return;
    }
    String action = LocalHttp.form(exchange).getOrDefault("action", "");
    long now = clock.instant().getEpochSecond();
    List<String> failures = new ArrayList<>();
    String notice;
    if (action.startsWith("switch:") && PLAN_OF_PRICE.containsKey(action.substring(7))) {
      subscription = withPriceAndStatus(subscription, action.substring(7), "active");
      send("customer.subscription.updated", now, subscriptionObject(subscription, now), failures);
      notice = "Switched to " + PLAN_OF_PRICE.get(subscription.price()) + ".";
    } else if ("fail".equals(action)) {
      subscription = withPriceAndStatus(subscription, subscription.price(), "past_due");
      send("invoice.payment_failed", now, invoice(subscription, "open"), failures);
      notice = "The payment failed (simulated): the workspace is past due, in its grace period.";
    } else if ("pay".equals(action)) {
      subscription = withPriceAndStatus(subscription, subscription.price(), "active");
      send("invoice.paid", now, invoice(subscription, "paid"), failures);
      notice = "The invoice is paid.";
    } else if ("cancel".equals(action)) {
      subscription = withPriceAndStatus(subscription, subscription.price(), "canceled");
      send("customer.subscription.deleted", now, subscriptionObject(subscription, now), failures);
      notice = "The subscription is canceled: the workspace is on Free.";
    } else {
      notice = "Unknown action.";
    }
    subscriptionsByCustomer.put(subscription.customer(), subscription);
    portalPage(
        exchange,
        id,
        failures.isEmpty()
            ? notice
            : notice + " But billing did not take it: " + String.join("; ", failures));
  }

  private static Subscription withPriceAndStatus(Subscription s, String price, String status) {
    return new Subscription(s.id(), s.customer(), s.workspace(), price, status);
  }

  // --- the events, as Stripe sends them ---

  private Map<String, Object> subscriptionObject(Subscription subscription, long now) {
    long periodEnd = now + 30L * 24 * 3600;
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("id", "si_" + subscription.id().substring(4));
    item.put("object", "subscription_item");
    item.put("current_period_start", now);
    item.put("current_period_end", periodEnd);
    item.put(
        "price",
        Map.of(
            "id",
            subscription.price(),
            "object",
            "price",
            "unit_amount",
            CENTS_OF_PRICE.get(subscription.price()),
            "currency",
            "usd"));
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("id", subscription.id());
    object.put("object", "subscription");
    object.put("customer", subscription.customer());
    object.put("status", subscription.status());
    object.put("cancel_at_period_end", false);
    object.put(
        "items",
        Map.of("object", "list", "data", List.of(item), "has_more", false, "total_count", 1));
    object.put(
        "metadata",
        subscription.workspace() == null
            ? Map.of()
            : Map.of("workspace_id", subscription.workspace()));
    return object;
  }

  /** A new invoice of the subscription, kept (newest first) for {@code GET /v1/invoices}. */
  private Map<String, Object> invoice(Subscription subscription, String status) {
    Map<String, Object> invoice = new LinkedHashMap<>();
    String id = "in_local_" + LocalHttp.randomHex(12);
    long now = clock.instant().getEpochSecond();
    invoice.put("id", id);
    invoice.put("object", "invoice");
    invoice.put(
        "number", "LOCAL-" + String.format(Locale.ROOT, "%04d", invoiceNumbers.incrementAndGet()));
    invoice.put("created", now);
    invoice.put("period_start", now);
    invoice.put("period_end", now + 30L * 24 * 3600);
    invoice.put("hosted_invoice_url", apiBase() + "/invoice/" + id);
    invoice.put("customer", subscription.customer());
    invoice.put("status", status);
    invoice.put("amount_due", CENTS_OF_PRICE.get(subscription.price()));
    invoice.put(
        "amount_paid", "paid".equals(status) ? CENTS_OF_PRICE.get(subscription.price()) : 0);
    invoice.put("currency", "usd");
    invoice.put(
        "parent",
        Map.of(
            "type",
            "subscription_details",
            "subscription_details",
            Map.of("subscription", subscription.id(), "metadata", Map.of())));
    invoicesByCustomer.compute(
        subscription.customer(),
        (customer, old) -> {
          List<Map<String, Object>> list = new ArrayList<>();
          list.add(invoice);
          if (old != null) {
            list.addAll(old);
          }
          return List.copyOf(list);
        });
    return invoice;
  }

  private void invoicePage(HttpExchange exchange, String id) throws IOException {
    Map<String, Object> invoice =
        invoicesByCustomer.values().stream()
            .flatMap(List::stream)
            .filter(candidate -> id.equals(candidate.get("id")))
            .findFirst()
            .orElse(null);
    if (invoice == null) {
      page(exchange, 404, "Invoice", "<p>This stand-in knows no such invoice.</p>");
      return;
    }
    page(
        exchange,
        200,
        "Invoice " + LocalHttp.escape(String.valueOf(invoice.get("number"))),
        "<p>Status <b>"
            + LocalHttp.escape(String.valueOf(invoice.get("status")))
            + "</b>, due "
            + dollars((Long) invoice.get("amount_due"))
            + ", paid "
            + dollars(((Number) invoice.get("amount_paid")).longValue())
            + ". Nothing was charged: this is a stand-in.</p>");
  }

  /** Sends one signed event to billing's webhook; a refusal is added to {@code failures}. */
  void send(String type, long created, Map<String, Object> object, List<String> failures) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", "evt_local_" + LocalHttp.randomHex(12));
    event.put("object", "event");
    event.put("api_version", "2025-08-27.basil");
    event.put("created", created);
    event.put("data", Map.of("object", object));
    event.put("livemode", false);
    event.put("pending_webhooks", 1);
    event.put("type", type);
    String payload = JSON.writeValueAsString(event);
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(webhookUrl)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json; charset=utf-8")
            .header("Stripe-Signature", "t=" + timestamp + ",v1=" + hmac(timestamp + "." + payload))
            .POST(HttpRequest.BodyPublishers.ofString(payload))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        failures.add(type + ": HTTP " + response.statusCode() + " " + response.body());
      }
    } catch (IOException e) {
      failures.add(type + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.add(type + ": interrupted");
    }
  }

  String hmac(String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(webhookSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- small helpers ---

  /** {@code metadata[workspace_id]=ws} → {@code workspace_id=ws}, for one prefix. */
  private static Map<String, String> prefixed(Map<String, String> form, String prefix) {
    Map<String, String> values = new LinkedHashMap<>();
    form.forEach(
        (key, value) -> {
          if (key.startsWith(prefix + "[")
              && key.endsWith("]")
              && key.indexOf('[', prefix.length() + 1) < 0) {
            values.put(key.substring(prefix.length() + 1, key.length() - 1), value);
          }
        });
    return values;
  }

  private static String dollars(Long cents) {
    return cents == null ? "?" : String.format(Locale.ROOT, "$%d.%02d", cents / 100, cents % 100);
  }

  private static void apiError(
      HttpExchange exchange, int status, String type, String code, String message)
      throws IOException {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", type);
    if (code != null) {
      error.put("code", code);
    }
    error.put("message", message);
    LocalHttp.json(exchange, status, Map.of("error", error));
  }

  private static void page(HttpExchange exchange, int status, String title, String body)
      throws IOException {
    LocalHttp.page(
        exchange,
        status,
        title + " — local Stripe stand-in",
        "<b>Local Stripe stand-in</b> — test mode, no money moves. <code>./beacon up</code> runs"
            + " this page instead of Stripe; with real Stripe keys Beacon talks to Stripe itself.",
        "<h1>" + title + "</h1>" + body);
  }
}

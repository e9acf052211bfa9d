package dev.beacon.billing;

import static dev.beacon.billing.BillingTestKit.creditsOf;
import static dev.beacon.billing.BillingTestKit.deliver;
import static dev.beacon.billing.BillingTestKit.event;
import static dev.beacon.billing.BillingTestKit.eventId;
import static dev.beacon.billing.BillingTestKit.get;
import static dev.beacon.billing.BillingTestKit.packCheckoutSession;
import static dev.beacon.billing.BillingTestKit.paymentIntent;
import static dev.beacon.billing.BillingTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /api/billing/credits} and its ledger: paging, refusals, tenancy. */
@IntegrationTest
class CreditApiWebFluxTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  private final long t0 = Instant.now().getEpochSecond() - 60;

  @Test
  void aWorkspaceThatNeverUsedCreditsHasThisMonthsAllowance() {
    String ws = workspace();

    JsonNode credits = creditsOf(web, signer, ws);

    assertThat(credits.path("workspace_id").asString()).isEqualTo(ws);
    assertThat(credits.path("balance").asLong()).isEqualTo(1_000_000);
    assertThat(credits.path("allowance_balance").asLong()).isEqualTo(1_000_000);
    assertThat(credits.path("purchased_balance").asLong()).isZero();
    assertThat(credits.path("allowance_granted").asLong()).isEqualTo(1_000_000);
    assertThat(credits.path("allowance_month").asString())
        .isEqualTo(YearMonth.now(ZoneOffset.UTC).toString());
    assertThat(credits.path("hosted_llm_allowed").asBoolean()).isTrue();
    // a second read grants nothing more
    assertThat(creditsOf(web, signer, ws).path("balance").asLong()).isEqualTo(1_000_000);
  }

  @Test
  void theCreditPacksAreListedWithExactPricesAndWhetherCheckoutSellsThem() {
    byte[] body =
        web.get()
            .uri("/api/billing/credit-packs")
            .header(
                dev.beacon.identity.ForwardedIdentity.HEADER,
                signer.sign("user-1", workspace(), dev.beacon.identity.Role.VIEWER))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    JsonNode packs = JSON.readTree(body).path("credit_packs");

    assertThat(packs.valueStream().map(p -> p.path("id").asString()))
        .containsExactly("credits_10", "credits_50");
    assertThat(packs.path(0).path("price_cents").asLong()).isEqualTo(1000);
    assertThat(packs.path(0).path("credits").asLong()).isEqualTo(10_000_000);
    assertThat(packs.path(0).path("checkout_available").asBoolean()).isTrue();
    assertThat(packs.path(1).path("checkout_available").asBoolean())
        .as("credits_50 has no price in the test configuration")
        .isFalse();
    assertThat(new String(body)).doesNotContain("price_test_credits_10");
  }

  @Test
  void theLedgerPagesNewestFirstWithAKeysetCursor() {
    String ws = workspace();
    creditsOf(web, signer, ws);
    for (int i = 0; i < 4; i++) {
      deliver(
              web,
              event(
                  eventId(),
                  "checkout.session.completed",
                  t0,
                  packCheckoutSession(ws, "credits_10", paymentIntent())))
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.outcome")
          .isEqualTo("applied");
    }

    List<JsonNode> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          get(
              web,
              signer,
              ws,
              "/api/billing/credits/ledger?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      pageSizes.add(page.path("transactions").size());
      page.path("transactions").forEach(seen::add);
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asString();
    } while (cursor != null);

    assertThat(pageSizes).containsExactly(2, 2, 1);
    assertThat(seen.stream().map(t -> t.path("id").asLong()).toList())
        .isSortedAccordingTo((a, b) -> Long.compare(b, a))
        .doesNotHaveDuplicates();
    assertThat(seen.stream().map(t -> t.path("kind").asString()).toList())
        .containsExactly(
            "grant_purchase",
            "grant_purchase",
            "grant_purchase",
            "grant_purchase",
            "grant_allowance");
    JsonNode purchase = seen.get(0);
    assertThat(purchase.path("amount").asLong()).isEqualTo(10_000_000);
    assertThat(purchase.path("reference").asString()).startsWith("checkout:cs_test_");
    assertThat(purchase.path("description").asString()).contains("credits_10");
    assertThat(purchase.path("created_at").asString()).isNotBlank();
    assertThat(purchase.path("entries").valueStream().mapToLong(e -> e.path("amount").asLong()))
        .containsExactlyInAnyOrder(-10_000_000L, 10_000_000L);
    assertThat(purchase.path("entries").valueStream().map(e -> e.path("account").asString()))
        .containsExactlyInAnyOrder("system:purchases", "workspace:" + ws + ":purchased");
  }

  @Test
  void aCursorOrLimitTheApiDidNotGiveIsRefused() {
    String ws = workspace();

    JsonNode cursor = refused(ws, "/api/billing/credits/ledger?cursor=not-a-cursor");
    assertThat(cursor.path("code").asString()).isEqualTo("invalid_cursor");
    assertThat(cursor.path("field").asString()).isEqualTo("cursor");
    assertThat(cursor.path("message").asString()).isNotBlank();
    assertThat(
            refused(ws, "/api/billing/credits/ledger?cursor=bGVkZ2VyOi0x").path("code").asString())
        .isEqualTo("invalid_cursor");
    for (String limit : List.of("0", "101")) {
      JsonNode body = refused(ws, "/api/billing/credits/ledger?limit=" + limit);
      assertThat(body.path("code").asString()).isEqualTo("invalid_request");
      assertThat(body.path("field").asString()).isEqualTo("limit");
    }
  }

  @Test
  void anotherWorkspaceSeesOnlyItsOwnCreditsAndLedger() {
    String buyer = workspace();
    String other = workspace();
    deliver(
            web,
            event(
                eventId(),
                "checkout.session.completed",
                t0,
                packCheckoutSession(buyer, "credits_10", paymentIntent())))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("applied");

    JsonNode credits = creditsOf(web, signer, other);
    JsonNode ledger = get(web, signer, other, "/api/billing/credits/ledger");

    assertThat(credits.path("balance").asLong()).isEqualTo(1_000_000);
    assertThat(ledger.path("transactions").size()).isEqualTo(1);
    assertThat(ledger.path("transactions").path(0).path("kind").asString())
        .isEqualTo("grant_allowance");
    assertThat(ledger.toString()).doesNotContain(buyer);
    assertThat(creditsOf(web, signer, buyer).path("balance").asLong()).isEqualTo(11_000_000);
  }

  @Test
  void creditReadsNeedAForwardedIdentity() {
    for (String uri : List.of("/api/billing/credits", "/api/billing/credits/ledger")) {
      byte[] body =
          web.get()
              .uri(uri)
              .exchange()
              .expectStatus()
              .isUnauthorized()
              .expectBody()
              .returnResult()
              .getResponseBody();
      assertThat(JSON.readTree(body).path("code").asString()).isNotBlank();
    }
  }

  private JsonNode refused(String ws, String uri) {
    byte[] body =
        web.get()
            .uri(uri)
            .header(ForwardedIdentity.HEADER, signer.sign("user-1", ws, Role.VIEWER))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }
}

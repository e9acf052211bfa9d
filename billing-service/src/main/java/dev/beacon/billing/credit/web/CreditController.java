package dev.beacon.billing.credit.web;

import dev.beacon.billing.config.BillingProperties;
import dev.beacon.billing.credit.domain.CreditSummary;
import dev.beacon.billing.credit.domain.LedgerEntry;
import dev.beacon.billing.credit.domain.LedgerService;
import dev.beacon.billing.credit.store.CreditPurchaseRepository;
import dev.beacon.billing.credit.store.LedgerTransactionRow;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The caller's workspace's credits and ledger; any role may read them. */
@RestController
class CreditController {

  static final int MAX_LIMIT = 100;
  private static final String CURSOR_PREFIX = "ledger:";

  private final LedgerService ledger;
  private final CreditPurchaseRepository packs;
  private final BillingProperties properties;

  CreditController(
      LedgerService ledger, CreditPurchaseRepository packs, BillingProperties properties) {
    this.ledger = ledger;
    this.packs = packs;
    this.properties = properties;
  }

  /**
   * The credit packs with their exact prices (integer cents) and credits; {@code
   * checkout_available} when Checkout can sell one (a configured Stripe price and secret key).
   */
  @GetMapping("/api/billing/credit-packs")
  Mono<Map<String, Object>> creditPacks() {
    String key = properties.stripe().secretKey();
    boolean stripe = key != null && !key.isBlank();
    return packs
        .allPacks()
        .map(
            pack -> {
              String price = properties.stripe().creditPackPrices().get(pack.id());
              Map<String, Object> view = new LinkedHashMap<>();
              view.put("id", pack.id());
              view.put("name", pack.name());
              view.put("price_cents", pack.priceCents());
              view.put("currency", "usd");
              view.put("credits", pack.credits());
              view.put("checkout_available", stripe && price != null && !price.isBlank());
              return (Object) view;
            })
        .collectList()
        .map(list -> Map.of("credit_packs", list));
  }

  @GetMapping("/api/billing/credits")
  Mono<CreditSummary> credits(@AuthenticationPrincipal ForwardedIdentity identity) {
    return ledger.summary(identity.workspaceId());
  }

  @GetMapping("/api/billing/credits/ledger")
  Mono<Map<String, Object>> transactions(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("invalid_request", "limit must be from 1 to " + MAX_LIMIT)
          .with("field", "limit");
    }
    String ws = identity.workspaceId();
    Long before = cursor == null || cursor.isBlank() ? null : decode(cursor);
    return ledger
        .page(ws, before, limit)
        .map(
            page -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("transactions", page.transactions().stream().map(t -> view(ws, t)).toList());
              body.put(
                  "next_cursor", page.nextBeforeId() == null ? null : encode(page.nextBeforeId()));
              return body;
            });
  }

  private static Map<String, Object> view(String ws, LedgerTransactionRow transaction) {
    String accountPrefix = "workspace:" + ws + ":";
    long amount =
        transaction.entries().stream()
            .filter(entry -> entry.accountId().startsWith(accountPrefix))
            .mapToLong(LedgerEntry::amount)
            .sum();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", transaction.id());
    view.put("kind", transaction.kind());
    view.put("reference", transaction.reference());
    view.put("description", transaction.description());
    view.put("created_at", transaction.createdAt());
    view.put("amount", amount);
    List<Map<String, Object>> entries =
        transaction.entries().stream()
            .map(
                entry -> {
                  Map<String, Object> e = new LinkedHashMap<>();
                  e.put("account", entry.accountId());
                  e.put("amount", entry.amount());
                  return e;
                })
            .toList();
    view.put("entries", entries);
    return view;
  }

  private static String encode(long beforeId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((CURSOR_PREFIX + beforeId).getBytes(StandardCharsets.UTF_8));
  }

  private static long decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!text.startsWith(CURSOR_PREFIX)) {
        throw new IllegalArgumentException("not a ledger cursor");
      }
      long id = Long.parseLong(text.substring(CURSOR_PREFIX.length()));
      if (id <= 0) {
        throw new IllegalArgumentException("not a ledger cursor");
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid_cursor", "The cursor is not one this API gave.")
          .with("field", "cursor");
    }
  }
}

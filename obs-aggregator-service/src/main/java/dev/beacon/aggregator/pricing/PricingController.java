package dev.beacon.aggregator.pricing;

import dev.beacon.aggregator.metrics.read.MetricValues;
import dev.beacon.aggregator.pricing.PricingRepository.PriceOverride;
import dev.beacon.aggregator.pricing.PricingRepository.PriceView;
import dev.beacon.aggregator.web.Params;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The price table as the caller's workspace sees it (built-in rows and its own overrides), adding
 * an override, and re-costing. Changes require role owner or admin.
 */
@RestController
class PricingController {

  private final PricingRepository prices;
  private final RecostService recost;
  private final Scheduler blocking;
  private final Clock clock;

  PricingController(
      PricingRepository prices, RecostService recost, Scheduler adminScheduler, Clock clock) {
    this.prices = prices;
    this.recost = recost;
    this.blocking = adminScheduler;
    this.clock = clock;
  }

  @GetMapping("/api/obs/pricing")
  Mono<List<PriceView>> list(@AuthenticationPrincipal ForwardedIdentity identity) {
    return prices.list(identity.workspaceId());
  }

  @PostMapping("/api/obs/pricing")
  @ResponseStatus(HttpStatus.CREATED)
  Mono<PriceView> add(
      @AuthenticationPrincipal ForwardedIdentity identity, @RequestBody NewPrice price) {
    requireAdmin(identity);
    String provider = required("provider", price.provider());
    String match = required("model_match", price.modelMatch());
    String kind =
        Params.oneOf("match_kind", price.matchKind(), java.util.Set.of("exact", "regex"), "exact");
    if (kind.equals("regex")) {
      try {
        Pattern.compile(match);
      } catch (PatternSyntaxException e) {
        throw Params.invalid("model_match is not a valid regular expression.");
      }
    }
    Instant effectiveFrom =
        Params.instant("effective_from", required("effective_from", price.effectiveFrom()), null);
    BigDecimal input = price("input_per_mtok", price.inputPerMtok(), true);
    BigDecimal output = price("output_per_mtok", price.outputPerMtok(), true);
    BigDecimal cached = price("cached_input_per_mtok", price.cachedInputPerMtok(), false);
    BigDecimal reasoning = price("reasoning_per_mtok", price.reasoningPerMtok(), false);
    String source =
        price.source() == null || price.source().isBlank()
            ? "workspace override by " + identity.userId()
            : Params.text("source", price.source());
    return prices.addOverride(
        identity.workspaceId(),
        new PriceOverride(
            provider, match, kind, effectiveFrom, input, output, cached, reasoning, source));
  }

  /**
   * Re-costs the caller's LLM events in {@code [from, to)} (default: the last 30 days), optionally
   * of one provider or model, and reports the difference.
   */
  @PostMapping("/api/obs/pricing/recost")
  Mono<RecostResponse> recost(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestBody(required = false) RecostRequest request) {
    requireAdmin(identity);
    RecostRequest body = request == null ? new RecostRequest(null, null, null, null) : request;
    Instant now = clock.instant();
    Instant from = Params.instant("from", body.from(), now.minusSeconds(30L * 86_400));
    Instant to = Params.instant("to", body.to(), now.plusSeconds(86_400));
    if (!from.isBefore(to)) {
      throw Params.invalid("from must be before to.");
    }
    String provider = Params.text("provider", body.provider());
    String model = Params.text("model", body.model());
    return Mono.fromCallable(() -> recost.recost(identity.workspaceId(), from, to, provider, model))
        .subscribeOn(blocking)
        .map(
            report ->
                new RecostResponse(
                    from,
                    to,
                    report.eventsExamined(),
                    report.eventsChanged(),
                    report.costBeforeNanoUsd(),
                    report.costAfterNanoUsd(),
                    report.differenceNanoUsd(),
                    MetricValues.usd(report.differenceNanoUsd()),
                    report.changedEventIds()));
  }

  private static void requireAdmin(ForwardedIdentity identity) {
    if (identity.role() != Role.OWNER && identity.role() != Role.ADMIN) {
      throw ApiException.forbidden("admin_required", "Only owners and admins can change pricing.");
    }
  }

  private static String required(String name, String value) {
    if (value == null || value.isBlank()) {
      throw Params.invalid(name + " is required.");
    }
    return Params.text(name, value);
  }

  private static BigDecimal price(String name, BigDecimal value, boolean required) {
    if (value == null) {
      if (required) {
        throw Params.invalid(name + " is required.");
      }
      return null;
    }
    if (value.signum() < 0
        || value.scale() > 9
        || value.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
      throw Params.invalid(
          name + " must be from 0 to 1000000 USD per million tokens with at most 9 decimals.");
    }
    return value;
  }

  record NewPrice(
      String provider,
      String modelMatch,
      String matchKind,
      String effectiveFrom,
      BigDecimal inputPerMtok,
      BigDecimal outputPerMtok,
      BigDecimal cachedInputPerMtok,
      BigDecimal reasoningPerMtok,
      String source) {}

  record RecostRequest(String from, String to, String provider, String model) {}

  record RecostResponse(
      Instant from,
      Instant to,
      long eventsExamined,
      long eventsChanged,
      long costBeforeNanoUsd,
      long costAfterNanoUsd,
      long differenceNanoUsd,
      String differenceUsd,
      List<java.util.UUID> changedEventIds) {}
}

package dev.beacon.ingest.usage.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.ingest.apikey.domain.ApiKeyService;
import dev.beacon.ingest.usage.domain.MonthlyQuota;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/obs/usage}: the forwarded identity's workspace's events this month and active API
 * keys, each against its plan's limit, for the Billing page. Any role; only ever the identity's own
 * workspace.
 */
@RestController
class UsageController {

  private final MonthlyQuota quota;
  private final ApiKeyService keys;

  UsageController(MonthlyQuota quota, ApiKeyService keys) {
    this.quota = quota;
    this.keys = keys;
  }

  @GetMapping("/api/obs/usage")
  Mono<UsageResponse> usage(@AuthenticationPrincipal ForwardedIdentity identity) {
    String workspaceId = identity.workspaceId();
    return Mono.zip(quota.current(workspaceId), keys.countActive(workspaceId))
        .map(
            both ->
                new UsageResponse(
                    both.getT1().month().toString(),
                    both.getT1().events(),
                    both.getT1().limit(),
                    both.getT2(),
                    both.getT1().entitlements().apiKeys(),
                    both.getT1().entitlements().plan()));
  }

  /**
   * @param month this calendar month (UTC), {@code yyyy-MM}
   * @param events events accepted in it
   * @param eventsLimit the plan's {@code events_per_month}
   * @param apiKeys active keys: neither revoked nor expired
   * @param apiKeysLimit the plan's {@code api_keys}
   * @param plan the effective plan's id
   */
  record UsageResponse(
      String month,
      long events,
      @JsonProperty("events_limit") long eventsLimit,
      @JsonProperty("api_keys") long apiKeys,
      @JsonProperty("api_keys_limit") int apiKeysLimit,
      String plan) {}
}

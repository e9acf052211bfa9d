package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.config.AggregatorProperties;
import dev.beacon.aggregator.web.Params;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The caller's workspace event log retention: {@code GET} for every member, {@code PUT} for owners
 * and admins (1 to 400 days). The retention job applies it at its next run.
 */
@RestController
class RetentionSettingsController {

  static final int MIN_DAYS = 1;
  static final int MAX_DAYS = 400;

  private final RetentionSettingsRepository settings;
  private final RetentionHorizon horizon;
  private final int defaultDays;

  RetentionSettingsController(
      RetentionSettingsRepository settings,
      RetentionHorizon horizon,
      AggregatorProperties properties) {
    this.settings = settings;
    this.horizon = horizon;
    this.defaultDays = properties.retentionDays();
  }

  @GetMapping("/api/obs/settings/retention")
  Mono<RetentionView> get(@AuthenticationPrincipal ForwardedIdentity identity) {
    return settings
        .find(identity.workspaceId())
        .map(
            setting ->
                new RetentionView(
                    setting.retentionDays(),
                    defaultDays,
                    "workspace",
                    setting.updatedAt(),
                    setting.updatedBy()))
        .defaultIfEmpty(new RetentionView(defaultDays, defaultDays, "default", null, null));
  }

  @PutMapping("/api/obs/settings/retention")
  Mono<RetentionView> put(
      @AuthenticationPrincipal ForwardedIdentity identity, @RequestBody RetentionUpdate update) {
    if (identity.role() != Role.OWNER && identity.role() != Role.ADMIN) {
      throw ApiException.forbidden(
          "admin_required", "Only owners and admins can change retention.");
    }
    Integer days = update.retentionDays();
    if (days == null || days < MIN_DAYS || days > MAX_DAYS) {
      throw Params.invalid(
          "retention_days must be an integer from " + MIN_DAYS + " to " + MAX_DAYS + ".");
    }
    return settings
        .save(identity.workspaceId(), days, identity.userId())
        .doOnNext(at -> horizon.raiseTo(Duration.ofDays(days)))
        .map(at -> new RetentionView(days, defaultDays, "workspace", at, identity.userId()));
  }

  /**
   * The body of {@code PUT}.
   *
   * @param retentionDays days of events to keep, 1 to 400
   */
  record RetentionUpdate(Integer retentionDays) {}

  /**
   * The retention in effect.
   *
   * @param retentionDays days of events kept
   * @param defaultRetentionDays the platform default
   * @param source {@code workspace} when set for the workspace, {@code default} otherwise
   * @param updatedAt when it was last set, if set
   * @param updatedBy who set it, if set
   */
  record RetentionView(
      int retentionDays,
      int defaultRetentionDays,
      String source,
      OffsetDateTime updatedAt,
      String updatedBy) {}
}

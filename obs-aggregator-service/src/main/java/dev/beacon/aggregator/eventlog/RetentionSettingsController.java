package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.web.Params;
import dev.beacon.entitlements.Entitlements;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import java.time.OffsetDateTime;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The caller's workspace event log retention: {@code GET} for every member, {@code PUT} for owners
 * and admins (1 to 400 days, at most the plan's {@code retention_days}: longer is {@code 403
 * plan_limit_reached}). The retention job applies it at its next run.
 */
@RestController
class RetentionSettingsController {

  static final int MIN_DAYS = 1;
  static final int MAX_DAYS = 400;

  private final RetentionSettingsRepository settings;
  private final PlanRetention plans;

  RetentionSettingsController(RetentionSettingsRepository settings, PlanRetention plans) {
    this.settings = settings;
    this.plans = plans;
  }

  @GetMapping("/api/obs/settings/retention")
  Mono<RetentionView> get(@AuthenticationPrincipal ForwardedIdentity identity) {
    String workspace = identity.workspaceId();
    return settings
        .find(workspace)
        .map(setting -> view(workspace, setting))
        .defaultIfEmpty(view(workspace, null));
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
    String workspace = identity.workspaceId();
    Entitlements plan = plans.plan(workspace);
    if (days > plan.retentionDays()) {
      throw ApiException.forbidden(
              "plan_limit_reached",
              "The "
                  + plan.plan()
                  + " plan keeps events for at most "
                  + plan.retentionDays()
                  + " days; choose a shorter retention or upgrade the plan.")
          .with("limit", plan.retentionDays())
          .with("plan", plan.plan());
    }
    return settings
        .save(workspace, days, identity.userId())
        .map(
            at ->
                view(
                    workspace,
                    new RetentionSettingsRepository.Setting(days, at, identity.userId())));
  }

  private RetentionView view(String workspace, RetentionSettingsRepository.Setting setting) {
    Entitlements plan = plans.plan(workspace);
    Integer own = setting == null ? null : setting.retentionDays();
    int effective = plans.effectiveDays(workspace, own);
    return new RetentionView(
        effective,
        plan.plan(),
        plan.retentionDays(),
        own,
        own != null && own <= plan.retentionDays() ? "workspace" : "plan",
        setting == null ? null : setting.updatedAt(),
        setting == null ? null : setting.updatedBy());
  }

  /**
   * The body of {@code PUT}.
   *
   * @param retentionDays days of events to keep, 1 to 400 and at most the plan's
   */
  record RetentionUpdate(Integer retentionDays) {}

  /**
   * The retention in effect.
   *
   * @param retentionDays days of events kept: the workspace's own retention, capped at the plan's
   * @param plan the workspace's effective plan
   * @param planRetentionDays the plan's {@code retention_days}, the most the workspace may keep
   * @param workspaceRetentionDays the retention the workspace set, {@code null} if none (it may be
   *     longer than the plan's after a downgrade; the plan's applies then)
   * @param source {@code workspace} when the workspace's own retention applies, {@code plan} when
   *     the plan's does
   * @param updatedAt when the workspace's retention was last set, if set
   * @param updatedBy who set it, if set
   */
  record RetentionView(
      int retentionDays,
      String plan,
      int planRetentionDays,
      Integer workspaceRetentionDays,
      String source,
      OffsetDateTime updatedAt,
      String updatedBy) {}
}

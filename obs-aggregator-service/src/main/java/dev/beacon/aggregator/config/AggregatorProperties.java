package dev.beacon.aggregator.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The aggregator's own settings ({@code beacon.aggregator.*}), validated at start. Every default is
 * in {@code application.yml}, and only there.
 *
 * @param consumers consumer threads of the event listener, at most the partitions per topic
 * @param jdbc the JDBC pool of the batch write path
 * @param retentionBatchSize rows deleted per transaction when the retention job removes the events
 *     of workspaces with a shorter retention than the longest one
 * @param minuteRetention how long minute metrics rows are kept (daily rows are kept), and so how
 *     far back {@code step=1m} reaches
 * @param hourlyRetention how long hourly metrics rows are kept, and so how far back {@code step=1h}
 *     reaches
 * @param retentionCron when the retention job runs
 * @param reconciliationDays how many recent days the hourly reconciliation compares hour rows with
 *     day rows for
 * @param reconciliationCron when the hourly reconciliation of the metrics tables runs (ADR 0012):
 *     the hour that closed in minute rows against its hour rows, the recent days' hour rows against
 *     their day rows, and the rollups
 * @param reconciliationLogCron when the event log is compared with the minute rows: the minute that
 *     closed two minutes ago and the one an hour before it, every minute by default
 * @param stream the live metric stream
 * @param admin the platform admin endpoints (dead letters)
 */
@Validated
@ConfigurationProperties("beacon.aggregator")
public record AggregatorProperties(
    @Min(1) int consumers,
    @Valid @NotNull Jdbc jdbc,
    @NotNull Duration minuteRetention,
    @NotNull Duration hourlyRetention,
    @NotBlank String retentionCron,
    @Min(1) int reconciliationDays,
    @NotBlank String reconciliationCron,
    @NotBlank String reconciliationLogCron,
    @Min(1) int retentionBatchSize,
    @Valid @NotNull Stream stream,
    @Valid @NotNull Admin admin) {

  /**
   * The live metric stream ({@code GET /api/obs/metrics/stream}).
   *
   * @param coalesce at most one {@code metrics} event per stream per this window
   * @param heartbeat a comment line this often keeps idle connections open through proxies
   */
  public record Stream(@NotNull Duration coalesce, @NotNull Duration heartbeat) {}

  /**
   * Who may use {@code /api/obs/admin/**}: owners and admins of the ops workspace, i.e. identities
   * the gateway signed for that workspace. Empty means nobody.
   *
   * @param opsWorkspace the workspace id of the platform operators
   */
  public record Admin(String opsWorkspace) {}

  /**
   * JDBC settings of the write path (a small Hikari pool; reads use R2DBC).
   *
   * @param url JDBC URL
   * @param username user
   * @param password password
   * @param maxPoolSize connections; one per concurrent consumer plus admin actions is enough
   */
  public record Jdbc(
      @NotBlank String url, @NotBlank String username, String password, @Min(1) int maxPoolSize) {}
}

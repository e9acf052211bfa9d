package dev.beacon.aggregator.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The aggregator's own settings ({@code beacon.aggregator.*}).
 *
 * @param consumers consumer threads of the event listener, at most the partitions per topic
 * @param jdbc the JDBC pool of the batch write path
 * @param retention how long the event log keeps events; older partitions are dropped and older
 *     events arriving late are dead-lettered as {@code expired}
 * @param minuteRetention how long minute metrics rows are kept (daily rows are kept)
 * @param retentionCron when the retention job runs
 * @param reconciliationDays how many recent days the scheduled reconciliation checks
 * @param reconciliationCron when the scheduled reconciliation runs
 */
@Validated
@ConfigurationProperties("beacon.aggregator")
public record AggregatorProperties(
    @DefaultValue("1") @Min(1) int consumers,
    @NotNull Jdbc jdbc,
    @DefaultValue("30d") @NotNull Duration retention,
    @DefaultValue("48h") @NotNull Duration minuteRetention,
    @DefaultValue("0 17 * * * *") @NotBlank String retentionCron,
    @DefaultValue("2") @Min(1) int reconciliationDays,
    @DefaultValue("0 */5 * * * *") @NotBlank String reconciliationCron) {

  /**
   * JDBC settings of the write path (a small Hikari pool; reads use R2DBC).
   *
   * @param url JDBC URL
   * @param username user
   * @param password password
   * @param maxPoolSize connections; one per concurrent consumer plus admin actions is enough
   */
  public record Jdbc(
      @NotBlank String url,
      @NotBlank String username,
      String password,
      @DefaultValue("4") @Min(1) int maxPoolSize) {}
}

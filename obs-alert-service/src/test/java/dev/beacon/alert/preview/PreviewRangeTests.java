package dev.beacon.alert.preview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.alert.preview.PreviewService.Range;
import dev.beacon.alert.rule.RuleEnums.Window;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a backtest reads and evaluates: every evaluated window is complete. */
class PreviewRangeTests {

  private static final Instant NOW = Instant.parse("2026-12-07T14:23:10Z");

  @Test
  void shortRollingWindowsReadMinutesAndStartOneWindowIn() {
    Range range = Range.of(Window.M15, NOW);

    assertThat(range.stepName()).isEqualTo("1m");
    assertThat(range.historyFrom()).isEqualTo(Instant.parse("2026-12-05T15:00:00Z"));
    assertThat(range.from()).isEqualTo(Instant.parse("2026-12-05T15:14:00Z"));
    assertThat(range.from().plus(range.step()))
        .as("the first evaluation sees 15 minutes")
        .isEqualTo(range.historyFrom().plus(Duration.ofMinutes(15)));
    assertThat(range.to()).isEqualTo(NOW);
  }

  @Test
  void longRollingWindowsReadHoursFromAWindowBeforeTheFirstStep() {
    Range range = Range.of(Window.H24, NOW);

    assertThat(range.stepName()).isEqualTo("1h");
    assertThat(range.from()).isEqualTo(Instant.parse("2026-12-05T15:00:00Z"));
    assertThat(range.historyFrom()).isEqualTo(Instant.parse("2026-12-04T16:00:00Z"));
    assertThat(Range.of(Window.H1, NOW).historyFrom()).isEqualTo(range.from());
  }

  @Test
  void calendarWindowsReadDaysTheMonthAndTheWeekBeforeTheFirstDay() {
    Range month = Range.of(Window.MONTH, NOW);
    Range day = Range.of(Window.DAY, NOW);

    assertThat(month.stepName()).isEqualTo("1d");
    assertThat(month.from()).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
    assertThat(month.historyFrom()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(Range.of(Window.MONTH, Instant.parse("2026-12-10T08:00:00Z")).historyFrom())
        .as("the 7 days before the 3rd reach into November")
        .isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
    assertThat(day.historyFrom()).isEqualTo(day.from());
  }
}

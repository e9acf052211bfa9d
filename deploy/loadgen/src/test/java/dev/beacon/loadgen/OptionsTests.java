package dev.beacon.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTests {

  @Test
  void durationsTakeMillisecondsSecondsMinutesHoursOrBareSeconds() {
    Options options =
        new Options(
            new String[] {
              "--a", "25ms", "--b", "30s", "--c", "5m", "--d", "2h", "--e", "7", "--f", "100ms"
            });

    assertThat(options.duration("a", Duration.ZERO)).isEqualTo(Duration.ofMillis(25));
    assertThat(options.duration("b", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.duration("c", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
    assertThat(options.duration("d", Duration.ZERO)).isEqualTo(Duration.ofHours(2));
    assertThat(options.duration("e", Duration.ZERO)).isEqualTo(Duration.ofSeconds(7));
    assertThat(options.duration("f", Duration.ZERO)).isEqualTo(Duration.ofMillis(100));
    assertThat(options.duration("missing", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
  }
}

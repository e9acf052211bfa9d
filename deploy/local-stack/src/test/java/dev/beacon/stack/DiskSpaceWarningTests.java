package dev.beacon.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The start warns before a nearly full disk takes Kafka and PostgreSQL down mid-run. */
class DiskSpaceWarningTests {

  private static final Path DATA = Path.of("/repo/.data");

  @Test
  void warnsBelowTheThresholdWithTheFreeSpaceAndWhatToDo() {
    assertThat(Stack.diskSpaceWarning(DATA, 300L << 20))
        .hasValueSatisfying(
            warning ->
                assertThat(warning)
                    .contains("only 300 MiB free")
                    .contains("/repo/.data")
                    .contains("Kafka stops serving")
                    .contains("BEACON_DATA_DIR"));
    assertThat(Stack.diskSpaceWarning(DATA, Stack.LOW_DISK_BYTES - 1)).isPresent();
  }

  @Test
  void staysQuietWithEnoughSpaceOrWhenTheSpaceIsUnknown() {
    assertThat(Stack.diskSpaceWarning(DATA, Stack.LOW_DISK_BYTES)).isEmpty();
    assertThat(Stack.diskSpaceWarning(DATA, 200L << 30)).isEmpty();
    assertThat(Stack.diskSpaceWarning(DATA, -1)).isEmpty();
  }
}

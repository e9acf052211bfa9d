package dev.beacon.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ThreadDumpOnTimeoutTests {

  @Test
  void recognisesTimeoutsAmongTheCauses() {
    assertThat(ThreadDumpOnTimeout.isTimeout(new TimeoutException("late"))).isTrue();
    assertThat(
            ThreadDumpOnTimeout.isTimeout(
                new IllegalStateException(
                    "wrapped", new IllegalStateException("Timeout on blocking read for 5000 ms"))))
        .isTrue();
    assertThat(ThreadDumpOnTimeout.isTimeout(new AssertionError("expected 200 but was 500")))
        .isFalse();
  }

  @Test
  void dumpsEveryThreadWithItsFrames() {
    String dump = ThreadDumpOnTimeout.dump("a test");

    assertThat(dump).startsWith("=== thread dump: a test\n");
    assertThat(dump).contains('"' + Thread.currentThread().getName() + "\" RUNNABLE");
    assertThat(dump)
        .contains("dev.beacon.testsupport.ThreadDumpOnTimeout.dump(ThreadDumpOnTimeout.java:");
    assertThat(dump).endsWith("=== end of thread dump\n");
  }
}

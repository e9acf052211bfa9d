package dev.beacon.testsupport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test fails because something did not answer in time (a blocking read, an Awaitility
 * condition), prints every thread's stack to standard error before the failure is reported: a rare
 * hang on a CI machine is then diagnosable from the build log alone.
 */
public class ThreadDumpOnTimeout implements TestExecutionExceptionHandler {

  private static final int MAX_FRAMES = 40;

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    if (isTimeout(failure)) {
      System.err.println(dump(context.getDisplayName() + " timed out: " + failure));
    }
    throw failure;
  }

  /** Whether the failure, or one of its causes, is a timeout. */
  static boolean isTimeout(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (t instanceof TimeoutException
          || t.getClass().getSimpleName().equals("ConditionTimeoutException")
          || message.contains("Timeout on blocking read")
          || message.contains("Did not observe any item or terminal signal")) {
        return true;
      }
    }
    return false;
  }

  /** Every live thread's state and top frames, headed by {@code title}. */
  static String dump(String title) {
    StringBuilder out = new StringBuilder("=== thread dump: ").append(title).append('\n');
    for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      out.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
      if (info.getLockName() != null) {
        out.append(" on ").append(info.getLockName());
      }
      if (info.getLockOwnerName() != null) {
        out.append(" owned by \"").append(info.getLockOwnerName()).append('"');
      }
      out.append('\n');
      StackTraceElement[] frames = info.getStackTrace();
      for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
        out.append("    at ").append(frames[i]).append('\n');
      }
    }
    return out.append("=== end of thread dump\n").toString();
  }
}

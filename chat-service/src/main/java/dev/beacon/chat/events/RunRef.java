package dev.beacon.chat.events;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The run one turn is: its workspace, agent, run id and W3C trace with the run's root span. Every
 * event of the turn joins this trace as a child of the root span.
 *
 * @param workspaceId the workspace
 * @param agentId the agent's id
 * @param runId the run id (the turn's id)
 * @param traceId 32 hex characters
 * @param spanId the run's root span, 16 hex characters
 */
public record RunRef(
    String workspaceId, String agentId, String runId, String traceId, String spanId) {

  private static final HexFormat HEX = HexFormat.of();

  /** A new W3C trace id. */
  public static String newTraceId() {
    return randomHex(16);
  }

  /** A new W3C span id. */
  public static String newSpanId() {
    return randomHex(8);
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    do {
      ThreadLocalRandom.current().nextBytes(random);
    } while (allZero(random));
    return HEX.formatHex(random);
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}

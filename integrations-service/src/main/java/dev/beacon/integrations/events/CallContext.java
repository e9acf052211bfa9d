package dev.beacon.integrations.events;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Where the events of one tool execution belong: the caller's workspace, agent and run, and the
 * caller's trace. With a W3C {@code traceparent} the events join the caller's trace as children of
 * its span; without one, the execution gets a trace of its own.
 *
 * @param workspaceId from the forwarded identity, never from the body
 * @param agentId the agent the caller runs the tool for, or {@code null}
 * @param runId the caller's run, or {@code null}
 * @param traceId 32 lower-case hex characters
 * @param parentSpanId the caller's span, or {@code null}
 */
public record CallContext(
    String workspaceId, String agentId, String runId, String traceId, String parentSpanId) {

  private static final Pattern TRACEPARENT =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The context of a call; a {@code traceparent} that is absent or not valid W3C Trace Context is
   * ignored, as the specification asks.
   */
  public static CallContext of(
      String workspaceId, String agentId, String runId, String traceparent) {
    if (traceparent != null) {
      var match = TRACEPARENT.matcher(traceparent.strip());
      if (match.matches()
          && !match.group(1).equals("ff")
          && (match.group(5) == null || !match.group(1).equals("00"))
          && !match.group(2).chars().allMatch(c -> c == '0')
          && !match.group(3).chars().allMatch(c -> c == '0')) {
        return new CallContext(workspaceId, agentId, runId, match.group(2), match.group(3));
      }
    }
    return new CallContext(workspaceId, agentId, runId, randomHex(16), null);
  }

  /**
   * The context of what runs under the span {@code spanId} of this context's trace: the same
   * workspace, agent, run and trace, with that span as the parent.
   */
  public CallContext under(String spanId) {
    return new CallContext(workspaceId, agentId, runId, traceId, spanId);
  }

  /** A new W3C span id. */
  public static String newSpanId() {
    return randomHex(8);
  }

  private static String randomHex(int bytes) {
    byte[] id = new byte[bytes];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }
}

package dev.beacon.sdk;

import java.util.Optional;

/**
 * The run and trace an operation belongs to, as seen by events emitted on the current thread.
 *
 * <p>Every span the SDK opens ({@link BeaconClient#startRun}, {@link BeaconClient#trackLlmCall},
 * {@link BeaconClient#trackServiceCall}, …) becomes the current context of its thread until it is
 * closed, so events emitted inside it inherit its {@code run_id} and {@code trace_id} and get its
 * {@code span_id} as their {@code parent_span_id}. To carry a context to another thread, capture it
 * with {@link #current()} and {@link #makeCurrent()} it there; to continue a trace from an incoming
 * request, use {@link #fromTraceparent(String)}.
 *
 * @param runId the run the events belong to, or {@code null}
 * @param traceId W3C trace id, 32 lowercase hex characters
 * @param spanId W3C span id of the enclosing operation, 16 lowercase hex characters; children use
 *     it as their parent
 * @param agentId the agent of the run, or {@code null} to use the client's default
 */
public record TraceContext(String runId, String traceId, String spanId, String agentId) {

  private static final ThreadLocal<TraceContext> CURRENT = new ThreadLocal<>();

  /**
   * The context of the current thread.
   *
   * @return the innermost open span's context, or empty outside any span
   */
  public static Optional<TraceContext> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /**
   * A new root context: a fresh trace id and span id, no run.
   *
   * @return a new context
   */
  public static TraceContext newRoot() {
    return new TraceContext(null, Ids.traceId(), Ids.spanId(), null);
  }

  /**
   * Continues a trace from a W3C {@code traceparent} header ({@code
   * 00-<trace-id>-<span-id>-<flags>}).
   *
   * @param traceparent the header value
   * @return the remote parent as a context, or empty when the header is missing or invalid
   */
  public static Optional<TraceContext> fromTraceparent(String traceparent) {
    if (traceparent == null) {
      return Optional.empty();
    }
    String[] parts = traceparent.trim().split("-");
    if (parts.length < 4
        || parts[0].length() != 2
        || "ff".equals(parts[0])
        || !Ids.isTraceId(parts[1])
        || !Ids.isSpanId(parts[2])) {
      return Optional.empty();
    }
    return Optional.of(new TraceContext(null, parts[1], parts[2], null));
  }

  /**
   * This context as a W3C {@code traceparent} header value, sampled.
   *
   * @return {@code 00-<trace-id>-<span-id>-01}
   */
  public String traceparent() {
    return "00-" + traceId + "-" + spanId + "-01";
  }

  /**
   * Makes this context the current one of this thread until the returned scope is closed, which
   * restores the previous one.
   *
   * @return the scope to close, best in try-with-resources
   */
  public Scope makeCurrent() {
    TraceContext previous = CURRENT.get();
    CURRENT.set(this);
    return () -> restore(this, previous);
  }

  static void attach(TraceContext context) {
    CURRENT.set(context);
  }

  static void restore(TraceContext expected, TraceContext previous) {
    if (CURRENT.get() == expected) {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** A context made current; closing it restores the previous one and never throws. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}

package dev.beacon.sdk;

import dev.beacon.events.ErrorDetails;
import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.LlmDetails;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.ServiceDetails;
import dev.beacon.events.ToolDetails;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One timed operation — a run, a tool call, a service call — that becomes an event when it is
 * closed, with its {@code duration_ms}, {@code status} and {@code error}. Open it in
 * try-with-resources; while it is open it is the current {@link TraceContext} of its thread, so
 * events emitted inside it become its children.
 *
 * <p>A span is {@code ok} unless {@link #fail(Throwable)} or {@link #fail(String, String)} is
 * called. Java's try-with-resources does not tell a resource about an exception, so call {@code
 * fail} in a {@code catch} block, or use {@link TrackServiceCall}, which does it for you. Spans are
 * meant for one thread; none of their methods throws, and {@link #close()} is idempotent.
 */
public class Span implements AutoCloseable {

  static final int MAX_ERROR_TYPE = 256;
  static final int MAX_ERROR_MESSAGE = 4096;
  static final long MAX_DURATION_MS = 86_400_000L;

  private final BeaconClient client;
  private final EventType type;
  private final TraceContext context;
  private final TraceContext previous;
  private final String parentSpanId;
  private final OffsetDateTime startedAt;
  private final long startNanos;
  private final ToolDetails tool;
  private final ServiceDetails service;
  private final Map<String, Object> metadata = new LinkedHashMap<>();
  private final List<String> tags = new ArrayList<>();
  private ErrorDetails error;
  private boolean closed;

  Span(
      BeaconClient client,
      EventType type,
      TraceContext context,
      TraceContext previous,
      ToolDetails tool,
      ServiceDetails service) {
    this.client = client;
    this.type = type;
    this.context = context;
    this.previous = previous;
    this.parentSpanId = previous == null ? null : previous.spanId();
    this.startedAt = now();
    this.startNanos = System.nanoTime();
    this.tool = tool;
    this.service = service;
    TraceContext.attach(context);
  }

  static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * The context this span gives its children: its run, trace and span id.
   *
   * @return the context
   */
  public TraceContext context() {
    return context;
  }

  /**
   * Marks the operation failed with the exception's class name and message.
   *
   * @param failure what went wrong
   * @return this span
   */
  public Span fail(Throwable failure) {
    if (failure == null) {
      return fail("error", null);
    }
    return fail(failure.getClass().getName(), failure.getMessage());
  }

  /**
   * Marks the operation failed.
   *
   * @param errorType a short, stable classifier such as {@code timeout} or {@code rate_limited}
   * @param message human-readable detail, or {@code null}
   * @return this span
   */
  public Span fail(String errorType, String message) {
    this.error =
        new ErrorDetails(
            truncate(
                errorType == null || errorType.isEmpty() ? "error" : errorType, MAX_ERROR_TYPE),
            message == null ? null : truncate(message, MAX_ERROR_MESSAGE));
    return this;
  }

  /**
   * Adds a metadata entry to the event. Entries named like content ({@code prompt}, {@code
   * response}, …) are removed when the client does not capture content.
   *
   * @param key the name
   * @param value any JSON-serialisable value
   * @return this span
   */
  public Span metadata(String key, Object value) {
    if (key != null) {
      metadata.put(key, value);
    }
    return this;
  }

  /**
   * Adds a tag to the event.
   *
   * @param tag a short label, at most 64 characters
   * @return this span
   */
  public Span tag(String tag) {
    if (tag != null && !tag.isEmpty()) {
      tags.add(tag);
    }
    return this;
  }

  /**
   * Stops being the current context of this thread, restoring the previous one, while the span
   * stays open: for work that completes on another thread (a callback, a reactive pipeline), which
   * then closes the span. Children started after this call no longer see this span as their parent
   * unless its {@link #context()} is made current where they run.
   *
   * @return this span
   */
  public Span detach() {
    TraceContext.restore(context, previous);
    return this;
  }

  /** Records the event and restores the thread's previous context; never throws. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    TraceContext.restore(context, previous);
    try {
      long durationMs =
          Math.min(MAX_DURATION_MS, Math.max(0, (System.nanoTime() - startNanos) / 1_000_000));
      client.enqueue(toEvent(durationMs));
    } catch (RuntimeException e) {
      client.swallow(e);
    }
  }

  /** The event's time: when the operation started. */
  OffsetDateTime occurredAt(long durationMs) {
    return startedAt;
  }

  EventType closingType() {
    return type;
  }

  LlmDetails llmDetails() {
    return null;
  }

  OffsetDateTime startedAt() {
    return startedAt;
  }

  String parentSpanId() {
    return parentSpanId;
  }

  private ObsEvent toEvent(long durationMs) {
    return new ObsEvent(
        UUID.randomUUID(),
        closingType(),
        occurredAt(durationMs),
        null,
        context.agentId(),
        context.runId(),
        context.traceId(),
        context.spanId(),
        parentSpanId,
        error == null ? EventStatus.OK : EventStatus.ERROR,
        error,
        durationMs,
        llmDetails(),
        tool,
        null,
        service,
        metadata.isEmpty() ? null : new LinkedHashMap<>(metadata),
        tags.isEmpty() ? null : List.copyOf(tags));
  }

  static String truncate(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max);
  }
}

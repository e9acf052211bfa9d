package dev.beacon.sdk;

import dev.beacon.events.EventType;
import java.time.OffsetDateTime;

/**
 * An agent run: emits {@code run_start} when opened and {@code run_end} (with the whole run's
 * duration and status) when closed. Every event emitted inside it carries its {@code run_id}.
 * Obtained from {@link BeaconClient#startRun()}.
 */
public final class RunSpan extends Span {

  RunSpan(BeaconClient client, TraceContext context, TraceContext previous) {
    super(client, EventType.RUN_START, context, previous, null, null);
  }

  /**
   * The run's id, for correlating with the application's own records.
   *
   * @return the {@code run_id}
   */
  public String runId() {
    return context().runId();
  }

  @Override
  EventType closingType() {
    return EventType.RUN_END;
  }

  @Override
  OffsetDateTime occurredAt(long durationMs) {
    return startedAt().plusNanos(durationMs * 1_000_000L);
  }
}

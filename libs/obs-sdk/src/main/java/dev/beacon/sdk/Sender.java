package dev.beacon.sdk;

import dev.beacon.events.ObsEvent;
import java.util.List;

/**
 * Delivers batches for the {@link EventPipeline}, on the pipeline's own thread. Implementations
 * count every event into the {@link Counters} exactly once and never throw, except to report an
 * interrupt, which means the client is closing and stops waiting.
 */
interface Sender {

  /** Sends one batch, retrying as the transport's rules say; may complete asynchronously. */
  void send(List<ObsEvent> batch) throws InterruptedException;

  /** Waits until everything given to {@link #send} is delivered or given up. */
  void flush() throws InterruptedException;

  /** Releases the transport's resources; events still in flight are given up and counted. */
  void close();
}

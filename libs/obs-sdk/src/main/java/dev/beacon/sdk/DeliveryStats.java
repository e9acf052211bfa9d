package dev.beacon.sdk;

/**
 * What became of the events given to a {@link BeaconClient}, counted since it was built. Every
 * event ends up in exactly one of {@code delivered}, {@code rejected}, {@code filtered} or one of
 * the two dropped counters, or is still buffered or in flight.
 *
 * @param emitted events the application handed to the client
 * @param delivered events the backend accepted (ingest answered 2xx for them, or Kafka acknowledged
 *     them)
 * @param rejected events the ingest API rejected individually as invalid (207 or 4xx with per-event
 *     results); never retried
 * @param filtered events the masking callback removed by returning {@code null}
 * @param droppedBufferFull events dropped on arrival because the buffer was full or the client was
 *     closed
 * @param droppedUndeliverable events given up on: the key was refused (401/403), the request was
 *     refused as a whole (400/413/415), retries were exhausted, the client closed before they could
 *     be sent, or masking failed
 * @param retries delivery attempts that were repeated after a 429, 503, 5xx or network error
 */
public record DeliveryStats(
    long emitted,
    long delivered,
    long rejected,
    long filtered,
    long droppedBufferFull,
    long droppedUndeliverable,
    long retries) {

  /**
   * All events that were dropped, for whatever reason.
   *
   * @return {@code droppedBufferFull + droppedUndeliverable}
   */
  public long dropped() {
    return droppedBufferFull + droppedUndeliverable;
  }
}

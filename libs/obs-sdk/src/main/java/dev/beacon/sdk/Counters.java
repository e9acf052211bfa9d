package dev.beacon.sdk;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link DeliveryStats}. */
final class Counters {
  final LongAdder emitted = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder filtered = new LongAdder();
  final LongAdder droppedBufferFull = new LongAdder();
  final LongAdder droppedUndeliverable = new LongAdder();
  final LongAdder retries = new LongAdder();

  DeliveryStats snapshot() {
    return new DeliveryStats(
        emitted.sum(),
        delivered.sum(),
        rejected.sum(),
        filtered.sum(),
        droppedBufferFull.sum(),
        droppedUndeliverable.sum(),
        retries.sum());
  }
}

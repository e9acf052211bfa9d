package dev.beacon.sdk;

import dev.beacon.events.ObsEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded buffer between the application and the transport, and the one thread that drains it.
 *
 * <p>{@link #offer} never blocks: when the buffer is full the event is dropped and counted. The
 * sender thread collects batches by size and by time, prepares each event (content omission, then
 * the masking callback) and hands the batch to the {@link Sender}, which may block on the network
 * and retry — only this thread ever waits.
 */
final class EventPipeline {

  private static final Logger log = LoggerFactory.getLogger(EventPipeline.class);
  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
  private static final long IDLE_POLL_MILLIS = 100;

  private final ArrayBlockingQueue<ObsEvent> buffer;
  private final ClientSettings settings;
  private final UnaryOperator<ObsEvent> preparer;
  private final Sender sender;
  private final Counters counters;
  private final Thread thread;
  private final AtomicLong enqueued = new AtomicLong();
  private final Object flushLock = new Object();

  private volatile boolean closing;
  private volatile long flushTarget;
  private long processed;
  private volatile long flushedUpTo;

  EventPipeline(
      ClientSettings settings, UnaryOperator<ObsEvent> preparer, Sender sender, Counters counters) {
    this.buffer = new ArrayBlockingQueue<>(settings.bufferCapacity());
    this.settings = settings;
    this.preparer = preparer;
    this.sender = sender;
    this.counters = counters;
    this.thread = new Thread(this::run, "beacon-sdk-sender-" + THREAD_NUMBER.incrementAndGet());
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Buffers an event without ever waiting; drops and counts it when the buffer is full. */
  void offer(ObsEvent event) {
    if (closing || !buffer.offer(event)) {
      counters.droppedBufferFull.increment();
      settings.warnOnce(
          log,
          "buffer-full",
          "Beacon SDK buffer is full or closed ({} events); dropping events",
          settings.bufferCapacity());
      return;
    }
    enqueued.incrementAndGet();
  }

  /**
   * Waits until every event offered before this call is delivered or given up.
   *
   * @return whether that happened within the timeout
   */
  boolean flush(Duration timeout) {
    long target = enqueued.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (flushLock) {
      if (target > flushTarget) {
        flushTarget = target;
      }
      while (flushedUpTo < target && thread.isAlive()) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0) {
          return false;
        }
        try {
          flushLock.wait(Math.min(remaining, IDLE_POLL_MILLIS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return flushedUpTo >= target;
    }
  }

  /**
   * Stops accepting events, delivers what is buffered within the timeout, then gives up on the rest
   * (counted as undeliverable) and releases the transport.
   */
  void close(Duration timeout) {
    closing = true;
    try {
      thread.join(Math.max(1, timeout.toMillis()));
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
    } finally {
      sender.close();
    }
  }

  private void run() {
    try {
      while (true) {
        List<ObsEvent> batch = collect();
        if (!batch.isEmpty()) {
          send(batch);
          processed += batch.size();
        }
        if (flushTarget > flushedUpTo && processed >= flushTarget) {
          flushSender();
        }
        if (closing && buffer.isEmpty()) {
          flushSender();
          return;
        }
      }
    } catch (InterruptedException e) {
      List<ObsEvent> rest = new ArrayList<>();
      buffer.drainTo(rest);
      counters.droppedUndeliverable.add(rest.size());
      if (!rest.isEmpty()) {
        log.warn("Beacon SDK closed with {} events undelivered", rest.size());
      }
    } catch (RuntimeException | Error e) {
      log.error("Beacon SDK sender stopped unexpectedly; events are no longer sent", e);
    }
  }

  private void send(List<ObsEvent> batch) throws InterruptedException {
    List<ObsEvent> prepared = prepare(batch);
    try {
      sender.send(prepared);
    } catch (RuntimeException e) {
      settings.warnOnce(log, "sender-bug", "Beacon SDK could not send a batch, dropping it", e);
      counters.droppedUndeliverable.add(prepared.size());
    }
  }

  private void flushSender() throws InterruptedException {
    try {
      sender.flush();
    } catch (RuntimeException e) {
      settings.warnOnce(log, "flush-bug", "Beacon SDK transport flush failed", e);
    }
    synchronized (flushLock) {
      flushedUpTo = processed;
      flushLock.notifyAll();
    }
  }

  private boolean urgent() {
    return closing || flushTarget > processed;
  }

  private List<ObsEvent> collect() throws InterruptedException {
    List<ObsEvent> batch = new ArrayList<>(Math.min(settings.batchSize(), 64));
    try {
      return collect(batch);
    } catch (InterruptedException e) {
      counters.droppedUndeliverable.add(batch.size());
      throw e;
    }
  }

  private List<ObsEvent> collect(List<ObsEvent> batch) throws InterruptedException {
    int batchSize = settings.batchSize();
    if (urgent()) {
      buffer.drainTo(batch, batchSize);
      return batch;
    }
    ObsEvent first = buffer.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
    if (first == null) {
      return batch;
    }
    batch.add(first);
    long deadline = System.nanoTime() + settings.batchDelay().toNanos();
    while (batch.size() < batchSize) {
      buffer.drainTo(batch, batchSize - batch.size());
      if (batch.size() >= batchSize || urgent()) {
        break;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      ObsEvent next =
          buffer.poll(
              Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS)),
              TimeUnit.NANOSECONDS);
      if (next != null) {
        batch.add(next);
      }
    }
    return batch;
  }

  private List<ObsEvent> prepare(List<ObsEvent> batch) {
    List<ObsEvent> prepared = new ArrayList<>(batch.size());
    for (ObsEvent event : batch) {
      try {
        ObsEvent result = preparer.apply(event);
        if (result == null) {
          counters.filtered.increment();
        } else {
          prepared.add(result);
        }
      } catch (RuntimeException e) {
        settings.warnOnce(
            log,
            "mask",
            "Beacon SDK masking callback failed; dropping the event: {}",
            e.toString());
        counters.droppedUndeliverable.increment();
      }
    }
    return prepared;
  }
}

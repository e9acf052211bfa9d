package dev.beacon.sdk;

import dev.beacon.events.ObsEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory transport for tests: every event the pipeline sends is kept, in order. */
public final class RecordingTransport {

  private final List<ObsEvent> events = new CopyOnWriteArrayList<>();
  private final Transport transport;

  public RecordingTransport() {
    this.transport =
        Transport.of(
            "recording",
            (settings, counters) ->
                new Sender() {
                  @Override
                  public void send(List<ObsEvent> batch) {
                    events.addAll(batch);
                    counters.delivered.add(batch.size());
                  }

                  @Override
                  public void flush() {}

                  @Override
                  public void close() {}
                });
  }

  public Transport transport() {
    return transport;
  }

  public List<ObsEvent> events() {
    return events;
  }
}

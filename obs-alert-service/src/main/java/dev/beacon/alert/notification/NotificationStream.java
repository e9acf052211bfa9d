package dev.beacon.alert.notification;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Live in-app notifications of this instance, fanned out to the SSE subscribers of their workspace.
 * Only notifications created by this instance appear; with more than one instance, a client sees
 * the others' on its next list request (see docs/observability/04-alerts.md).
 */
@Component
public class NotificationStream {

  private final Sinks.Many<Notification> sink = Sinks.many().multicast().directBestEffort();

  /** Pushes a committed notification to the workspace's subscribers. */
  public void publish(Notification notification) {
    synchronized (sink) {
      sink.tryEmitNext(notification);
    }
  }

  Flux<Notification> of(String workspaceId) {
    return sink.asFlux().filter(n -> n.workspaceId().equals(workspaceId));
  }
}

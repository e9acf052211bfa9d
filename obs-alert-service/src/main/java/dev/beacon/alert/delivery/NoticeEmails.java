package dev.beacon.alert.delivery;

import dev.beacon.alert.notification.Notification;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * E-mails of billing notices through the delivery outbox: written with the notification, sent by
 * the {@link OutboxDispatcher} with its retries and attempt history, like a rule's e-mail channel.
 */
@Component
public class NoticeEmails {

  private final DeliveryRepository deliveries;
  private final ApplicationEventPublisher events;

  NoticeEmails(DeliveryRepository deliveries, ApplicationEventPublisher events) {
    this.deliveries = deliveries;
    this.events = events;
  }

  /** Puts the notification's e-mail to {@code to} in the outbox; run it in the same transaction. */
  public Mono<Void> enqueue(Notification notification, String to) {
    AlertMessage message =
        new AlertMessage(
            notification.severity(),
            notification.title(),
            notification.body(),
            null,
            "",
            null,
            null,
            null,
            null,
            null,
            null,
            notification.link(),
            notification.createdAt());
    return deliveries.enqueueNoticeEmail(
        notification.workspaceId(), notification.id(), to, message);
  }

  /** After the commit: the dispatcher sends what was enqueued at once rather than at its poll. */
  public void enqueued() {
    events.publishEvent(new DeliveriesEnqueued());
  }
}

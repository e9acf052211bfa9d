package dev.beacon.alert.billing;

import dev.beacon.alert.delivery.NoticeEmails;
import dev.beacon.alert.notification.NotificationRepository;
import dev.beacon.alert.notification.NotificationStream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Consumes billing-service's notices in its own consumer group, a batch at a time: each notice is
 * stored as an in-app notification of its workspace unless its {@code notice_id} was stored before
 * (billing publishes at least once), then pushed to the workspace's live stream. A notice addressed
 * to the workspace's billing contact ({@code email_to}) puts its e-mail in the delivery outbox in
 * the same transaction, so it is sent once with the outbox's retries. The container commits the
 * offsets after the batch, so every stored notice is durable first; a database error throws and the
 * batch is retried with back-off, without limit. A record that is not a notice is logged and
 * skipped.
 */
class BillingNoticeListener {

  /**
   * billing-service's notices topic (docs/billing.md); billing creates it. Not in the shared {@code
   * Topics} registry, which holds the observability events.
   */
  static final String TOPIC = "billing.notices.v1";

  private static final Logger log = LoggerFactory.getLogger(BillingNoticeListener.class);
  private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(60);

  private final BillingNoticeDecoder decoder;
  private final NotificationRepository notifications;
  private final NotificationStream stream;
  private final NoticeEmails emails;
  private final TransactionalOperator tx;
  private final Clock clock;
  private final Counter created;
  private final Counter duplicate;
  private final Counter malformed;
  private final Counter emailed;

  BillingNoticeListener(
      BillingNoticeDecoder decoder,
      NotificationRepository notifications,
      NotificationStream stream,
      NoticeEmails emails,
      TransactionalOperator tx,
      Clock clock,
      MeterRegistry meters) {
    this.decoder = decoder;
    this.notifications = notifications;
    this.stream = stream;
    this.emails = emails;
    this.tx = tx;
    this.clock = clock;
    this.created = meters.counter("beacon.alert.billing.notices", "outcome", "created");
    this.duplicate = meters.counter("beacon.alert.billing.notices", "outcome", "duplicate");
    this.malformed = meters.counter("beacon.alert.billing.notices", "outcome", "malformed");
    this.emailed = meters.counter("beacon.alert.billing.notices.emailed");
  }

  @KafkaListener(
      id = "billing-notices",
      groupId = "${spring.application.name}-billing-notices",
      clientIdPrefix = "${spring.application.name}-billing-notices",
      topics = TOPIC,
      containerFactory = BillingNoticeConfiguration.CONTAINER_FACTORY,
      batch = "true",
      properties = {
        // billing creates the topic with its 3 partitions; a consumer must never create it first
        "allow.auto.create.topics=false",
        // a topic created after this service started is found within seconds
        "metadata.max.age.ms=10000"
      })
  void onBatch(List<ConsumerRecord<String, byte[]>> records) {
    for (ConsumerRecord<String, byte[]> record : records) {
      BillingNoticeDecoder.Decoded notice;
      try {
        notice = decoder.decode(record.value(), clock.instant());
      } catch (IllegalArgumentException e) {
        malformed.increment();
        log.warn(
            "Skipping a {} record that is not a billing notice at {}-{}@{}: {}",
            TOPIC,
            record.topic(),
            record.partition(),
            record.offset(),
            e.getMessage());
        continue;
      }
      boolean email = notice.emailTo() != null;
      notifications
          .insertNotice(notice.notification(), notice.noticeId())
          .flatMap(n -> email ? emails.enqueue(n, notice.emailTo()).thenReturn(n) : Mono.just(n))
          .as(tx::transactional)
          .doOnNext(
              n -> {
                created.increment();
                log.info(
                    "Billing notice {} is notification {} of workspace {}",
                    notice.noticeId(),
                    n.id(),
                    n.workspaceId());
                stream.publish(n);
                if (email) {
                  emailed.increment();
                  emails.enqueued();
                }
              })
          .switchIfEmpty(Mono.fromRunnable(duplicate::increment))
          .doOnError(
              e ->
                  log.warn(
                      "Storing billing notice {} failed; the batch is retried: {}",
                      notice.noticeId(),
                      e.toString()))
          .block(BATCH_TIMEOUT);
    }
  }
}

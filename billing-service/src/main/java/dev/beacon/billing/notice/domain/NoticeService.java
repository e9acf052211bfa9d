package dev.beacon.billing.notice.domain;

import dev.beacon.billing.config.BillingProperties;
import dev.beacon.billing.contact.domain.ContactService;
import dev.beacon.billing.notice.store.NoticeRepository;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records notices in the outbox, inside the transaction of the change that caused them, and
 * publishes them after its commit; what Kafka did not acknowledge in time is published by the
 * sweep. A notice is recorded once by its id; publishing is at least once (a consumer dedupes by
 * {@code notice_id}).
 */
@Service
public class NoticeService {

  private static final Logger log = LoggerFactory.getLogger(NoticeService.class);

  private final NoticeRepository notices;
  private final ContactService contacts;
  private final NoticePublisher publisher;
  private final JsonMapper json;
  private final BillingProperties properties;
  private final Clock clock;

  NoticeService(
      NoticeRepository notices,
      ContactService contacts,
      NoticePublisher publisher,
      JsonMapper json,
      BillingProperties properties,
      Clock clock) {
    this.notices = notices;
    this.contacts = contacts;
    this.publisher = publisher;
    this.json = json;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * Writes the notice unless it was written before, addressed to the workspace's billing contact
   * when it has one; meant to run inside the transaction of the change it tells of. Publishes
   * nothing: call {@link #publish(String)} after the commit.
   */
  public Mono<Void> record(BillingNotice notice) {
    return contacts
        .addressOf(notice.workspaceId())
        .map(notice::to)
        .defaultIfEmpty(notice)
        .flatMap(
            addressed ->
                notices.insertIfAbsent(
                    addressed.noticeId(),
                    addressed.workspaceId(),
                    addressed.kind(),
                    addressed.occurredAt(),
                    json.writeValueAsString(addressed)))
        .doOnNext(
            fresh -> {
              if (fresh) {
                log.info(
                    "Billing notice {} for workspace {}", notice.noticeId(), notice.workspaceId());
              }
            })
        .then();
  }

  /**
   * Publishes the workspace's notices that Kafka has not acknowledged, waiting at most {@code
   * beacon.billing.publish-timeout} in all. Never fails: what is left is the sweep's.
   */
  public Mono<Void> publish(String workspaceId) {
    return notices
        .findUnpublished(workspaceId)
        .concatMap(
            notice ->
                publisher
                    .publish(notice)
                    .then(
                        Mono.defer(
                            () -> notices.markPublished(notice.noticeId(), clock.instant()))))
        .then()
        .timeout(properties.publishTimeout())
        .onErrorResume(
            e -> {
              log.warn(
                  "Billing notices of workspace {} not acknowledged by Kafka yet ({}); the sweep"
                      + " publishes them again",
                  workspaceId,
                  e.toString());
              return Mono.empty();
            });
  }

  /** Publishes every notice Kafka has not acknowledged yet; for the sweep. */
  public Mono<Void> publishPending() {
    return notices
        .findWorkspacesWithUnpublished()
        .collectList()
        .flatMapMany(Flux::fromIterable)
        .concatMap(this::publish)
        .then();
  }
}

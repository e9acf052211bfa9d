package dev.beacon.billing.credit.kafka;

import dev.beacon.billing.credit.domain.HostedLlmCall;
import dev.beacon.billing.credit.domain.LedgerService;
import dev.beacon.billing.notice.domain.NoticeService;
import dev.beacon.billing.subscription.domain.SubscriptionService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Debits hosted usage from {@code llm_call} events, in its own consumer group, a batch at a time:
 * decode (a malformed record is logged and skipped), post every debit of the batch in one database
 * transaction, then return, after which the container commits the offsets. A failed transaction
 * throws, and the container retries the batch with back-off without committing; the debits' unique
 * references make the retry and any redelivery post nothing twice.
 */
class HostedUsageListener {

  static final String ID = "billing-hosted-usage";

  private static final Logger log = LoggerFactory.getLogger(HostedUsageListener.class);
  private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(60);

  private final LlmCallDecoder decoder;
  private final LedgerService ledger;
  private final SubscriptionService subscriptions;
  private final NoticeService notices;
  private final Counter hosted;
  private final Counter notHosted;
  private final Counter malformed;

  HostedUsageListener(
      LlmCallDecoder decoder,
      LedgerService ledger,
      SubscriptionService subscriptions,
      NoticeService notices,
      MeterRegistry meters) {
    this.decoder = decoder;
    this.ledger = ledger;
    this.subscriptions = subscriptions;
    this.notices = notices;
    this.hosted = meters.counter("beacon.billing.llm.calls", "outcome", "hosted");
    this.notHosted = meters.counter("beacon.billing.llm.calls", "outcome", "not_hosted");
    this.malformed = meters.counter("beacon.billing.llm.calls", "outcome", "malformed");
  }

  @KafkaListener(
      id = ID,
      groupId = "${spring.application.name}-ledger",
      clientIdPrefix = "${spring.application.name}-ledger",
      topics = "#{T(dev.beacon.events.Topics).LLM_CALLS.name()}",
      containerFactory = LedgerKafkaConfiguration.CONTAINER_FACTORY,
      batch = "true")
  void onBatch(List<ConsumerRecord<String, String>> records) {
    List<HostedLlmCall> calls = new ArrayList<>(records.size());
    for (ConsumerRecord<String, String> record : records) {
      try {
        decoder.decode(record.value()).ifPresentOrElse(calls::add, notHosted::increment);
      } catch (RuntimeException e) {
        malformed.increment();
        log.warn(
            "Skipping malformed llm_call record at {}-{}@{}: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            e.getMessage());
      }
    }
    if (calls.isEmpty()) {
      return;
    }
    LedgerService.DebitResult result = ledger.debit(calls).block(BATCH_TIMEOUT);
    // consumed, redelivered ones included: the ledger's references keep the debits once
    hosted.increment(calls.size());
    log.debug("Debited {} hosted calls of {} records", calls.size(), records.size());
    if (result != null) {
      result.flipped().forEach(ws -> subscriptions.publish(ws).block(BATCH_TIMEOUT));
      result.noticed().forEach(ws -> notices.publish(ws).block(BATCH_TIMEOUT));
    }
  }
}

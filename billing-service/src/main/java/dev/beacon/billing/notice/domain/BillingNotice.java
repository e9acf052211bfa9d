package dev.beacon.billing.notice.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/**
 * One notice: the value of a {@code billing.notices.v1} record, keyed by workspace id.
 *
 * @param noticeId deterministic from what caused it ({@code credits_low:<ledger transaction id>},
 *     …), so a consumer keeps each notice once
 * @param workspaceId the workspace told
 * @param kind {@code payment_failed}, {@code grace_ending}, {@code downgraded_to_free}, {@code
 *     credits_low} or {@code credits_exhausted}
 * @param occurredAt when billing noticed it
 * @param title one line for a list
 * @param message one or two sentences saying what happened and what to do
 * @param link where in the web app to act: always {@code /billing}
 * @param details the kind's facts (plan, grace end, balance, threshold), for other renderings
 */
public record BillingNotice(
    @JsonProperty("notice_id") String noticeId,
    @JsonProperty("workspace_id") String workspaceId,
    @JsonProperty("kind") String kind,
    @JsonProperty("occurred_at") Instant occurredAt,
    @JsonProperty("title") String title,
    @JsonProperty("message") String message,
    @JsonProperty("link") String link,
    @JsonProperty("details") Map<String, Object> details) {

  public BillingNotice {
    details = Map.copyOf(details);
  }
}

package dev.beacon.billing.notice.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 *     credits_low}, {@code credits_exhausted} or {@code credit_payment_failed}
 * @param occurredAt when billing noticed it
 * @param title one line for a list
 * @param message one or two sentences saying what happened and what to do
 * @param link where in the web app to act: always {@code /billing}
 * @param details the kind's facts (plan, grace end, balance, threshold), for other renderings
 * @param emailTo the workspace's billing contact when it has one (the notice is e-mailed there
 *     too); absent otherwise
 */
public record BillingNotice(
    @JsonProperty("notice_id") String noticeId,
    @JsonProperty("workspace_id") String workspaceId,
    @JsonProperty("kind") String kind,
    @JsonProperty("occurred_at") Instant occurredAt,
    @JsonProperty("title") String title,
    @JsonProperty("message") String message,
    @JsonProperty("link") String link,
    @JsonProperty("details") Map<String, Object> details,
    @JsonProperty("email_to") @JsonInclude(JsonInclude.Include.NON_NULL) String emailTo) {

  public BillingNotice {
    details = Map.copyOf(details);
  }

  /** A notice for the in-app list only, until {@link #to} names an address. */
  public BillingNotice(
      String noticeId,
      String workspaceId,
      String kind,
      Instant occurredAt,
      String title,
      String message,
      String link,
      Map<String, Object> details) {
    this(noticeId, workspaceId, kind, occurredAt, title, message, link, details, null);
  }

  /** The same notice, to be e-mailed to {@code address} as well. */
  public BillingNotice to(String address) {
    return new BillingNotice(
        noticeId, workspaceId, kind, occurredAt, title, message, link, details, address);
  }
}

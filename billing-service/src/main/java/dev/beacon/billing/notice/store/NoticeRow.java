package dev.beacon.billing.notice.store;

/**
 * A notice not yet acknowledged by Kafka.
 *
 * @param noticeId the notice's id
 * @param workspaceId the record key
 * @param payload the record value, as it was written with the notice
 */
public record NoticeRow(String noticeId, String workspaceId, String payload) {}

package dev.beacon.alert.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** What a {@code billing.notices.v1} record becomes, and which records are refused. */
class BillingNoticeJsonTests {

  private static final Instant RECEIVED = Instant.parse("2026-12-08T04:00:00Z");

  private final BillingNoticeDecoder decoder =
      new BillingNoticeDecoder(JsonMapper.builder().build(), "https://beacon.example.com/");

  @Test
  void aNoticeBecomesABillingNotificationLinkingToTheWebApp() {
    BillingNoticeDecoder.Decoded decoded =
        decode(
            """
            {"notice_id": "payment_failed:ws_1:1797000000", "workspace_id": "ws_1",
             "kind": "payment_failed", "occurred_at": "2026-12-08T03:00:00Z",
             "title": "Payment failed", "message": "The payment for the Pro plan failed.",
             "link": "/billing", "details": {"plan": "pro"}, "a_later_field": 1}
            """);
    assertThat(decoded.noticeId()).isEqualTo("payment_failed:ws_1:1797000000");
    var n = decoded.notification();
    assertThat(n.workspaceId()).isEqualTo("ws_1");
    assertThat(n.source()).isEqualTo("billing");
    assertThat(n.kind()).isEqualTo("payment_failed");
    assertThat(n.severity()).isEqualTo("critical");
    assertThat(n.title()).isEqualTo("Payment failed");
    assertThat(n.body()).isEqualTo("The payment for the Pro plan failed.");
    assertThat(n.link()).isEqualTo("https://beacon.example.com/billing");
    assertThat(n.createdAt()).isEqualTo(Instant.parse("2026-12-08T03:00:00Z"));
    assertThat(n.ruleId()).isNull();
    assertThat(n.readAt()).isNull();
  }

  @Test
  void warningsAreTheKindsThatLeaveTimeToAct() {
    assertThat(severityOf("grace_ending")).isEqualTo("warning");
    assertThat(severityOf("credits_low")).isEqualTo("warning");
    assertThat(severityOf("a_kind_from_a_newer_billing")).isEqualTo("warning");
    assertThat(severityOf("downgraded_to_free")).isEqualTo("critical");
    assertThat(severityOf("credits_exhausted")).isEqualTo("critical");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://evil.example.com/billing",
        "//evil.example.com/billing",
        "javascript:alert(1)",
        "billing",
        "/billing\\\\..",
        "/bil ling"
      })
  void aLinkOutOfTheWebAppIsDropped(String link) {
    String json =
        """
        {"notice_id": "n1", "workspace_id": "ws_1", "kind": "credits_low", "title": "t",
         "message": "m", "link": %s}
        """
            .formatted(JsonMapper.builder().build().writeValueAsString(link));
    assertThat(decode(json).notification().link()).isNull();
  }

  @Test
  void aMissingOrUnreadableTimeIsTheTimeOfReceipt() {
    String json =
        """
        {"notice_id": "n1", "workspace_id": "ws_1", "kind": "credits_low", "title": "t",
         "message": "m", "occurred_at": "yesterday"}
        """;
    assertThat(decode(json).notification().createdAt()).isEqualTo(RECEIVED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[]",
        "{\"workspace_id\": \"ws_1\", \"kind\": \"credits_low\", \"title\": \"t\", \"message\": \"m\"}",
        "{\"notice_id\": \"n1\", \"kind\": \"credits_low\", \"title\": \"t\", \"message\": \"m\"}",
        "{\"notice_id\": \"n1\", \"workspace_id\": \"ws_1\", \"title\": \"t\", \"message\": \"m\"}",
        "{\"notice_id\": \"n1\", \"workspace_id\": \"ws_1\", \"kind\": \"Credits Low\", \"title\": \"t\", \"message\": \"m\"}",
        "{\"notice_id\": \"n1\", \"workspace_id\": \"ws_1\", \"kind\": \"credits_low\", \"message\": \"m\"}",
        "{\"notice_id\": \"n1\", \"workspace_id\": \"ws_1\", \"kind\": \"credits_low\", \"title\": \"t\"}",
        "{\"notice_id\": 7, \"workspace_id\": \"ws_1\", \"kind\": \"credits_low\", \"title\": \"t\", \"message\": \"m\"}",
        "{\"notice_id\": \" \", \"workspace_id\": \"ws_1\", \"kind\": \"credits_low\", \"title\": \"t\", \"message\": \"m\"}"
      })
  void aRecordThatIsNotANoticeIsRefused(String json) {
    assertThatIllegalArgumentException().isThrownBy(() -> decode(json));
  }

  @Test
  void aTombstoneIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> decoder.decode(null, RECEIVED));
  }

  private String severityOf(String kind) {
    return decode(
            """
            {"notice_id": "n1", "workspace_id": "ws_1", "kind": "%s", "title": "t", "message": "m"}
            """
                .formatted(kind))
        .notification()
        .severity();
  }

  private BillingNoticeDecoder.Decoded decode(String json) {
    return decoder.decode(json.getBytes(StandardCharsets.UTF_8), RECEIVED);
  }
}

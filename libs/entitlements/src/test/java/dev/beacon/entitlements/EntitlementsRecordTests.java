package dev.beacon.entitlements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntitlementsRecordTests {

  static final String PRO =
      """
      {"workspace_id": "ws_42", "plan": "pro", "subscribed_plan": "pro", "status": "active",
       "current_period_end": "2027-01-07T10:00:00Z", "grace_until": null,
       "entitlements": {"retention_days": 30, "events_per_month": 1000000, "alert_rules": 20,
                        "members": 10, "api_keys": 10, "hosted_credit_allowance": 5000000,
                        "hosted_llm_allowed": false, "a_later_limit": 7},
       "revision": 3, "a_later_field": true}
      """;

  @Test
  void readsEveryLimitAndIgnoresUnknownFields() {
    EntitlementsRecord.Parsed parsed = EntitlementsRecord.parse(bytes(PRO));

    assertThat(parsed.workspaceId()).isEqualTo("ws_42");
    assertThat(parsed.entitlements())
        .isEqualTo(new Entitlements("pro", 30, 1_000_000, 20, 10, 10, 5_000_000, false, 3));
  }

  @Test
  void aRecordWithoutTheHostedFlagAllowsHostedUse() {
    String older = PRO.replace("\"hosted_llm_allowed\": false,", "");

    assertThat(EntitlementsRecord.parse(bytes(older)).entitlements().hostedLlmAllowed()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[]",
        "null",
        "{\"plan\": \"pro\", \"revision\": 1, \"entitlements\": {}}",
        "{\"workspace_id\": \" \", \"plan\": \"pro\", \"revision\": 1}",
      })
  void refusesValuesThatAreNotRecords(String value) {
    assertThatIllegalArgumentException().isThrownBy(() -> EntitlementsRecord.parse(bytes(value)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"revision\": 3,=>\"revision\": 0,",
        "\"revision\": 3,=>\"revision\": \"3\",",
        "\"revision\": 3,=>\"revision\": 3.5,",
        "\"retention_days\": 30=>\"retention_days\": 0",
        "\"retention_days\": 30=>\"retention_days\": 99999999999",
        "\"events_per_month\": 1000000=>\"events_per_month\": -1",
        "\"events_per_month\": 1000000=>\"events_per_month\": 1e6",
        "\"alert_rules\": 20=>\"alert_rules\": null",
        "\"members\": 10=>\"members\": 0",
        "\"api_keys\": 10,=>",
        "\"hosted_llm_allowed\": false=>\"hosted_llm_allowed\": \"no\"",
        "\"hosted_credit_allowance\": 5000000=>\"hosted_credit_allowance\": 99999999999999999999",
        "\"plan\": \"pro\"=>\"plan\": 1",
      })
  void refusesARecordWithOneBadField(String edit) {
    String[] parts = edit.split("=>", -1);
    String broken = PRO.replace(parts[0], parts[1]);
    assertThat(broken).as("the edit applies").isNotEqualTo(PRO);

    assertThatIllegalArgumentException().isThrownBy(() -> EntitlementsRecord.parse(bytes(broken)));
  }

  @Test
  void refusesATombstone() {
    assertThatIllegalArgumentException().isThrownBy(() -> EntitlementsRecord.parse(null));
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}

package dev.beacon.alert.rule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.alert.AlertTestKit;
import dev.beacon.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class RuleApiWebFluxTests extends AlertTestKit {

  private static final String BUDGET =
      """
      {"name": "Daily budget", "metric": "cost_usd", "window": "day", "comparator": "gt",
       "warning_threshold": "10.00", "critical_threshold": "20.00", "min_sample": 0,
       "no_data": "ignore", "renotify_minutes": 60, "cooldown_minutes": 5,
       "filters": {"agent": "support-bot"},
       "channels": [{"type": "slack", "webhook_url": "https://hooks.slack.com/services/T0ABCDEF/B0123/XyZsecret"},
                    {"type": "in_app"}, {"type": "email", "to": "ops@example.com"}]}
      """;

  @Test
  void createsReadsUpdatesAndDeletesARule() {
    String ws = newWorkspace();
    String id = createRule(ws, BUDGET);

    JsonNode rule = rule(ws, id);
    assertThat(rule.get("name").asString()).isEqualTo("Daily budget");
    assertThat(rule.get("metric").asString()).isEqualTo("cost_usd");
    assertThat(rule.get("warning_threshold").asString()).isEqualTo("10.00");
    assertThat(rule.get("critical_threshold").asString()).isEqualTo("20.00");
    assertThat(rule.get("filters").get("agent").asString()).isEqualTo("support-bot");
    assertThat(rule.get("channels").get(0).get("webhook_url").asString())
        .isEqualTo("https://hooks.slack.com/services/T0…");
    assertThat(rule.get("channels").get(0).get("status").asString()).isEqualTo("ok");
    assertThat(rule.get("channels").get(2).get("to").asString()).isEqualTo("ops@example.com");
    assertThat(rule.get("states").get(0).get("state").asString()).isEqualTo("ok");
    assertThat(rule.get("created_at").isNull()).isFalse();

    String updated =
        BUDGET
            .replace("Daily budget", "Daily budget (strict)")
            .replace(
                "https://hooks.slack.com/services/T0ABCDEF/B0123/XyZsecret",
                "https://hooks.slack.com/services/T0…");
    web.put()
        .uri("/api/obs/alerts/rules/" + id)
        .header("X-Beacon-Identity", owner(ws))
        .header("Content-Type", "application/json")
        .bodyValue(updated)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.name")
        .isEqualTo("Daily budget (strict)");
    assertThat(
            jdbc()
                .queryForObject(
                    "SELECT target FROM obs_alert.channels WHERE rule_id = ?::uuid AND type = 'slack'",
                    String.class,
                    id))
        .as("sending the masked URL back keeps the stored webhook")
        .isEqualTo("https://hooks.slack.com/services/T0ABCDEF/B0123/XyZsecret");

    web.get()
        .uri("/api/obs/alerts/rules")
        .header("X-Beacon-Identity", owner(ws))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.rules.length()")
        .isEqualTo(1);

    web.delete()
        .uri("/api/obs/alerts/rules/" + id)
        .header("X-Beacon-Identity", owner(ws))
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();
    web.get()
        .uri("/api/obs/alerts/rules/" + id)
        .header("X-Beacon-Identity", owner(ws))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("rule_not_found");
  }

  @Test
  void neverShowsTheWebhookSecretInResponses() {
    String ws = newWorkspace();
    String id = createRule(ws, BUDGET);
    String body =
        new String(
            web.get()
                .uri("/api/obs/alerts/rules/" + id)
                .header("X-Beacon-Identity", owner(ws))
                .exchange()
                .expectBody()
                .returnResult()
                .getResponseBody());
    assertThat(body).doesNotContain("XyZsecret").doesNotContain("B0123");
  }

  @Test
  void keepsOtherWorkspacesRulesInvisible() {
    String owner = newWorkspace();
    String intruder = newWorkspace();
    String id = createRule(owner, BUDGET);

    for (String method : new String[] {"GET", "DELETE", "TEST"}) {
      var request =
          switch (method) {
            case "GET" -> web.get().uri("/api/obs/alerts/rules/" + id);
            case "DELETE" -> web.delete().uri("/api/obs/alerts/rules/" + id);
            default -> web.post().uri("/api/obs/alerts/rules/" + id + "/test");
          };
      request
          .header("X-Beacon-Identity", owner(intruder))
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("rule_not_found");
    }
    web.put()
        .uri("/api/obs/alerts/rules/" + id)
        .header("X-Beacon-Identity", owner(intruder))
        .header("Content-Type", "application/json")
        .bodyValue(BUDGET)
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("rule_not_found");
    web.get()
        .uri("/api/obs/alerts/rules")
        .header("X-Beacon-Identity", owner(intruder))
        .exchange()
        .expectBody()
        .jsonPath("$.rules.length()")
        .isEqualTo(0);
    web.get()
        .uri("/api/obs/alerts/events?rule_id=" + id)
        .header("X-Beacon-Identity", owner(intruder))
        .exchange()
        .expectBody()
        .jsonPath("$.events.length()")
        .isEqualTo(0);
    assertThat(rule(owner, id).get("name").asString()).isEqualTo("Daily budget");
  }

  @Test
  void viewersMayReadButNotWrite() {
    String ws = newWorkspace();
    String id = createRule(ws, BUDGET);
    web.get()
        .uri("/api/obs/alerts/rules/" + id)
        .header("X-Beacon-Identity", identity(ws, Role.VIEWER))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.name")
        .isEqualTo("Daily budget");
    web.post()
        .uri("/api/obs/alerts/rules")
        .header("X-Beacon-Identity", identity(ws, Role.VIEWER))
        .header("Content-Type", "application/json")
        .bodyValue(BUDGET)
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden_role");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "invalid_metric|\"metric\": \"cost_usd\"|\"metric\": \"dollars\"",
        "invalid_window|\"window\": \"day\"|\"window\": \"2h\"",
        "invalid_threshold|\"warning_threshold\": \"10.00\", \"critical_threshold\": \"20.00\"|\"warning_threshold\": null",
        "invalid_threshold|\"critical_threshold\": \"20.00\"|\"critical_threshold\": \"twenty\"",
        "invalid_threshold|\"critical_threshold\": \"20.00\"|\"critical_threshold\": \"5.00\"",
        "invalid_comparator|\"comparator\": \"gt\"|\"comparator\": \"above\"",
        "invalid_no_data|\"no_data\": \"ignore\"|\"no_data\": \"maybe\"",
        "invalid_min_sample|\"min_sample\": 0|\"min_sample\": -1",
        "invalid_email|\"to\": \"ops@example.com\"|\"to\": \"not-an-address\"",
        "invalid_name|\"name\": \"Daily budget\"|\"name\": \" \"",
        "invalid_renotify|\"renotify_minutes\": 60|\"renotify_minutes\": -5",
        "invalid_filter|\"filters\": {\"agent\": \"support-bot\"}|\"filters\": {\"type\": \"tool_call\", \"model\": \"gpt-4o\"}",
        "invalid_filter|\"filters\": {\"agent\": \"support-bot\"}|\"filters\": {\"type\": \"llm_call\", \"service\": \"github\"}",
        "invalid_filter|\"filters\": {\"agent\": \"support-bot\"}|\"filters\": {\"tool\": \"search\", \"service\": \"github\"}",
        "invalid_group_by|\"filters\": {\"agent\": \"support-bot\"}|\"filters\": {}, \"group_by\": \"services\"",
        "invalid_request|{\"name\"|{\"name\"\"",
      })
  void rejectsABadRuleWithADocumentedCode(String testCase) {
    String[] parts = testCase.split("\\|");
    String body = BUDGET.replace(parts[1], parts[2]);
    if (parts[2].equals("\"warning_threshold\": null")) {
      body =
          body.replace(
              "\"warning_threshold\": null",
              "\"warning_threshold\": null, \"critical_threshold\": null");
    }
    assertThat(body).isNotEqualTo(BUDGET);
    web.post()
        .uri("/api/obs/alerts/rules")
        .header("X-Beacon-Identity", owner(newWorkspace()))
        .header("Content-Type", "application/json")
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo(parts[0])
        .jsonPath("$.message")
        .isNotEmpty();
  }

  @ParameterizedTest(name = "rejects {0}")
  @ValueSource(
      strings = {
        "http://hooks.slack.com/services/T0/B0/xyz",
        "https://hooks.slack.com.evil.com/services/T0/B0/xyz",
        "https://evil.com/hooks.slack.com/services/T0/B0/xyz",
        "https://hooks.slack.com@evil.com/services/T0/B0/xyz",
        "https://user:pass@hooks.slack.com/services/T0/B0/xyz",
        "https://hooks.slack.com:8443/services/T0/B0/xyz",
        "https://hooks.slack.com:443/services/T0/B0/xyz",
        "https://54.192.0.1/services/T0/B0/xyz",
        "https://[::1]/services/T0/B0/xyz",
        "https://127.0.0.1/services/T0/B0/xyz",
        "https://xn--hoks-slack-9db.com/services/T0/B0/xyz",
        "https://hooks.slаck.com/services/T0/B0/xyz",
        "https://hooks.slack.com./services/T0/B0/xyz",
        "https://HOOKS.SLACK.COM.evil.com/services/T0/B0/xyz",
        "https://hooks.slack.com/api/T0/B0/xyz",
        "https://hooks.slack.com/services/T0/B0/xyz?redirect=https://evil.com",
        "https://hooks.slack.com/services/T0/B0/xyz#frag",
        "https://hooks.slack.com/services/%2e%2e/B0/xyz",
        "https://hooks.slack.com\\@evil.com/services/T0/B0/xyz",
        "javascript:alert(1)",
        "https://hooks.slack.com/services/T0/B0/xyz/../../../evil",
        "hooks.slack.com/services/T0/B0/xyz",
      })
  void rejectsSlackUrlLookalikes(String url) {
    String body =
        BUDGET.replace(
            "https://hooks.slack.com/services/T0ABCDEF/B0123/XyZsecret", url.replace("\\", "\\\\"));
    web.post()
        .uri("/api/obs/alerts/rules")
        .header("X-Beacon-Identity", owner(newWorkspace()))
        .header("Content-Type", "application/json")
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_slack_url");
  }

  @Test
  void acceptsARealSlackWebhookUrl() {
    assertThat(
            new SlackUrlPolicy(java.util.List.of())
                .problem("https://hooks.slack.com/services/T024BE7LD/B01ABCDEF/abcdEFGH1234ijkl"))
        .isNull();
  }
}

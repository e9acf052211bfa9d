package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Slack's tools against a stand-in speaking Slack's Web API, whose refusals are HTTP 200 {@code
 * {"ok": false, "error"}}.
 */
class SlackToolsApplicationTests extends ProviderToolsStandIns {

  private static final String POST = "/slack-api/chat.postMessage";

  @Test
  void postMessageSendsJsonWithTheBotToken() {
    Connected slack = connectSlack(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo(POST))
            .withHeader("Authorization", equalTo(slack.bearer()))
            .willReturn(
                okJson(
                    """
                    {"ok": true, "channel": "C123ABC456", "ts": "1503435956.000247",
                     "message": {"text": "Deploy finished", "type": "message"}}
                    """)));

    JsonNode result =
        run(
            slack.workspace(),
            "slack.post_message",
            Map.of(
                "channel",
                "C123ABC456",
                "text",
                "Deploy finished",
                "thread_ts",
                "1503435000.000100"));

    assertThat(result.get("status").asString()).isEqualTo("ok");
    assertThat(result.get("result").asString())
        .isEqualTo("Posted to C123ABC456 (ts 1503435956.000247).");
    PROVIDERS.verify(
        1,
        postRequestedFor(urlEqualTo(POST))
            .withHeader("Authorization", equalTo(slack.bearer()))
            .withHeader("Content-Type", equalTo("application/json;charset=UTF-8"))
            .withRequestBody(
                equalToJson(
                    "{\"channel\": \"C123ABC456\", \"text\": \"Deploy finished\","
                        + " \"thread_ts\": \"1503435000.000100\"}")));
  }

  @ParameterizedTest
  @CsvSource({
    "invalid_auth, needs_reauth, needs_reauth",
    "token_revoked, needs_reauth, needs_reauth",
    "channel_not_found, not_found, ok",
    "ratelimited, rate_limited, ok",
    "is_archived, provider_error, ok"
  })
  void slacksRefusalsInAnHttp200AreMapped(String slackError, String code, String status) {
    Connected slack = connectSlack(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo(POST))
            .withHeader("Authorization", equalTo(slack.bearer()))
            .willReturn(okJson("{\"ok\": false, \"error\": \"" + slackError + "\"}")));

    JsonNode result =
        run(slack.workspace(), "slack.post_message", Map.of("channel", "#gone", "text", "hi"));

    assertError(result, code);
    assertThat(result.get("error").get("message").asString()).doesNotContain(slack.token());
    JsonNode connection = connections(slack.workspace()).get(0);
    assertThat(connection.get("status").asString()).isEqualTo(status);
    if (code.equals("not_found")) {
      assertThat(result.get("error").get("message").asString())
          .isEqualTo(
              "Slack has no channel #gone, or the Beacon app cannot see it (channel_not_found).");
      assertThat(connection.get("last_error").isNull()).isTrue();
    } else {
      assertThat(connection.get("last_error").get("code").asString()).isEqualTo(code);
    }
    if (status.equals("needs_reauth")) {
      assertThat(toolNames(slack.workspace())).containsExactly("web_fetch");
    }
  }

  @Test
  void anHttp429IsRateLimitedWithItsRetryAfter() {
    Connected slack = connectSlack(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo(POST))
            .withHeader("Authorization", equalTo(slack.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "7")
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"ok\": false, \"error\": \"ratelimited\"}")));

    JsonNode result =
        run(slack.workspace(), "slack.post_message", Map.of("channel", "C1", "text", "hi"));

    assertError(result, "rate_limited");
    assertThat(result.get("error").get("message").asString())
        .startsWith("Slack is rate limiting these calls; retry after 7 seconds (at ");
  }

  @Test
  void listChannelsReadsConversationsListBounded() {
    Connected slack = connectSlack(workspace());
    String path =
        "/slack-api/conversations.list?types=public_channel&exclude_archived=true&limit=2";
    PROVIDERS.stubFor(
        get(urlEqualTo(path))
            .withHeader("Authorization", equalTo(slack.bearer()))
            .willReturn(
                okJson(
                    """
                    {"ok": true, "channels": [
                      {"id": "C012AB3CD", "name": "general", "is_channel": true, "is_member": true,
                       "num_members": 4, "topic": {"value": "Company-wide", "creator": "U1"},
                       "purpose": {"value": "All"}},
                      {"id": "C061EG9T2", "name": "random", "is_member": false, "num_members": 3,
                       "topic": {"value": "%s"}},
                      {"id": "C0EXTRA00", "name": "one-too-many"}],
                     "response_metadata": {"next_cursor": "dGVhbTpDMDYxRkE1UEI="}}
                    """
                        .formatted("t".repeat(300)))));

    JsonNode listed = okResult(run(slack.workspace(), "slack.list_channels", Map.of("limit", 2)));

    PROVIDERS.verify(
        1, getRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo(slack.bearer())));
    assertThat(listed.get("channels")).hasSize(2);
    assertThat(listed.get("channels").get(0).toString())
        .isEqualTo(
            "{\"id\":\"C012AB3CD\",\"name\":\"general\",\"is_member\":true,\"num_members\":4,"
                + "\"topic\":\"Company-wide\"}");
    assertThat(listed.get("channels").get(1).get("topic").asString()).hasSize(201);
    assertThat(listed.get("more").asBoolean()).isTrue();
  }
}

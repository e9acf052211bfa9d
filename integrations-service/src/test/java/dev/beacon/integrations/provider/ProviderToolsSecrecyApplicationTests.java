package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * No access token in a tool's answer or in any log line, with every logger at DEBUG, even when the
 * provider echoes it back in its error — JSON or plain text, for every provider.
 */
class ProviderToolsSecrecyApplicationTests extends ProviderToolsStandIns {

  @Test
  void theAccessTokenIsInNoAnswerAndNoLogLine() {
    Connected slack = connectSlack(workspace());
    Connected github = connectGitHub(slack.workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo("/slack-api/chat.postMessage"))
            .withHeader("Authorization", equalTo(slack.bearer()))
            .willReturn(okJson("{\"ok\": true, \"channel\": \"C1\", \"ts\": \"1.2\"}")));
    PROVIDERS.stubFor(
        get(urlEqualTo("/github-api/repos/octocat/echo/pulls/1"))
            .withHeader("Authorization", equalTo(github.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"message\": \"Bad credentials: " + github.token() + "\"}")));

    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level level = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    List<String> lines = new ArrayList<>();
    try {
      lines.add(
          run(slack.workspace(), "slack.post_message", Map.of("channel", "C1", "text", "hi"))
              .toString());
      lines.add(
          run(
                  slack.workspace(),
                  "github.get_pull_request",
                  Map.of("owner", "octocat", "repo", "echo", "number", 1))
              .toString());
      lines.add(connections(slack.workspace()).toString());
    } finally {
      root.setLevel(level);
      root.detachAppender(logs);
    }

    assertThat(lines.get(0)).contains("Posted to C1");
    assertThat(lines.get(1)).contains("needs_reauth").contains("Bad credentials: [token]");
    for (ILoggingEvent event : logs.list) {
      lines.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
    }
    assertThat(logs.list).isNotEmpty();
    assertThat(lines)
        .allSatisfy(
            line -> assertThat(line).doesNotContain(slack.token()).doesNotContain(github.token()));
  }

  @Test
  void theTokensOfNotionTodoistDropboxAndSpotifyAreInNoAnswerAndNoLogLine() {
    String ws = workspace();
    Connected notion = connectNotion(ws);
    Connected todoist = connectTodoist(ws);
    Connected dropbox = connectDropbox(ws);
    Connected spotify = connectSpotify(ws);
    // each one echoes the token back in a refusal
    PROVIDERS.stubFor(
        post(urlEqualTo("/notion-api/v1/search"))
            .withHeader("Authorization", equalTo(notion.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"object\": \"error\", \"status\": 400, \"code\": \"validation_error\","
                            + " \"message\": \"bad token "
                            + notion.token()
                            + "\"}")));
    PROVIDERS.stubFor(
        post(urlEqualTo("/todoist-api/api/v1/tasks"))
            .withHeader("Authorization", equalTo(todoist.bearer()))
            .willReturn(aResponse().withStatus(403).withBody("Forbidden: " + todoist.token())));
    PROVIDERS.stubFor(
        post(urlEqualTo("/dropbox-api/2/files/search_v2"))
            .withHeader("Authorization", equalTo(dropbox.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error_summary\": \"invalid_access_token " + dropbox.token() + "\"}")));
    PROVIDERS.stubFor(
        put(urlEqualTo("/spotify-api/v1/me/player/play"))
            .withHeader("Authorization", equalTo(spotify.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": {\"status\": 500, \"message\": \"oops "
                            + spotify.token()
                            + "\"}}")));

    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level level = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    List<String> lines = new ArrayList<>();
    try {
      lines.add(run(ws, "notion.search", Map.of("query", "x")).toString());
      lines.add(run(ws, "todoist.add_task", Map.of("content", "x")).toString());
      lines.add(run(ws, "dropbox.search", Map.of("query", "x")).toString());
      lines.add(run(ws, "spotify.play", Map.of()).toString());
      lines.add(connections(ws).toString());
    } finally {
      root.setLevel(level);
      root.detachAppender(logs);
    }

    assertThat(lines.subList(0, 4)).allSatisfy(line -> assertThat(line).contains("[token]"));
    for (ILoggingEvent event : logs.list) {
      lines.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
    }
    assertThat(logs.list).isNotEmpty();
    for (Connected connected : List.of(notion, todoist, dropbox, spotify)) {
      assertThat(lines).noneMatch(line -> line.contains(connected.token()));
    }
  }
}

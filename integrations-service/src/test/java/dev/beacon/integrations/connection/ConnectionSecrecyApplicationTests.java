package dev.beacon.integrations.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.test.StepVerifier;

/**
 * No token in any answer or log line: a whole Google cycle (authorize, callback, list, refresh, a
 * refused refresh, disconnect), then one of Notion, Todoist, Dropbox and Spotify (whose token
 * requests are JSON, Basic-authenticated forms or plain forms), with every logger at DEBUG, then
 * every answer and log line (with its stack traces) is searched for the tokens.
 */
class ConnectionSecrecyApplicationTests extends ConnectionSteps {

  @Test
  void theTokensAreInNoAnswerAndNoLogLine() {
    String ws = workspace();
    String access = "ya29.SECRET-ACCESS-" + UUID.randomUUID();
    String refresh = "1//SECRET-REFRESH-" + UUID.randomUUID();
    String fresh = "ya29.SECRET-FRESH-" + UUID.randomUUID();
    String code = "4/SECRET-CODE-" + UUID.randomUUID();

    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level level = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    List<String> answers = new ArrayList<>();
    try {
      String authorize =
          new String(
              web.post()
                  .uri("/api/integrations/connections/google/authorize")
                  .header(ForwardedIdentity.HEADER, as(ws, Role.MEMBER))
                  .exchange()
                  .expectStatus()
                  .isOk()
                  .expectBody()
                  .returnResult()
                  .getResponseBody());
      answers.add(authorize);
      String state =
          OAuthDance.query(JSON.readTree(authorize).get("authorization_url").asString())
              .get("state");
      PROVIDERS.stubFor(
          post(urlPathEqualTo("/google/token"))
              .withFormParam("code", equalTo(code))
              .willReturn(
                  okJson(
                      """
                      {"access_token": "%s", "expires_in": 5, "refresh_token": "%s",
                       "scope": "openid email", "token_type": "Bearer"}
                      """
                          .formatted(access, refresh))));
      PROVIDERS.stubFor(
          get(urlPathEqualTo("/google/userinfo"))
              .withHeader("Authorization", equalTo("Bearer " + access))
              .willReturn(okJson("{\"email\": \"grace@example.com\"}")));
      PROVIDERS.stubFor(
          post(urlPathEqualTo("/google/token"))
              .withFormParam("refresh_token", equalTo(refresh))
              .willReturn(
                  okJson(
                      "{\"access_token\": \"%s\", \"expires_in\": 1, \"token_type\": \"Bearer\"}"
                          .formatted(fresh))));
      web.get()
          .uri("/api/integrations/oauth/google/callback?code={code}&state={state}", code, state)
          .exchange()
          .expectStatus()
          .isFound();
      String list =
          new String(
              web.get()
                  .uri("/api/integrations/connections")
                  .header(ForwardedIdentity.HEADER, as(ws, Role.MEMBER))
                  .exchange()
                  .expectStatus()
                  .isOk()
                  .expectBody()
                  .returnResult()
                  .getResponseBody());
      answers.add(list);
      var connection = connections.list(ws).blockFirst();
      StepVerifier.create(tokens.accessToken(connection)).expectNext(fresh).verifyComplete();

      PROVIDERS.stubFor(
          post(urlPathEqualTo("/google/token"))
              .withFormParam("refresh_token", equalTo(refresh))
              .willReturn(
                  aResponse()
                      .withStatus(400)
                      .withHeader("Content-Type", "application/json")
                      .withBody("{\"error\": \"invalid_grant\"}")));
      StepVerifier.create(tokens.accessToken(connection)).expectError().verify();

      PROVIDERS.stubFor(
          post(urlPathEqualTo("/google/revoke")).willReturn(aResponse().withStatus(200)));
      web.delete()
          .uri("/api/integrations/connections/{id}", connection.id())
          .header(ForwardedIdentity.HEADER, as(ws, Role.MEMBER))
          .exchange()
          .expectStatus()
          .isNoContent();
    } finally {
      root.setLevel(level);
      root.detachAppender(logs);
    }

    assertThat(list(answers)).contains("grace@example.com");
    List<String> lines = new ArrayList<>(answers);
    for (ILoggingEvent event : logs.list) {
      lines.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
    }
    assertThat(logs.list).isNotEmpty();
    // the authorization code is not among them: Spring's request log names the callback's query at
    // DEBUG, and the code is single use and worthless without the PKCE verifier and client secret
    for (String secret : List.of(access, refresh, fresh)) {
      assertThat(lines).noneMatch(line -> line != null && line.contains(secret));
    }
    assertThat(
            logs.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(" connected google")))
        .hasSize(1);
  }

  @Test
  void theTokensOfNotionTodoistDropboxAndSpotifyAreInNoAnswerAndNoLogLine() {
    String ws = workspace();
    List<String> secrets = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    List<ILoggingEvent> logs =
        atDebug(
            () -> {
              for (String provider : List.of("notion", "todoist", "dropbox", "spotify")) {
                String access = provider + "-SECRET-ACCESS-" + UUID.randomUUID();
                String refresh = provider + "-SECRET-REFRESH-" + UUID.randomUUID();
                String fresh = provider + "-SECRET-FRESH-" + UUID.randomUUID();
                secrets.addAll(List.of(access, refresh, fresh));
                String answer =
                    """
                    {"access_token": "%s", "refresh_token": "%s", "expires_in": 5,
                     "token_type": "bearer", "workspace_name": "Acme HQ"}
                    """
                        .formatted(access, refresh);
                // the token endpoint answers by the body's code or refresh token, whatever its form
                String code = provider + "-code-" + UUID.randomUUID();
                PROVIDERS.stubFor(
                    post(urlPathEqualTo("/" + provider + "/token"))
                        .withRequestBody(containing(code))
                        .willReturn(okJson(answer)));
                PROVIDERS.stubFor(
                    post(urlPathEqualTo("/" + provider + "/token"))
                        .withRequestBody(containing(refresh))
                        .willReturn(
                            okJson(
                                "{\"access_token\": \"%s\", \"expires_in\": 3600}"
                                    .formatted(fresh))));
                PROVIDERS.stubFor(
                    any(urlPathMatching("/" + provider + "/(user|me|2/users/get_current_account)"))
                        .willReturn(okJson("{\"email\": \"grace@example.com\"}")));
                PROVIDERS.stubFor(
                    post(urlPathMatching("/" + provider + "/(revoke|2/auth/token/revoke)"))
                        .willReturn(okJson("{}")));
                Map<String, String> query = authorize(ws, provider);
                callback(provider, code, query.get("state"));
                String id = lastConnectionId(ws);
                answers.add(list(ws, Role.MEMBER).toString());
                StepVerifier.create(tokens.accessToken(connection(ws, id)))
                    .expectNext(fresh)
                    .verifyComplete();
                disconnect(ws, id, 204);
              }
            });

    assertThat(String.join("\n", answers)).contains("Acme HQ").contains("grace@example.com");
    List<String> lines = new ArrayList<>(answers);
    lines.addAll(lines(logs));
    assertThat(logs).isNotEmpty();
    for (String secret : secrets) {
      assertThat(lines).noneMatch(line -> line != null && line.contains(secret));
    }
    assertThat(
            logs.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(" disconnected ")))
        .hasSize(4);
  }

  /** Runs {@code work} with every logger at DEBUG; what was logged. */
  static List<ILoggingEvent> atDebug(Runnable work) {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level level = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    try {
      work.run();
    } finally {
      root.setLevel(level);
      root.detachAppender(logs);
    }
    return logs.list;
  }

  /** Each event's message and stack trace. */
  static List<String> lines(List<ILoggingEvent> logs) {
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : logs) {
      lines.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
    }
    return lines;
  }

  private static String list(List<String> answers) {
    return String.join("\n", answers);
  }
}

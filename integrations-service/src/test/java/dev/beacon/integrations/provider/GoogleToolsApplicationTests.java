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
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Gmail, Calendar and Drive against stand-ins speaking Google's APIs: the exact requests (paths,
 * queries, the RFC 2822 message), the bounded answers, scopes deciding which tools a connection
 * offers, and a tool that runs out of time.
 */
class GoogleToolsApplicationTests extends ProviderToolsStandIns {

  private static final String MESSAGES = "/gmail-api/gmail/v1/users/me/messages";
  private static final String EVENTS = "/googleapis/calendar/v3/calendars/primary/events";

  @Test
  void gmailSearchListsThenReadsTheMetadataOfEachMessage() {
    Connected google = connectGoogle(workspace(), ALL_GOOGLE_SCOPES);
    String list = MESSAGES + "?q=from%3Aada%40example.com%20newer_than%3A7d&maxResults=2";
    PROVIDERS.stubFor(
        get(urlEqualTo(list))
            .withHeader("Authorization", equalTo(google.bearer()))
            .willReturn(
                okJson(
                    """
                    {"messages": [{"id": "18c1a", "threadId": "18c1a"},
                                  {"id": "18c1b", "threadId": "18c0f"}],
                     "nextPageToken": "0912", "resultSizeEstimate": 14}
                    """)));
    for (String id : List.of("18c1a", "18c1b")) {
      PROVIDERS.stubFor(
          get(urlEqualTo(
                  MESSAGES
                      + "/"
                      + id
                      + "?format=metadata&metadataHeaders=Subject&metadataHeaders=From"
                      + "&metadataHeaders=Date"))
              .withHeader("Authorization", equalTo(google.bearer()))
              .willReturn(
                  okJson(
                      """
                      {"id": "%s", "threadId": "t-%s", "labelIds": ["INBOX"],
                       "snippet": "Quarterly numbers %s", "internalDate": "1733650000000",
                       "payload": {"mimeType": "multipart/alternative", "headers": [
                         {"name": "From", "value": "Ada <ada@example.com>"},
                         {"name": "Date", "value": "Mon, 7 Dec 2026 09:00:00 +0000"},
                         {"name": "Subject", "value": "Numbers %s"}]}}
                      """
                          .formatted(id, id, "y".repeat(400), id))));
    }

    JsonNode found =
        okResult(
            run(
                google.workspace(),
                "gmail.search",
                Map.of("query", "from:ada@example.com newer_than:7d", "max_results", 2)));

    PROVIDERS.verify(
        1, getRequestedFor(urlEqualTo(list)).withHeader("Authorization", equalTo(google.bearer())));
    for (String id : List.of("18c1a", "18c1b")) {
      PROVIDERS.verify(
          1,
          getRequestedFor(urlPathEqualTo(MESSAGES + "/" + id))
              .withHeader("Authorization", equalTo(google.bearer())));
    }
    assertThat(found.get("result_size_estimate").asInt()).isEqualTo(14);
    JsonNode messages = found.get("messages");
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).get("id").asString()).isEqualTo("18c1a");
    assertThat(messages.get(0).get("from").asString()).isEqualTo("Ada <ada@example.com>");
    assertThat(messages.get(0).get("subject").asString()).isEqualTo("Numbers 18c1a");
    assertThat(messages.get(0).get("date").asString()).isEqualTo("Mon, 7 Dec 2026 09:00:00 +0000");
    assertThat(messages.get(0).get("snippet").asString()).hasSize(301).endsWith("…");
    assertThat(messages.get(1).get("thread_id").asString()).isEqualTo("t-18c1b");
  }

  @Test
  void gmailSendPostsTheMessageAsBase64UrlRfc2822() {
    Connected google = connectGoogle(workspace(), ALL_GOOGLE_SCOPES);
    PROVIDERS.stubFor(
        post(urlEqualTo(MESSAGES + "/send"))
            .withHeader("Authorization", equalTo(google.bearer()))
            .willReturn(
                okJson("{\"id\": \"18c2f\", \"threadId\": \"18c2f\", \"labelIds\": [\"SENT\"]}")));

    JsonNode result =
        run(
            google.workspace(),
            "gmail.send",
            Map.of(
                "to", "bob@example.com",
                "cc", "carol@example.com",
                "subject", "Grüße",
                "body", "Hello Bob,\nthe numbers are in."));

    assertThat(result.get("result").asString()).isEqualTo("Sent message 18c2f to bob@example.com.");
    List<LoggedRequest> sent =
        PROVIDERS.findAll(
            postRequestedFor(urlEqualTo(MESSAGES + "/send"))
                .withHeader("Authorization", equalTo(google.bearer()))
                .withHeader("Content-Type", equalTo("application/json;charset=UTF-8")));
    assertThat(sent).hasSize(1);
    JsonNode body = JSON.readTree(sent.get(0).getBodyAsString());
    assertThat(body.propertyNames()).containsExactly("raw");
    String raw = body.get("raw").asString();
    assertThat(raw).matches("[A-Za-z0-9_=-]+");
    String message = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
    String[] parts = message.split("\r\n\r\n", 2);
    assertThat(parts[0])
        .isEqualTo(
            "To: bob@example.com\r\n"
                + "Cc: carol@example.com\r\n"
                + "Subject: =?UTF-8?B?"
                + Base64.getEncoder().encodeToString("Grüße".getBytes(StandardCharsets.UTF_8))
                + "?=\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=\"UTF-8\"\r\n"
                + "Content-Transfer-Encoding: base64");
    assertThat(new String(Base64.getMimeDecoder().decode(parts[1]), StandardCharsets.UTF_8))
        .isEqualTo("Hello Bob,\nthe numbers are in.");
  }

  @Test
  void aHeaderWithALineBreakIsRefusedBeforeAnythingIsSent() {
    Connected google = connectGoogle(workspace(), ALL_GOOGLE_SCOPES);

    JsonNode error =
        refused(
            google.workspace(),
            "gmail.send",
            Map.of(
                "to", "bob@example.com",
                "subject", "hi\r\nBcc: eve@example.com",
                "body", "x"),
            400);

    assertThat(error.get("code").asString()).isEqualTo("invalid_arguments");
    assertThat(error.get("field").asString()).isEqualTo("subject");
    PROVIDERS.verify(
        0,
        postRequestedFor(urlEqualTo(MESSAGES + "/send"))
            .withHeader("Authorization", equalTo(google.bearer())));
  }

  @Test
  void calendarListEventsAsksForSingleEventsInOrderWithinTheRange() {
    Connected google = connectGoogle(workspace(), ALL_GOOGLE_SCOPES);
    String path =
        EVENTS
            + "?timeMin=2026-12-08T09%3A00%3A00%2B01%3A00&timeMax=2026-12-09T00%3A00%3A00Z"
            + "&singleEvents=true&orderBy=startTime&maxResults=5&q=standup";
    PROVIDERS.stubFor(
        get(urlEqualTo(path))
            .withHeader("Authorization", equalTo(google.bearer()))
            .willReturn(
                okJson(
                    """
                    {"kind": "calendar#events", "summary": "ada@example.com", "items": [
                      {"id": "ev1", "status": "confirmed", "summary": "Standup",
                       "htmlLink": "https://www.google.com/calendar/event?eid=ev1",
                       "start": {"dateTime": "2026-12-08T10:00:00+01:00"},
                       "end": {"dateTime": "2026-12-08T10:15:00+01:00"},
                       "attendees": [{"email": "a@example.com"}, {"email": "b@example.com"}]},
                      {"id": "ev2", "summary": "Offsite", "start": {"date": "2026-12-08"},
                       "end": {"date": "2026-12-09"}}]}
                    """)));

    JsonNode listed =
        okResult(
            run(
                google.workspace(),
                "calendar.list_events",
                Map.of(
                    "time_min", "2026-12-08T09:00:00+01:00",
                    "time_max", "2026-12-09T00:00:00Z",
                    "query", "standup",
                    "max_results", 5)));

    PROVIDERS.verify(
        1, getRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo(google.bearer())));
    JsonNode events = listed.get("events");
    assertThat(events).hasSize(2);
    assertThat(events.get(0).get("summary").asString()).isEqualTo("Standup");
    assertThat(events.get(0).get("start").asString()).isEqualTo("2026-12-08T10:00:00+01:00");
    assertThat(events.get(0).get("attendees").asInt()).isEqualTo(2);
    assertThat(events.get(1).get("start").asString()).isEqualTo("2026-12-08");
  }

  @Test
  void calendarCreateEventPostsTheEvent() {
    Connected google = connectGoogle(workspace(), ALL_GOOGLE_SCOPES);
    PROVIDERS.stubFor(
        post(urlEqualTo(EVENTS))
            .withHeader("Authorization", equalTo(google.bearer()))
            .willReturn(
                okJson(
                    "{\"id\": \"ev9\", \"status\": \"confirmed\","
                        + " \"htmlLink\": \"https://www.google.com/calendar/event?eid=ev9\"}")));

    JsonNode result =
        run(
            google.workspace(),
            "calendar.create_event",
            Map.of(
                "summary", "Review",
                "start", "2026-12-10T14:00:00Z",
                "end", "2026-12-10T15:00:00Z",
                "location", "Room 4",
                "attendees", "bob@example.com, carol@example.com"));

    assertThat(result.get("result").asString())
        .isEqualTo("Created event ev9: https://www.google.com/calendar/event?eid=ev9");
    PROVIDERS.verify(
        1,
        postRequestedFor(urlEqualTo(EVENTS))
            .withHeader("Authorization", equalTo(google.bearer()))
            .withRequestBody(
                equalToJson(
                    """
                    {"summary": "Review", "location": "Room 4",
                     "start": {"dateTime": "2026-12-10T14:00:00Z"},
                     "end": {"dateTime": "2026-12-10T15:00:00Z"},
                     "attendees": [{"email": "bob@example.com"}, {"email": "carol@example.com"}]}
                    """)));
    JsonNode backwards =
        refused(
            google.workspace(),
            "calendar.create_event",
            Map.of("summary", "x", "start", "2026-12-10T15:00:00Z", "end", "2026-12-10T14:00:00Z"),
            400);
    assertThat(backwards.get("field").asString()).isEqualTo("end");
  }

  @Test
  void driveSearchAsksForNamesContainingTheTextEscaped() {
    Connected google = connectGoogle(workspace(), ALL_GOOGLE_SCOPES);
    String path =
        "/googleapis/drive/v3/files?q=name%20contains%20%27Ada%5C%27s%20plan%27%20and%20trashed"
            + "%20%3D%20false&pageSize=3&fields=files%28id%2Cname%2CmimeType%2CmodifiedTime"
            + "%2CwebViewLink%29";
    PROVIDERS.stubFor(
        get(urlEqualTo(path))
            .withHeader("Authorization", equalTo(google.bearer()))
            .willReturn(
                okJson(
                    """
                    {"files": [{"id": "1a2b", "name": "Ada's plan 2027",
                      "mimeType": "application/vnd.google-apps.document",
                      "modifiedTime": "2026-12-01T10:00:00.000Z",
                      "webViewLink": "https://docs.google.com/document/d/1a2b/edit"}]}
                    """)));

    JsonNode found =
        okResult(
            run(
                google.workspace(),
                "drive.search",
                Map.of("name", "Ada's plan", "max_results", 3)));

    PROVIDERS.verify(
        1, getRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo(google.bearer())));
    assertThat(found.get("files").get(0).toString())
        .isEqualTo(
            "{\"id\":\"1a2b\",\"name\":\"Ada's plan 2027\","
                + "\"mime_type\":\"application/vnd.google-apps.document\","
                + "\"modified_time\":\"2026-12-01T10:00:00.000Z\","
                + "\"url\":\"https://docs.google.com/document/d/1a2b/edit\"}");
  }

  @Test
  void aProviderSlowerThanTheToolsTimeoutIsATimeout() {
    Connected google = connectGoogle(workspace(), ALL_GOOGLE_SCOPES);
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/googleapis/drive/v3/files"))
            .withHeader("Authorization", equalTo(google.bearer()))
            .willReturn(okJson("{\"files\": []}").withFixedDelay(3_000)));

    long started = System.nanoTime();
    JsonNode result = run(google.workspace(), SHORT_TIMEOUT_TOOL, Map.of("name", "slow"));

    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_900);
    assertError(result, "timeout");
    assertThat(result.get("error").get("message").asString())
        .isEqualTo("Google did not answer within 1000 ms.");
    JsonNode connection = connections(google.workspace()).get(0);
    assertThat(connection.get("status").asString()).isEqualTo("ok");
    assertThat(connection.get("last_error").get("code").asString()).isEqualTo("timeout");
  }

  @Test
  void aTokenRefreshSlowerThanTheToolsTimeoutIsATimeoutAndSendsNothing() {
    String refresh = unique("1//");
    Connected google = connectGoogle(workspace(), ALL_GOOGLE_SCOPES, 30, refresh);
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/google/token"))
            .withFormParam("refresh_token", equalTo(refresh))
            .willReturn(
                okJson("{\"access_token\": \"ya29.late\", \"expires_in\": 3599}")
                    .withFixedDelay(3_000)));

    JsonNode result = run(google.workspace(), SHORT_TIMEOUT_TOOL, Map.of("name", "x"));

    assertError(result, "timeout");
    assertThat(result.get("error").get("message").asString())
        .isEqualTo("Google did not refresh the connection's token within 1000 ms.");
    PROVIDERS.verify(
        0,
        getRequestedFor(urlPathEqualTo("/googleapis/drive/v3/files"))
            .withHeader("Authorization", equalTo(google.bearer())));
  }

  @Test
  void aConnectionOffersOnlyTheToolsItsGrantedScopesCover() {
    Connected google =
        connectGoogle(workspace(), List.of("openid", "email", GOOGLE_SCOPES + "gmail.send"));

    assertThat(toolNames(google.workspace())).containsExactly("gmail.send", "web_fetch");
    JsonNode error = refused(google.workspace(), "gmail.search", Map.of("query", "x"), 404);
    assertThat(error.get("code").asString()).isEqualTo("unknown_tool");

    connectGoogle(google.workspace(), ALL_GOOGLE_SCOPES);
    assertThat(toolNames(google.workspace()))
        .containsExactly(
            "calendar.create_event",
            "calendar.list_events",
            "drive.search",
            "gmail.search",
            "gmail.send",
            "web_fetch");
  }

  @Test
  void googlesUnauthorizedAndRateLimitAnswersAreMapped() {
    Connected google = connectGoogle(workspace(), ALL_GOOGLE_SCOPES);
    PROVIDERS.stubFor(
        get(urlPathEqualTo(EVENTS))
            .withHeader("Authorization", equalTo(google.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"error": {"code": 403, "message": "Rate Limit Exceeded",
                          "errors": [{"domain": "usageLimits", "reason": "rateLimitExceeded",
                                      "message": "Rate Limit Exceeded"}]}}
                        """)));
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/googleapis/drive/v3/files"))
            .withHeader("Authorization", equalTo(google.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"error": {"code": 401, "status": "UNAUTHENTICATED",
                          "message": "Request had invalid authentication credentials."}}
                        """)));

    JsonNode limited = run(google.workspace(), "calendar.list_events", Map.of());
    JsonNode unauthorized = run(google.workspace(), "drive.search", Map.of("name", "x"));

    assertError(limited, "rate_limited");
    assertThat(limited.get("error").get("message").asString())
        .isEqualTo("Google is rate limiting these calls; retry later.");
    assertError(unauthorized, "needs_reauth");
    assertThat(unauthorized.get("error").get("message").asString())
        .contains("Request had invalid authentication credentials.");
    assertThat(connections(google.workspace()).get(0).get("status").asString())
        .isEqualTo("needs_reauth");
    assertThat(toolNames(google.workspace())).containsExactly("web_fetch");
    assertError(run(google.workspace(), "gmail.search", Map.of("query", "x")), "needs_reauth");
  }
}

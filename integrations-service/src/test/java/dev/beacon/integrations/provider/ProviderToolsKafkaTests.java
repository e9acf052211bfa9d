package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every request a provider tool sends is one {@code service_call} on {@code obs.service-calls.v1}
 * (service = the provider), with the tool's status and error; a call that sends nothing publishes
 * nothing; no {@code tool_call} is published (the caller that runs the loop does, ADR 0019).
 */
class ProviderToolsKafkaTests extends ProviderToolsStandIns {

  @BeforeAll
  static void readEvents() {
    EventLog.start();
  }

  @Test
  void eachProviderRequestIsOneServiceCallAndNothingElse() {
    String ws = workspace();
    Connected github = connectGitHub(ws);
    Connected slack = connectSlack(ws);
    Connected google = connectGoogle(ws, ALL_GOOGLE_SCOPES);
    PROVIDERS.stubFor(
        get(urlEqualTo("/github-api/repos/octocat/hello-world/pulls/3"))
            .withHeader("Authorization", equalTo(github.bearer()))
            .willReturn(okJson("{\"number\": 3, \"title\": \"t\", \"body\": null}")));
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/gmail-api/gmail/v1/users/me/messages"))
            .withHeader("Authorization", equalTo(google.bearer()))
            .willReturn(
                okJson(
                    "{\"messages\": [{\"id\": \"m1\", \"threadId\": \"m1\"},"
                        + " {\"id\": \"m2\", \"threadId\": \"m2\"}], \"resultSizeEstimate\": 2}")));
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/gmail-api/gmail/v1/users/me/messages/m1"))
            .withHeader("Authorization", equalTo(google.bearer()))
            .willReturn(okJson("{\"id\": \"m1\", \"snippet\": \"one\"}")));
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/gmail-api/gmail/v1/users/me/messages/m2"))
            .withHeader("Authorization", equalTo(google.bearer()))
            .willReturn(aResponse().withStatus(404)));
    PROVIDERS.stubFor(
        post(urlEqualTo("/slack-api/chat.postMessage"))
            .withHeader("Authorization", equalTo(slack.bearer()))
            .willReturn(okJson("{\"ok\": false, \"error\": \"token_revoked\"}")));

    okResult(
        run(
            ws,
            "github.get_pull_request",
            Map.of("owner", "octocat", "repo", "hello-world", "number", 3)));
    JsonNode found = okResult(run(ws, "gmail.search", Map.of("query", "in:inbox")));
    // m2 was deleted between the search and its read: left out
    assertThat(found.get("messages")).hasSize(1);
    assertThat(found.get("messages").get(0).get("snippet").asString()).isEqualTo("one");
    assertError(
        run(ws, "slack.post_message", Map.of("channel", "C1", "text", "hi")), "needs_reauth");
    // these send nothing: the connection needs reconnecting, the arguments are wrong
    assertError(
        run(ws, "slack.post_message", Map.of("channel", "C1", "text", "hi")), "needs_reauth");
    refused(ws, "github.get_pull_request", Map.of("owner", "..", "repo", "r", "number", 1), 400);

    await().atMost(Duration.ofSeconds(20)).until(() -> EventLog.of(ws).size() >= 5);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> EventLog.of(ws).size() == 5);
    List<EventLog.Received> received = EventLog.of(ws);
    assertThat(received)
        .allSatisfy(
            r -> {
              assertThat(r.topic()).isEqualTo(Topics.SERVICE_CALLS.name());
              assertThat(r.key()).isEqualTo(Topics.eventKey(ws, "agent-1"));
              assertThat(r.event().type()).isEqualTo(EventType.SERVICE_CALL);
              assertThat(r.event().agentId()).isEqualTo("agent-1");
              assertThat(r.event().durationMs()).isBetween(0L, 5_000L);
              assertThat(r.event().metadata()).containsEntry("source", "integrations-service");
              assertThat(r.event().toString())
                  .doesNotContain(github.token())
                  .doesNotContain(slack.token())
                  .doesNotContain(google.token());
            });
    List<ObsEvent> events = received.stream().map(EventLog.Received::event).toList();
    assertThat(events.stream().map(ObsEvent::eventId).distinct()).hasSize(5);
    Map<String, Long> byOperation =
        events.stream()
            .collect(
                Collectors.groupingBy(
                    e -> e.service().name() + " " + e.service().operation(),
                    Collectors.counting()));
    assertThat(byOperation)
        .isEqualTo(
            Map.of(
                "github pulls.get", 1L,
                "google gmail.messages.list", 1L,
                "google gmail.messages.get", 2L,
                "slack chat.postMessage", 1L));

    ObsEvent pr = only(events, "pulls.get");
    assertThat(pr.status()).isEqualTo(EventStatus.OK);
    assertThat(pr.error()).isNull();
    assertThat(pr.metadata())
        .containsEntry("tool", "github.get_pull_request")
        .containsEntry("call_id", "call-github.get_pull_request")
        .containsEntry("connection_id", github.id())
        .containsEntry("host", "127.0.0.1")
        .containsEntry("http_status", 200);

    List<ObsEvent> gmail =
        events.stream().filter(e -> e.service().name().equals("google")).toList();
    assertThat(gmail.stream().map(ObsEvent::traceId).distinct()).hasSize(1);
    assertThat(gmail.stream().map(ObsEvent::traceId).findFirst()).isNotEqualTo(pr.traceId());
    ObsEvent deleted =
        gmail.stream()
            .filter(e -> Integer.valueOf(404).equals(e.metadata().get("http_status")))
            .findFirst()
            .orElseThrow();
    assertThat(deleted.status()).isEqualTo(EventStatus.ERROR);
    assertThat(deleted.error().type()).isEqualTo("not_found");

    ObsEvent revoked = only(events, "chat.postMessage");
    assertThat(revoked.status()).isEqualTo(EventStatus.ERROR);
    assertThat(revoked.error().type()).isEqualTo("needs_reauth");
    assertThat(revoked.error().message()).contains("token_revoked");
    assertThat(revoked.metadata())
        .containsEntry("tool", "slack.post_message")
        .containsEntry("connection_id", slack.id())
        .containsEntry("http_status", 200);
  }

  @Test
  void theRequestsOfNotionTodoistDropboxAndSpotifyAreOneServiceCallEach() {
    String ws = workspace();
    Connected notion = connectNotion(ws);
    Connected todoist = connectTodoist(ws);
    Connected dropbox = connectDropbox(ws);
    Connected spotify = connectSpotify(ws);
    PROVIDERS.stubFor(
        post(urlEqualTo("/notion-api/v1/search"))
            .withHeader("Authorization", equalTo(notion.bearer()))
            .willReturn(okJson("{\"object\": \"list\", \"results\": [], \"has_more\": false}")));
    PROVIDERS.stubFor(
        post(urlEqualTo("/todoist-api/api/v1/tasks"))
            .withHeader("Authorization", equalTo(todoist.bearer()))
            .willReturn(okJson("{\"id\": \"6X7rM8997g3RQmvh\", \"content\": \"Buy milk\"}")));
    PROVIDERS.stubFor(
        post(urlEqualTo("/dropbox-api/2/files/search_v2"))
            .withHeader("Authorization", equalTo(dropbox.bearer()))
            .willReturn(okJson("{\"matches\": [], \"has_more\": false}")));
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/spotify-api/v1/search"))
            .withHeader("Authorization", equalTo(spotify.bearer()))
            .willReturn(okJson("{\"tracks\": {\"items\": []}}")));
    PROVIDERS.stubFor(
        put(urlEqualTo("/spotify-api/v1/me/player/play"))
            .withHeader("Authorization", equalTo(spotify.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": {\"status\": 404, \"message\": \"Player command failed: No"
                            + " active device found\", \"reason\": \"NO_ACTIVE_DEVICE\"}}")));

    okResult(run(ws, "notion.search", Map.of("query", "roadmap")));
    assertThat(run(ws, "todoist.add_task", Map.of("content", "Buy milk")).get("status").asString())
        .isEqualTo("ok");
    okResult(run(ws, "dropbox.search", Map.of("query", "invoice")));
    okResult(run(ws, "spotify.search", Map.of("query", "bowie")));
    assertError(
        run(ws, "spotify.play", Map.of("uri", "spotify:track:4uLU6hMCjMI75M1A2tKUQC")),
        "no_active_device");
    // refused before anything is sent: no event
    refused(ws, "spotify.play", Map.of("uri", "not-a-uri"), 400);

    await().atMost(Duration.ofSeconds(20)).until(() -> EventLog.of(ws).size() >= 5);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> EventLog.of(ws).size() == 5);
    List<EventLog.Received> received = EventLog.of(ws);
    assertThat(received)
        .allSatisfy(
            r -> {
              assertThat(r.topic()).isEqualTo(Topics.SERVICE_CALLS.name());
              assertThat(r.event().type()).isEqualTo(EventType.SERVICE_CALL);
              assertThat(r.event().agentId()).isEqualTo("agent-1");
              assertThat(r.event().metadata()).containsEntry("source", "integrations-service");
              assertThat(r.event().toString())
                  .doesNotContain(notion.token())
                  .doesNotContain(todoist.token())
                  .doesNotContain(dropbox.token())
                  .doesNotContain(spotify.token());
            });
    List<ObsEvent> events = received.stream().map(EventLog.Received::event).toList();
    assertThat(
            events.stream()
                .collect(
                    Collectors.groupingBy(
                        e -> e.service().name() + " " + e.service().operation(),
                        Collectors.counting())))
        .isEqualTo(
            Map.of(
                "notion search", 1L,
                "todoist tasks.create", 1L,
                "dropbox files.search_v2", 1L,
                "spotify search", 1L,
                "spotify player.play", 1L));
    ObsEvent task = only(events, "tasks.create");
    assertThat(task.status()).isEqualTo(EventStatus.OK);
    assertThat(task.metadata())
        .containsEntry("tool", "todoist.add_task")
        .containsEntry("call_id", "call-todoist.add_task")
        .containsEntry("connection_id", todoist.id())
        .containsEntry("http_status", 200);
    ObsEvent play = only(events, "player.play");
    assertThat(play.status()).isEqualTo(EventStatus.ERROR);
    assertThat(play.error().type()).isEqualTo("no_active_device");
    assertThat(play.metadata())
        .containsEntry("connection_id", spotify.id())
        .containsEntry("http_status", 404);
  }

  private static ObsEvent only(List<ObsEvent> events, String operation) {
    List<ObsEvent> found =
        events.stream().filter(e -> e.service().operation().equals(operation)).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }
}

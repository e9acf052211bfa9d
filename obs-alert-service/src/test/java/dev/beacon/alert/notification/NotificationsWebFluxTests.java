package dev.beacon.alert.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.alert.AlertTestKit;
import dev.beacon.events.EventType;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

class NotificationsWebFluxTests extends AlertTestKit {

  private static final String IN_APP_ONLY =
      """
      {"name": "Too many calls", "metric": "calls", "window": "1h", "comparator": "gte",
       "critical_threshold": "5", "renotify_minutes": 0, "channels": [{"type": "in_app"}]}
      """;

  @Test
  void listsUnreadNotificationsAndMarksThemRead() {
    String ws = newWorkspace();
    createRule(ws, IN_APP_ONLY);
    publish(update(ws, "bot", EventType.TOOL_CALL, "search", totals(7, 0, 0)));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> list(ws, "unread").get("unread").asInt() == 1);
    JsonNode notification = list(ws, "unread").get("notifications").get(0);
    assertThat(notification.get("severity").asString()).isEqualTo("critical");
    assertThat(notification.get("title").asString()).contains("Too many calls");
    assertThat(notification.get("body").asString()).contains("7");
    assertThat(notification.get("link").asString()).startsWith("https://beacon.example.com/alerts");
    assertThat(notification.get("read_at").isNull()).isTrue();

    web.post()
        .uri("/api/obs/notifications/" + notification.get("id").asString() + "/read")
        .header("X-Beacon-Identity", owner(ws))
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();
    assertThat(list(ws, "unread").get("unread").asInt()).isZero();
    assertThat(list(ws, "all").get("notifications").get(0).get("read_at").isNull()).isFalse();

    web.post()
        .uri("/api/obs/notifications/" + notification.get("id").asString() + "/read")
        .header("X-Beacon-Identity", owner(newWorkspace()))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("notification_not_found");
    web.post()
        .uri("/api/obs/notifications/read-all")
        .header("X-Beacon-Identity", owner(ws))
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();
  }

  @Test
  void streamsNewNotificationsOfTheCallersWorkspaceOnly() {
    String ws = newWorkspace();
    String other = newWorkspace();
    createRule(ws, IN_APP_ONLY);
    createRule(other, IN_APP_ONLY);

    Flux<ServerSentEvent<String>> stream =
        web.get()
            .uri("/api/obs/notifications/stream")
            .header("X-Beacon-Identity", owner(ws))
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
            .getResponseBody();

    StepVerifier.create(stream.filter(e -> "notification".equals(e.event())).take(1))
        .then(
            () -> {
              publish(update(other, "bot", EventType.TOOL_CALL, "search", totals(9, 0, 0)));
              publish(update(ws, "bot", EventType.TOOL_CALL, "search", totals(6, 0, 0)));
            })
        .assertNext(
            event -> {
              JsonNode data = JSON.readTree(event.data());
              assertThat(data.get("severity").asString()).isEqualTo("critical");
              assertThat(data.get("body").asString()).contains("6").doesNotContain("9");
            })
        .expectComplete()
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void rejectsAnUnknownStatusFilter() {
    web.get()
        .uri("/api/obs/notifications?status=maybe")
        .header("X-Beacon-Identity", owner(newWorkspace()))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_parameter");
  }

  private JsonNode list(String ws, String status) {
    return JSON.readTree(
        web.get()
            .uri("/api/obs/notifications?status=" + status)
            .header("X-Beacon-Identity", owner(ws))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody());
  }
}

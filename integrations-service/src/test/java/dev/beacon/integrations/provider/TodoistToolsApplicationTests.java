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

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Todoist's tools against a stand-in speaking Todoist's API v1: the exact requests, the bounded
 * answers, and Todoist's refusals mapped to the tools' codes.
 */
class TodoistToolsApplicationTests extends ProviderToolsStandIns {

  static final String TASK =
      """
      {"id": "6X7rM8997g3RQmvh", "user_id": "2671355", "project_id": "6Jf8VQXxpwv56VQ7",
       "section_id": null, "parent_id": null, "added_by_uid": "2671355", "assigned_by_uid": null,
       "responsible_uid": null, "labels": ["errand"], "deadline": null, "duration": null,
       "checked": false, "is_deleted": false, "added_at": "2026-12-08T09:00:00.000000Z",
       "completed_at": null, "updated_at": "2026-12-08T09:00:00.000000Z",
       "due": {"date": "2026-12-09", "string": "tomorrow", "lang": "en", "is_recurring": false,
               "timezone": null},
       "priority": 4, "child_order": 1, "content": "Buy milk", "description": "%s",
       "note_count": 0, "day_order": -1, "is_collapsed": false}
      """;

  @Test
  void addTaskPostsTheTaskToApiV1AndAnswersItsLink() {
    Connected todoist = connectTodoist(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo("/todoist-api/api/v1/tasks"))
            .withHeader("Authorization", equalTo(todoist.bearer()))
            .willReturn(okJson(TASK.formatted("2 litres"))));

    JsonNode result =
        run(
            todoist.workspace(),
            "todoist.add_task",
            Map.of(
                "content", "Buy milk",
                "description", "2 litres",
                "due_string", "tomorrow",
                "priority", 4,
                "labels", "errand, ",
                "project_id", "6Jf8VQXxpwv56VQ7"));

    assertThat(result.get("result").asString())
        .isEqualTo(
            "Added task 6X7rM8997g3RQmvh \"Buy milk\" (due tomorrow):"
                + " https://app.todoist.com/app/task/6X7rM8997g3RQmvh");
    PROVIDERS.verify(
        1,
        postRequestedFor(urlEqualTo("/todoist-api/api/v1/tasks"))
            .withHeader("Authorization", equalTo(todoist.bearer()))
            .withHeader("Content-Type", equalTo("application/json;charset=UTF-8"))
            .withRequestBody(
                equalToJson(
                    """
                    {"content": "Buy milk", "description": "2 litres",
                     "project_id": "6Jf8VQXxpwv56VQ7", "due_string": "tomorrow", "priority": 4,
                     "labels": ["errand"]}
                    """)));
  }

  @Test
  void listTasksReadsOneCursorPageOfTasks() {
    Connected todoist = connectTodoist(workspace());
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/todoist-api/api/v1/tasks"))
            .withHeader("Authorization", equalTo(todoist.bearer()))
            .willReturn(
                okJson(
                    "{\"results\": [%s], \"next_cursor\": \"eyJwYWdlIjoyfQ\"}"
                        .formatted(TASK.formatted("x".repeat(400))))));

    JsonNode listed =
        okResult(
            run(
                todoist.workspace(),
                "todoist.list_tasks",
                Map.of("project_id", "6Jf8VQXxpwv56VQ7", "max_results", 5)));

    PROVIDERS.verify(
        1,
        getRequestedFor(urlEqualTo("/todoist-api/api/v1/tasks?project_id=6Jf8VQXxpwv56VQ7&limit=5"))
            .withHeader("Authorization", equalTo(todoist.bearer())));
    JsonNode task = listed.get("tasks").get(0);
    assertThat(task.get("id").asString()).isEqualTo("6X7rM8997g3RQmvh");
    assertThat(task.get("content").asString()).isEqualTo("Buy milk");
    assertThat(task.get("description").asString()).hasSize(301).endsWith("…");
    assertThat(task.get("priority").asInt()).isEqualTo(4);
    assertThat(task.get("due").asString()).isEqualTo("tomorrow");
    assertThat(task.get("due_date").asString()).isEqualTo("2026-12-09");
    assertThat(task.get("labels").toString()).isEqualTo("[\"errand\"]");
    assertThat(task.get("url").asString())
        .isEqualTo("https://app.todoist.com/app/task/6X7rM8997g3RQmvh");
    assertThat(listed.get("more").asBoolean()).isTrue();
  }

  @Test
  void listTasksWithAFilterAsksTheFilterEndpointWithTheQueryEncoded() {
    Connected todoist = connectTodoist(workspace());
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/todoist-api/api/v1/tasks/filter"))
            .withHeader("Authorization", equalTo(todoist.bearer()))
            .willReturn(okJson("{\"results\": [], \"next_cursor\": null}")));

    JsonNode listed =
        okResult(
            run(todoist.workspace(), "todoist.list_tasks", Map.of("filter", "today | #Work & p1")));

    assertThat(listed.toString()).isEqualTo("{\"tasks\":[],\"more\":false}");
    PROVIDERS.verify(
        1,
        getRequestedFor(
                urlEqualTo(
                    "/todoist-api/api/v1/tasks/filter?query=today%20%7C%20%23Work%20%26%20p1&limit=20"))
            .withHeader("Authorization", equalTo(todoist.bearer())));
    assertThat(
            refused(
                    todoist.workspace(),
                    "todoist.list_tasks",
                    Map.of("filter", "today", "project_id", "6Jf8VQXxpwv56VQ7"),
                    400)
                .get("field")
                .asString())
        .isEqualTo("project_id");
  }

  @Test
  void todoistsRefusalsAreMapped() {
    Connected todoist = connectTodoist(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo("/todoist-api/api/v1/tasks"))
            .withHeader("Authorization", equalTo(todoist.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"error": "Invalid argument value", "error_code": 20,
                         "error_extra": {"argument": "project_id", "explanation": "not found"},
                         "error_tag": "INVALID_ARGUMENT_VALUE", "http_code": 400}
                        """)));
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/todoist-api/api/v1/tasks"))
            .withHeader("Authorization", equalTo(todoist.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "45")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": \"Too many requests\", \"error_tag\": \"LIMITS_REACHED\","
                            + " \"http_code\": 429}")));

    JsonNode invalid =
        run(
            todoist.workspace(),
            "todoist.add_task",
            Map.of("content", "x", "project_id", "missing"));
    JsonNode limited = run(todoist.workspace(), "todoist.list_tasks", Map.of());

    assertError(invalid, "provider_error");
    assertThat(invalid.get("error").get("message").asString())
        .isEqualTo("Todoist answered HTTP 400: Invalid argument value (project_id)");
    assertError(limited, "rate_limited");
    assertThat(limited.get("error").get("message").asString())
        .startsWith("Todoist is rate limiting these calls; retry after 45 seconds (at ");
  }

  @Test
  void anUnauthorizedAnswerTurnsTheConnectionNeedsReauth() {
    Connected todoist = connectTodoist(workspace());
    assertThat(toolNames(todoist.workspace()))
        .containsExactly("todoist.add_task", "todoist.list_tasks", "web_fetch");
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/todoist-api/api/v1/tasks"))
            .withHeader("Authorization", equalTo(todoist.bearer()))
            .willReturn(aResponse().withStatus(401).withBody("Unauthorized")));

    JsonNode result = run(todoist.workspace(), "todoist.list_tasks", Map.of());

    assertError(result, "needs_reauth");
    assertThat(result.get("error").get("message").asString())
        .contains("Todoist refused the connection's token (Unauthorized)");
    assertThat(connections(todoist.workspace()).get(0).get("status").asString())
        .isEqualTo("needs_reauth");
    assertThat(toolNames(todoist.workspace())).containsExactly("web_fetch");
  }

  @Test
  void aTodoistSlowerThanTheToolsTimeoutIsATimeout() {
    Connected todoist = connectTodoist(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo("/todoist-api/api/v1/tasks"))
            .withHeader("Authorization", equalTo(todoist.bearer()))
            .willReturn(okJson(TASK.formatted("")).withFixedDelay(3500)));

    JsonNode result = run(todoist.workspace(), "todoist.add_task", Map.of("content", "Slow"));

    assertError(result, "timeout");
    assertThat(result.get("error").get("message").asString())
        .isEqualTo("Todoist did not answer within 2000 ms.");
  }
}

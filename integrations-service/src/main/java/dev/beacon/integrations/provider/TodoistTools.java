package dev.beacon.integrations.provider;

import static dev.beacon.integrations.provider.ProviderClient.JSON;

import dev.beacon.integrations.connection.domain.ProviderId;
import dev.beacon.integrations.tool.domain.ProviderTool;
import dev.beacon.integrations.tool.domain.ProviderTools;
import dev.beacon.integrations.tool.domain.ToolCall;
import dev.beacon.integrations.tool.domain.ToolKind;
import dev.beacon.integrations.tool.domain.ToolRegistry;
import dev.beacon.integrations.tool.domain.ToolResult;
import dev.beacon.integrations.tool.domain.ToolSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Todoist's unified API v1 ({@code /api/v1}; the REST API v2 it replaced now answers 410 Gone) with
 * the connection's token: add a task, list tasks (by project, or with a Todoist filter). Both need
 * {@code data:read_write}, the scope Beacon asks for.
 */
@Component
class TodoistTools implements ProviderTools {

  private static final List<String> READ_WRITE = List.of("data:read_write");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final String TASK_URL = "https://app.todoist.com/app/task/";
  private static final int MAX_DESCRIPTION = 300;

  private final ProviderClient client;

  TodoistTools(ProviderClient client) {
    this.client = client;
  }

  @Override
  public List<ProviderTool> tools() {
    return List.of(
        new ProviderTool(
            new ToolSpec(
                "todoist.add_task",
                "Adds a task to the connected Todoist account (its Inbox unless a project is"
                    + " named), with an optional natural-language due date such as \"tomorrow at"
                    + " 5pm\".",
                ToolKind.WRITE,
                ProviderId.TODOIST.id(),
                Schema.object(
                    List.of("content"),
                    "content",
                    Schema.string("The task's name.", 1, 500),
                    "description",
                    Schema.string("Notes under the task.", 1, 16000),
                    "project_id",
                    Schema.string("The project to add it to (its id).", 1, 64),
                    "due_string",
                    Schema.string(
                        "When it is due, in words: \"every monday\", \"jan 3 9am\".", 1, 200),
                    "priority",
                    Schema.integer("1 (normal) to 4 (urgent, Todoist's p1).", 1, 4),
                    "labels",
                    Schema.string("Labels to set, comma-separated.", 1, 1000)),
                READ_WRITE),
            ProviderId.TODOIST,
            this::addTask),
        new ProviderTool(
            new ToolSpec(
                "todoist.list_tasks",
                "Lists the open tasks of the connected Todoist account: all of them, a project's,"
                    + " or those matching a Todoist filter (\"today | overdue\", \"#Work & p1\")."
                    + " Returns each task's id, name, project, priority, due date, labels and link.",
                ToolKind.READ,
                ProviderId.TODOIST.id(),
                Schema.object(
                    List.of(),
                    "filter",
                    Schema.string("A Todoist filter query.", 1, 500),
                    "project_id",
                    Schema.string("Only this project's tasks (not with filter).", 1, 64),
                    "max_results",
                    Schema.integer("How many tasks, 20 by default.", 1, 50)),
                READ_WRITE),
            ProviderId.TODOIST,
            this::listTasks));
  }

  private Mono<ToolResult> addTask(ToolCall call) {
    Map<String, Object> body = new LinkedHashMap<>();
    String content = Schema.text(call.arguments(), "content");
    body.put("content", content);
    putIfGiven(body, "description", Schema.text(call.arguments(), "description"));
    putIfGiven(
        body,
        "project_id",
        Schema.matching(call.arguments(), "project_id", ID, "a Todoist project id"));
    putIfGiven(body, "due_string", Schema.text(call.arguments(), "due_string"));
    if (call.arguments().hasNonNull("priority")) {
      body.put("priority", Schema.integer(call.arguments(), "priority", 1));
    }
    String labels = Schema.text(call.arguments(), "labels");
    if (labels != null) {
      body.put(
          "labels",
          Arrays.stream(labels.split(",")).map(String::strip).filter(l -> !l.isEmpty()).toList());
    }
    return client.run(
        "todoist.add_task",
        call,
        session ->
            session
                .send(
                    new ProviderClient.Request(
                        "tasks.create",
                        HttpMethod.POST,
                        UriComponentsBuilder.fromUriString(
                                client.settings().todoistUrl() + "/api/v1/tasks")
                            .build()
                            .toUri(),
                        Map.of(),
                        body,
                        body.containsKey("project_id")
                            ? "project " + body.get("project_id")
                            : null))
                .map(
                    outcome -> {
                      if (!outcome.ok()) {
                        return outcome.failure();
                      }
                      JsonNode task = outcome.answer();
                      String id = task.path("id").asString("");
                      String due = task.path("due").path("string").asString(null);
                      return ToolResult.ok(
                          "Added task "
                              + id
                              + " \""
                              + task.path("content").asString(content)
                              + "\""
                              + (due == null ? "" : " (due " + due + ")")
                              + ": "
                              + TASK_URL
                              + id);
                    }));
  }

  private Mono<ToolResult> listTasks(ToolCall call) {
    String filter = Schema.text(call.arguments(), "filter");
    String project = Schema.matching(call.arguments(), "project_id", ID, "a Todoist project id");
    if (filter != null && project != null) {
      throw ToolRegistry.invalidArguments(
          "project_id", "Give filter or project_id, not both (a filter can name #Project).");
    }
    int max = Schema.integer(call.arguments(), "max_results", 20);
    UriComponentsBuilder url =
        UriComponentsBuilder.fromUriString(
            client.settings().todoistUrl()
                + (filter == null ? "/api/v1/tasks" : "/api/v1/tasks/filter"));
    if (filter != null) {
      url.queryParam("query", "{query}");
    }
    if (project != null) {
      url.queryParam("project_id", "{project}");
    }
    url.queryParam("limit", max);
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("query", filter);
    variables.put("project", project);
    return client.run(
        "todoist.list_tasks",
        call,
        session ->
            session
                .send(
                    new ProviderClient.Request(
                        filter == null ? "tasks.list" : "tasks.filter",
                        HttpMethod.GET,
                        url.encode().buildAndExpand(variables).toUri(),
                        Map.of(),
                        null,
                        project == null ? null : "project " + project))
                .map(
                    outcome -> {
                      if (!outcome.ok()) {
                        return outcome.failure();
                      }
                      ObjectNode result = JSON.createObjectNode();
                      ArrayNode tasks = result.putArray("tasks");
                      for (JsonNode t : outcome.answer().path("results")) {
                        if (tasks.size() >= max) {
                          break;
                        }
                        ObjectNode task = tasks.addObject();
                        String id = t.path("id").asString(null);
                        task.put("id", id);
                        task.put("content", Schema.cut(t.path("content").asString(""), 500));
                        task.put(
                            "description",
                            Schema.cut(t.path("description").asString(""), MAX_DESCRIPTION));
                        task.put("project_id", t.path("project_id").asString(null));
                        task.put("priority", t.path("priority").asInt(1));
                        task.put("due", t.path("due").path("string").asString(null));
                        task.put("due_date", t.path("due").path("date").asString(null));
                        ArrayNode labels = task.putArray("labels");
                        for (JsonNode label : t.path("labels")) {
                          labels.add(label.asString(""));
                        }
                        task.put("url", id == null ? null : TASK_URL + id);
                      }
                      result.put(
                          "more", !outcome.answer().path("next_cursor").asString("").isEmpty());
                      return ToolResult.ok(result.toString());
                    }));
  }

  private static void putIfGiven(Map<String, Object> body, String field, String value) {
    if (value != null) {
      body.put(field, value);
    }
  }
}

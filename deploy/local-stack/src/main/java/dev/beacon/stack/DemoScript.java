package dev.beacon.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the demo provider says: a fixed script, not a model. Given a Chat Completions request it
 * answers deterministically, in this order:
 *
 * <ol>
 *   <li>the last message is a tool result: a short final answer built from it (a result starting
 *       with {@code rejected:} or {@code expired:} means the call did not run);
 *   <li>the request offers {@code demo_send_email} and the last user message mentions e-mail, mail
 *       or send: a call of {@code demo_send_email} to {@code team@example.com};
 *   <li>the request offers {@code demo_lookup_order} and the message mentions an order: a call of
 *       {@code demo_lookup_order} with the first id like {@code A-1234} in it, else {@code A-1001};
 *   <li>the request offers integrations-service's {@code github.create_issue} (function {@code
 *       github_create_issue}) and the message mentions an issue: a call that opens one in the first
 *       {@code owner/repo} of the message (else {@code beacon-demo/playground}) titled after it;
 *   <li>the request offers {@code github.get_pull_request} and the message mentions a pull request
 *       or PR: a call for the first number of the message (else 1) in that repository;
 *   <li>otherwise a markdown answer that says it comes from the demo script and echoes the message.
 * </ol>
 *
 * <p>Token counts are exact and reproducible rather than estimated by a tokenizer: prompt tokens
 * are the Unicode code points of every message's content divided by four, rounded up; completion
 * tokens are the code points of the answer's content plus every tool call's arguments divided by
 * four, rounded up; both at least 1.
 */
final class DemoScript {

  static final String MODEL = "beacon-demo";
  static final String SEND_EMAIL = "demo_send_email";
  static final String LOOKUP_ORDER = "demo_lookup_order";
  static final String GITHUB_CREATE_ISSUE = "github_create_issue";
  static final String GITHUB_GET_PULL_REQUEST = "github_get_pull_request";
  static final String DEFAULT_OWNER = "beacon-demo";
  static final String DEFAULT_REPO = "playground";
  static final String DEFAULT_ORDER_ID = "A-1001";
  static final String EMAIL_RECIPIENT = "team@example.com";

  private static final JsonMapper JSON = JsonMapper.shared();
  private static final int ECHO_CODE_POINTS = 200;
  private static final int SUBJECT_CODE_POINTS = 60;
  private static final Pattern MENTIONS_EMAIL =
      Pattern.compile(
          "\\b(e-?mails?|mails?|send|sends|sending)\\b",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern MENTIONS_ISSUE =
      Pattern.compile("\\bissues?\\b", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern MENTIONS_PULL_REQUEST =
      Pattern.compile(
          "\\b(pull requests?|PRs?)\\b",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern REPOSITORY =
      Pattern.compile(
          "\\b([A-Za-z0-9_-][A-Za-z0-9_.-]{0,38})/([A-Za-z0-9_-][A-Za-z0-9_.-]{0,99})\\b");
  private static final Pattern NUMBER = Pattern.compile("#?\\b(\\d{1,9})\\b");
  private static final Pattern MENTIONS_ORDER =
      Pattern.compile("\\borders?\\b", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern ORDER_ID = Pattern.compile("\\b[A-Z]{1,3}-\\d{1,12}\\b");

  /** A tool call the script asks for; {@code arguments} is a JSON object as text. */
  record ToolCall(String id, String name, String arguments) {}

  /**
   * One answer of the script.
   *
   * @param content the assistant's text, {@code null} when it only calls a tool
   * @param toolCalls the tool calls it asks for, empty for a plain answer
   */
  record Reply(String content, List<ToolCall> toolCalls, int promptTokens, int completionTokens) {

    String finishReason() {
      return toolCalls.isEmpty() ? "stop" : "tool_calls";
    }
  }

  private DemoScript() {}

  /**
   * The script's answer to a request whose {@code messages} is a non-empty array.
   *
   * @param toolCallIds where the ids of requested tool calls come from
   */
  static Reply reply(JsonNode request, Supplier<String> toolCallIds) {
    JsonNode messages = request.path("messages");
    JsonNode last = messages.get(messages.size() - 1);
    String content;
    List<ToolCall> toolCalls = List.of();
    if ("tool".equals(last.path("role").asString(""))) {
      content = afterToolResult(messages, last);
    } else {
      String userText = lastUserText(messages);
      List<String> offered = offeredTools(request);
      if (offered.contains(SEND_EMAIL) && MENTIONS_EMAIL.matcher(userText).find()) {
        content = null;
        toolCalls = List.of(new ToolCall(toolCallIds.get(), SEND_EMAIL, emailArguments(userText)));
      } else if (offered.contains(LOOKUP_ORDER) && MENTIONS_ORDER.matcher(userText).find()) {
        content = null;
        toolCalls =
            List.of(new ToolCall(toolCallIds.get(), LOOKUP_ORDER, orderArguments(userText)));
      } else if (offered.contains(GITHUB_CREATE_ISSUE) && MENTIONS_ISSUE.matcher(userText).find()) {
        content = null;
        toolCalls =
            List.of(new ToolCall(toolCallIds.get(), GITHUB_CREATE_ISSUE, issueArguments(userText)));
      } else if (offered.contains(GITHUB_GET_PULL_REQUEST)
          && MENTIONS_PULL_REQUEST.matcher(userText).find()) {
        content = null;
        toolCalls =
            List.of(
                new ToolCall(
                    toolCallIds.get(), GITHUB_GET_PULL_REQUEST, pullRequestArguments(userText)));
      } else {
        content = plainAnswer(userText);
      }
    }
    int promptCodePoints = 0;
    for (JsonNode message : messages) {
      promptCodePoints += codePoints(text(message.path("content")));
    }
    int completionCodePoints = content == null ? 0 : codePoints(content);
    for (ToolCall call : toolCalls) {
      completionCodePoints += codePoints(call.arguments());
    }
    return new Reply(content, toolCalls, tokens(promptCodePoints), tokens(completionCodePoints));
  }

  /** Code points divided by four, rounded up, and at least 1. */
  static int tokens(int codePoints) {
    return Math.max(1, (codePoints + 3) / 4);
  }

  private static String afterToolResult(JsonNode messages, JsonNode toolMessage) {
    String result = text(toolMessage.path("content")).strip();
    String tool = toolName(messages, toolMessage.path("tool_call_id").asString("")).orElse("");
    String lower = result.toLowerCase(Locale.ROOT);
    boolean notRun = lower.startsWith("rejected:") || lower.startsWith("expired:");
    if (LOOKUP_ORDER.equals(tool)) {
      return notRun ? "Understood — I did not look up the order." : orderAnswer(result);
    }
    if (notRun) {
      return "Understood — I did not send the email.";
    }
    if (lower.startsWith("error:")) {
      return "The demo tool failed: " + result.substring("error:".length()).strip();
    }
    if (SEND_EMAIL.equals(tool)) {
      return "The email was sent (demo: nothing left this machine).";
    }
    return "The tool answered (demo): " + abbreviate(result, ECHO_CODE_POINTS);
  }

  private static String orderAnswer(String result) {
    if (result.toLowerCase(Locale.ROOT).startsWith("error:")) {
      return "The demo tool failed: " + result.substring("error:".length()).strip();
    }
    try {
      JsonNode order = JSON.readTree(result);
      String orderId = order.path("order_id").asString("");
      String status = order.path("status").asString("");
      if (!orderId.isEmpty() && !status.isEmpty()) {
        String carrier = order.path("carrier").asString("");
        return "Order "
            + orderId
            + " is **"
            + status
            + "**"
            + (carrier.isEmpty() ? "" : " with " + carrier)
            + " (demo data, not a real shop).";
      }
    } catch (JacksonException e) {
      // not JSON: quoted as it is below
    }
    return "The order lookup returned (demo data): " + abbreviate(result, ECHO_CODE_POINTS);
  }

  /** The name of the tool whose call has this id, from the assistant messages before it. */
  private static Optional<String> toolName(JsonNode messages, String toolCallId) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      for (JsonNode call : messages.get(i).path("tool_calls")) {
        if (call.path("id").asString("").equals(toolCallId)) {
          return Optional.of(call.path("function").path("name").asString(""));
        }
      }
    }
    return Optional.empty();
  }

  private static String emailArguments(String userText) {
    String message = userText.strip();
    ObjectNode arguments = JSON.createObjectNode();
    arguments.put("to", EMAIL_RECIPIENT);
    arguments.put("subject", "Beacon demo: " + abbreviate(firstLine(message), SUBJECT_CODE_POINTS));
    arguments.put(
        "body",
        "Hello team,\n\n"
            + message
            + "\n\n— written by the Beacon demo provider (a local script, not a model)");
    return arguments.toString();
  }

  private static String issueArguments(String userText) {
    ObjectNode arguments = repository(userText);
    String title = abbreviate(firstLine(userText.strip()), SUBJECT_CODE_POINTS);
    arguments.put("title", title.isBlank() ? "An issue from the demo agent" : title);
    arguments.put("body", "Opened by Beacon's demo agent (a local script, not a model).");
    return arguments.toString();
  }

  private static String pullRequestArguments(String userText) {
    ObjectNode arguments = repository(userText);
    Matcher number = NUMBER.matcher(REPOSITORY.matcher(userText).replaceAll(" "));
    arguments.put("number", number.find() ? Integer.parseInt(number.group(1)) : 1);
    return arguments.toString();
  }

  private static ObjectNode repository(String userText) {
    Matcher repository = REPOSITORY.matcher(userText);
    ObjectNode arguments = JSON.createObjectNode();
    boolean found = repository.find() && !repository.group(2).matches("\\.+");
    arguments.put("owner", found ? repository.group(1) : DEFAULT_OWNER);
    arguments.put("repo", found ? repository.group(2) : DEFAULT_REPO);
    return arguments;
  }

  private static String orderArguments(String userText) {
    Matcher id = ORDER_ID.matcher(userText);
    ObjectNode arguments = JSON.createObjectNode();
    arguments.put("order_id", id.find() ? id.group() : DEFAULT_ORDER_ID);
    return arguments.toString();
  }

  private static String plainAnswer(String userText) {
    String echo =
        userText.isBlank()
            ? "> (no message)"
            : "> " + abbreviate(userText.strip(), ECHO_CODE_POINTS).replace("\n", "\n> ");
    return "**Demo provider** — this answer comes from a local script in Beacon's local stack,"
        + " not from a model.\n\n"
        + "You wrote:\n\n"
        + echo
        + "\n\n"
        + "To see a tool call that needs approval, try: *send an email to the team*"
        + " (or *look up order A-1001* for a tool that runs at once). With GitHub connected on the"
        + " Integrations page: *open an issue about the flaky login test*.";
  }

  private static String lastUserText(JsonNode messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).path("role").asString(""))) {
        return text(messages.get(i).path("content"));
      }
    }
    return "";
  }

  private static List<String> offeredTools(JsonNode request) {
    List<String> names = new ArrayList<>();
    for (JsonNode tool : request.path("tools")) {
      names.add(tool.path("function").path("name").asString(""));
    }
    return names;
  }

  /** A message's content as text: a string, or the text parts of an array of content parts. */
  static String text(JsonNode content) {
    if (content.isString()) {
      return content.asString();
    }
    StringBuilder text = new StringBuilder();
    if (content.isArray()) {
      for (JsonNode part : content) {
        if ("text".equals(part.path("type").asString("")) && part.path("text").isString()) {
          text.append(part.path("text").asString());
        }
      }
    }
    return text.toString();
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  /** At most {@code limit} code points, never cutting a surrogate pair, with "…" when cut. */
  private static String abbreviate(String text, int limit) {
    if (text.codePointCount(0, text.length()) <= limit) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, limit - 1)) + "…";
  }

  private static int codePoints(String text) {
    return text.codePointCount(0, text.length());
  }
}

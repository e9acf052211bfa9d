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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gmail, Google Calendar and Google Drive with the connection's Google token: search mail (the
 * metadata of each message found), send a plain-text mail, list and create events on the primary
 * calendar, search Drive by file name. Each needs its own scope; a connection that granted only
 * some offers only those tools.
 */
@Component
class GoogleTools implements ProviderTools {

  private static final String SCOPES = "https://www.googleapis.com/auth/";
  private static final int MAX_SNIPPET = 300;
  private static final int MAX_DESCRIPTION = 500;
  private static final int CONCURRENT_READS = 4;
  private static final Map<String, String> JSON_ANSWERS = Map.of("Accept", "application/json");

  private final ProviderClient client;
  private final Clock clock;

  GoogleTools(ProviderClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public List<ProviderTool> tools() {
    return List.of(
        tool(
            "gmail.search",
            "Searches the connected Gmail mailbox with Gmail's search syntax (from:, subject:,"
                + " newer_than:7d, is:unread …) and returns each message's id, sender, subject,"
                + " date and snippet.",
            ToolKind.READ,
            Schema.object(
                List.of("query"),
                "query",
                Schema.string("Gmail search, as in Gmail's search box.", 1, 500),
                "max_results",
                Schema.integer("How many messages, 10 by default.", 1, 20)),
            "gmail.readonly",
            this::gmailSearch),
        tool(
            "gmail.send",
            "Sends a plain-text email from the connected Gmail account.",
            ToolKind.WRITE,
            Schema.object(
                List.of("to", "subject", "body"),
                "to",
                Schema.string("Recipients' addresses, comma-separated.", 3, 1000),
                "cc",
                Schema.string("Copy recipients' addresses, comma-separated.", 3, 1000),
                "subject",
                Schema.string("The subject line.", 1, 500),
                "body",
                Schema.string("The message, plain text.", 1, 50000)),
            "gmail.send",
            this::gmailSend),
        tool(
            "calendar.list_events",
            "Lists the events of the connected Google account's primary calendar between two"
                + " times (now and a week from now by default), soonest first.",
            ToolKind.READ,
            Schema.object(
                List.of(),
                "time_min",
                Schema.string("Start of the range, RFC 3339 (2026-12-08T09:00:00Z).", 20, 40),
                "time_max",
                Schema.string("End of the range, RFC 3339.", 20, 40),
                "query",
                Schema.string("Only events matching this text.", 1, 200),
                "max_results",
                Schema.integer("How many events, 10 by default.", 1, 50)),
            "calendar.events",
            this::calendarListEvents),
        tool(
            "calendar.create_event",
            "Creates an event on the connected Google account's primary calendar. Attendees are"
                + " added to the event but not emailed.",
            ToolKind.WRITE,
            Schema.object(
                List.of("summary", "start", "end"),
                "summary",
                Schema.string("The event's title.", 1, 500),
                "start",
                Schema.string("When it starts, RFC 3339 (2026-12-08T09:00:00+01:00).", 20, 40),
                "end",
                Schema.string("When it ends, RFC 3339.", 20, 40),
                "description",
                Schema.string("The event's description.", 1, 8000),
                "location",
                Schema.string("Where it is.", 1, 500),
                "attendees",
                Schema.string("Attendees' addresses, comma-separated.", 3, 2000)),
            "calendar.events",
            this::calendarCreateEvent),
        tool(
            "drive.search",
            "Finds files in the connected Google Drive whose name contains a text; returns each"
                + " file's id, name, type, last change and link.",
            ToolKind.READ,
            Schema.object(
                List.of("name"),
                "name",
                Schema.string("Text the file's name contains.", 1, 200),
                "max_results",
                Schema.integer("How many files, 10 by default.", 1, 50)),
            "drive.readonly",
            this::driveSearch));
  }

  private static ProviderTool tool(
      String name,
      String description,
      ToolKind kind,
      Map<String, Object> parameters,
      String scope,
      java.util.function.Function<ToolCall, Mono<ToolResult>> execute) {
    return new ProviderTool(
        new ToolSpec(
            name, description, kind, ProviderId.GOOGLE.id(), parameters, List.of(SCOPES + scope)),
        ProviderId.GOOGLE,
        execute);
  }

  // --- Gmail

  private Mono<ToolResult> gmailSearch(ToolCall call) {
    String query = Schema.text(call.arguments(), "query");
    int max = Schema.integer(call.arguments(), "max_results", 10);
    String messages = client.settings().gmailUrl() + "/gmail/v1/users/me/messages";
    return client.run(
        "gmail.search",
        call,
        session ->
            session
                .send(
                    get(
                        "gmail.messages.list",
                        UriComponentsBuilder.fromUriString(messages)
                            .queryParam("q", "{q}")
                            .queryParam("maxResults", max)
                            .encode()
                            .buildAndExpand(query)
                            .toUri(),
                        null))
                .flatMap(
                    list -> {
                      if (!list.ok()) {
                        return Mono.just(list.failure());
                      }
                      List<String> ids = new java.util.ArrayList<>();
                      for (JsonNode m : list.answer().path("messages")) {
                        if (ids.size() < max && m.path("id").isString()) {
                          ids.add(m.path("id").asString());
                        }
                      }
                      return Flux.fromIterable(ids)
                          .flatMapSequential(
                              id ->
                                  session.send(
                                      get(
                                          "gmail.messages.get",
                                          UriComponentsBuilder.fromUriString(messages + "/{id}")
                                              .queryParam("format", "metadata")
                                              .queryParam(
                                                  "metadataHeaders", "Subject", "From", "Date")
                                              .encode()
                                              .buildAndExpand(id)
                                              .toUri(),
                                          "message " + id)),
                              CONCURRENT_READS)
                          .collectList()
                          .map(details -> gmailFound(list.answer(), details));
                    }));
  }

  private static ToolResult gmailFound(JsonNode list, List<ProviderClient.Outcome> details) {
    ObjectNode result = JSON.createObjectNode();
    ArrayNode found = result.putArray("messages");
    for (ProviderClient.Outcome detail : details) {
      if (!detail.ok()) {
        // a message deleted between the search and its read is left out; anything else fails
        if (detail.failure().error().code().equals("not_found")) {
          continue;
        }
        return detail.failure();
      }
      JsonNode message = detail.answer();
      ObjectNode item = found.addObject();
      item.put("id", message.path("id").asString(null));
      item.put("thread_id", message.path("threadId").asString(null));
      for (String header : List.of("From", "Subject", "Date")) {
        item.put(header.toLowerCase(java.util.Locale.ROOT), header(message, header));
      }
      item.put("snippet", Schema.cut(message.path("snippet").asString(""), MAX_SNIPPET));
    }
    result.put("result_size_estimate", list.path("resultSizeEstimate").asInt(found.size()));
    return ToolResult.ok(result.toString());
  }

  private static String header(JsonNode message, String name) {
    for (JsonNode header : message.path("payload").path("headers")) {
      if (header.path("name").asString("").equalsIgnoreCase(name)) {
        return Schema.cut(header.path("value").asString(""), MAX_SNIPPET);
      }
    }
    return null;
  }

  private Mono<ToolResult> gmailSend(ToolCall call) {
    String to = address(call, "to");
    String cc = address(call, "cc");
    String subject = oneLine(call, "subject");
    String body = Schema.text(call.arguments(), "body");
    String raw = Base64.getUrlEncoder().encodeToString(rfc2822(to, cc, subject, body));
    return client.run(
        "gmail.send",
        call,
        session ->
            session
                .send(
                    new ProviderClient.Request(
                        "gmail.messages.send",
                        HttpMethod.POST,
                        URI.create(
                            client.settings().gmailUrl() + "/gmail/v1/users/me/messages/send"),
                        JSON_ANSWERS,
                        Map.of("raw", raw),
                        null))
                .map(
                    outcome ->
                        outcome.ok()
                            ? ToolResult.ok(
                                "Sent message "
                                    + outcome.answer().path("id").asString("")
                                    + " to "
                                    + to
                                    + ".")
                            : outcome.failure()));
  }

  /** A plain-text RFC 2822 message; a non-ASCII subject in RFC 2047 form, the body in base64. */
  static byte[] rfc2822(String to, String cc, String subject, String body) {
    StringBuilder message = new StringBuilder();
    message.append("To: ").append(to).append("\r\n");
    if (cc != null) {
      message.append("Cc: ").append(cc).append("\r\n");
    }
    boolean ascii = subject.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    message
        .append("Subject: ")
        .append(
            ascii
                ? subject
                : "=?UTF-8?B?"
                    + Base64.getEncoder().encodeToString(subject.getBytes(StandardCharsets.UTF_8))
                    + "?=")
        .append("\r\n");
    message.append("MIME-Version: 1.0\r\n");
    message.append("Content-Type: text/plain; charset=\"UTF-8\"\r\n");
    message.append("Content-Transfer-Encoding: base64\r\n\r\n");
    message.append(
        Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(body.getBytes(StandardCharsets.UTF_8)));
    message.append("\r\n");
    return message.toString().getBytes(StandardCharsets.UTF_8);
  }

  // --- Calendar

  private Mono<ToolResult> calendarListEvents(ToolCall call) {
    OffsetDateTime from = time(call, "time_min");
    if (from == null) {
      from =
          OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
    }
    OffsetDateTime to = time(call, "time_max");
    if (to == null) {
      to = from.plusDays(7);
    }
    if (!to.isAfter(from)) {
      throw ToolRegistry.invalidArguments("time_max", "time_max must be after time_min.");
    }
    int max = Schema.integer(call.arguments(), "max_results", 10);
    String query = Schema.text(call.arguments(), "query");
    UriComponentsBuilder uri =
        UriComponentsBuilder.fromUriString(
                client.settings().calendarUrl() + "/calendar/v3/calendars/primary/events")
            .queryParam("timeMin", "{min}")
            .queryParam("timeMax", "{max}")
            .queryParam("singleEvents", "true")
            .queryParam("orderBy", "startTime")
            .queryParam("maxResults", max);
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("min", from.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    values.put("max", to.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    if (query != null) {
      uri.queryParam("q", "{q}");
      values.put("q", query);
    }
    URI target = uri.encode().buildAndExpand(values).toUri();
    return client.run(
        "calendar.list_events",
        call,
        session ->
            session
                .send(get("calendar.events.list", target, "primary calendar"))
                .map(
                    outcome -> {
                      if (!outcome.ok()) {
                        return outcome.failure();
                      }
                      ObjectNode result = JSON.createObjectNode();
                      ArrayNode events = result.putArray("events");
                      for (JsonNode e : outcome.answer().path("items")) {
                        if (events.size() >= max) {
                          break;
                        }
                        ObjectNode event = events.addObject();
                        event.put("id", e.path("id").asString(null));
                        event.put("summary", e.path("summary").asString(null));
                        event.put("start", when(e.path("start")));
                        event.put("end", when(e.path("end")));
                        event.put("location", e.path("location").asString(null));
                        event.put("status", e.path("status").asString(null));
                        event.put("attendees", e.path("attendees").size());
                        event.put(
                            "description",
                            Schema.cut(e.path("description").asString(null), MAX_DESCRIPTION));
                        event.put("url", e.path("htmlLink").asString(null));
                      }
                      return ToolResult.ok(result.toString());
                    }));
  }

  private static String when(JsonNode time) {
    return time.path("dateTime").isString()
        ? time.path("dateTime").asString()
        : time.path("date").asString(null);
  }

  private Mono<ToolResult> calendarCreateEvent(ToolCall call) {
    OffsetDateTime start = time(call, "start");
    OffsetDateTime end = time(call, "end");
    if (!end.isAfter(start)) {
      throw ToolRegistry.invalidArguments("end", "end must be after start.");
    }
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("summary", Schema.text(call.arguments(), "summary"));
    for (String optional : List.of("description", "location")) {
      String value = Schema.text(call.arguments(), optional);
      if (value != null) {
        event.put(optional, value);
      }
    }
    event.put("start", Map.of("dateTime", start.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
    event.put("end", Map.of("dateTime", end.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
    String attendees = address(call, "attendees");
    if (attendees != null) {
      event.put(
          "attendees",
          Arrays.stream(attendees.split(","))
              .map(String::strip)
              .filter(a -> !a.isEmpty())
              .map(a -> Map.of("email", a))
              .toList());
    }
    return client.run(
        "calendar.create_event",
        call,
        session ->
            session
                .send(
                    new ProviderClient.Request(
                        "calendar.events.insert",
                        HttpMethod.POST,
                        URI.create(
                            client.settings().calendarUrl()
                                + "/calendar/v3/calendars/primary/events"),
                        JSON_ANSWERS,
                        event,
                        "primary calendar"))
                .map(
                    outcome ->
                        outcome.ok()
                            ? ToolResult.ok(
                                "Created event "
                                    + outcome.answer().path("id").asString("")
                                    + ": "
                                    + outcome.answer().path("htmlLink").asString(""))
                            : outcome.failure()));
  }

  // --- Drive

  private Mono<ToolResult> driveSearch(ToolCall call) {
    String name = Schema.text(call.arguments(), "name");
    int max = Schema.integer(call.arguments(), "max_results", 10);
    String q =
        "name contains '"
            + name.replace("\\", "\\\\").replace("'", "\\'")
            + "' and trashed = false";
    URI target =
        UriComponentsBuilder.fromUriString(client.settings().driveUrl() + "/drive/v3/files")
            .queryParam("q", "{q}")
            .queryParam("pageSize", max)
            .queryParam("fields", "{fields}")
            .encode()
            .buildAndExpand(q, "files(id,name,mimeType,modifiedTime,webViewLink)")
            .toUri();
    return client.run(
        "drive.search",
        call,
        session ->
            session
                .send(get("drive.files.list", target, null))
                .map(
                    outcome -> {
                      if (!outcome.ok()) {
                        return outcome.failure();
                      }
                      ObjectNode result = JSON.createObjectNode();
                      ArrayNode files = result.putArray("files");
                      for (JsonNode f : outcome.answer().path("files")) {
                        if (files.size() >= max) {
                          break;
                        }
                        ObjectNode file = files.addObject();
                        file.put("id", f.path("id").asString(null));
                        file.put("name", f.path("name").asString(null));
                        file.put("mime_type", f.path("mimeType").asString(null));
                        file.put("modified_time", f.path("modifiedTime").asString(null));
                        file.put("url", f.path("webViewLink").asString(null));
                      }
                      return ToolResult.ok(result.toString());
                    }));
  }

  // --- arguments

  private static ProviderClient.Request get(String operation, URI uri, String missing) {
    return new ProviderClient.Request(operation, HttpMethod.GET, uri, JSON_ANSWERS, null, missing);
  }

  private static OffsetDateTime time(ToolCall call, String name) {
    String value = Schema.text(call.arguments(), name);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw ToolRegistry.invalidArguments(
          name, name + " must be an RFC 3339 time with an offset, e.g. 2026-12-08T09:00:00Z.");
    }
  }

  /** Addresses for a mail header or attendees: each has an {@code @}, none breaks the line. */
  private static String address(ToolCall call, String name) {
    String value = oneLine(call, name);
    if (value == null) {
      return null;
    }
    for (String address : value.split(",")) {
      if (!address.strip().isEmpty() && !address.contains("@")) {
        throw ToolRegistry.invalidArguments(
            name, name + " must be email addresses, comma-separated.");
      }
    }
    return value.strip();
  }

  private static String oneLine(ToolCall call, String name) {
    String value = Schema.text(call.arguments(), name);
    if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
      throw ToolRegistry.invalidArguments(name, name + " must be one line.");
    }
    return value;
  }
}

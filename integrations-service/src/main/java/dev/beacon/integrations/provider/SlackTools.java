package dev.beacon.integrations.provider;

import static dev.beacon.integrations.provider.ProviderClient.JSON;

import dev.beacon.integrations.connection.domain.ProviderId;
import dev.beacon.integrations.tool.domain.ProviderTool;
import dev.beacon.integrations.tool.domain.ProviderTools;
import dev.beacon.integrations.tool.domain.ToolCall;
import dev.beacon.integrations.tool.domain.ToolKind;
import dev.beacon.integrations.tool.domain.ToolResult;
import dev.beacon.integrations.tool.domain.ToolSpec;
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
 * Slack's Web API with the connection's bot token: post a message ({@code chat:write}), list the
 * public channels ({@code channels:read}). Slack answers HTTP 200 with {@code {"ok": false,
 * "error"}} for its refusals; {@link ProviderClient} reads them.
 */
@Component
class SlackTools implements ProviderTools {

  private static final Pattern THREAD_TS = Pattern.compile("[0-9]{1,12}\\.[0-9]{1,8}");
  private static final int MAX_TOPIC = 200;

  private final ProviderClient client;

  SlackTools(ProviderClient client) {
    this.client = client;
  }

  @Override
  public List<ProviderTool> tools() {
    return List.of(
        new ProviderTool(
            new ToolSpec(
                "slack.post_message",
                "Posts a message to a Slack channel the Beacon app is in (a channel id such as"
                    + " C0123456789, or a name such as #general).",
                ToolKind.WRITE,
                ProviderId.SLACK.id(),
                Schema.object(
                    List.of("channel", "text"),
                    "channel",
                    Schema.string("The channel's id or #name.", 1, 100),
                    "text",
                    Schema.string("The message, in Slack's mrkdwn.", 1, 40000),
                    "thread_ts",
                    Schema.string("Reply in this message's thread (its ts).", 1, 32)),
                List.of("chat:write")),
            ProviderId.SLACK,
            this::postMessage),
        new ProviderTool(
            new ToolSpec(
                "slack.list_channels",
                "Lists the workspace's public Slack channels: id, name, whether the Beacon app is"
                    + " a member, member count, topic.",
                ToolKind.READ,
                ProviderId.SLACK.id(),
                Schema.object(
                    List.of(),
                    "limit",
                    Schema.integer("How many channels to list, 100 by default.", 1, 200)),
                List.of("channels:read")),
            ProviderId.SLACK,
            this::listChannels));
  }

  private Mono<ToolResult> postMessage(ToolCall call) {
    Map<String, Object> body = new LinkedHashMap<>();
    String channel = Schema.text(call.arguments(), "channel");
    body.put("channel", channel);
    body.put("text", Schema.text(call.arguments(), "text"));
    String thread =
        Schema.matching(
            call.arguments(), "thread_ts", THREAD_TS, "a Slack ts like 1712345678.123456");
    if (thread != null) {
      body.put("thread_ts", thread);
    }
    return client.run(
        "slack.post_message",
        call,
        session ->
            session
                .send(
                    new ProviderClient.Request(
                        "chat.postMessage",
                        HttpMethod.POST,
                        UriComponentsBuilder.fromUriString(
                                client.settings().slackUrl() + "/chat.postMessage")
                            .build()
                            .toUri(),
                        Map.of(),
                        body,
                        "channel " + channel))
                .map(
                    outcome ->
                        outcome.ok()
                            ? ToolResult.ok(
                                "Posted to "
                                    + outcome.answer().path("channel").asString(channel)
                                    + " (ts "
                                    + outcome.answer().path("ts").asString("")
                                    + ").")
                            : outcome.failure()));
  }

  private Mono<ToolResult> listChannels(ToolCall call) {
    int limit = Schema.integer(call.arguments(), "limit", 100);
    return client.run(
        "slack.list_channels",
        call,
        session ->
            session
                .send(
                    new ProviderClient.Request(
                        "conversations.list",
                        HttpMethod.GET,
                        UriComponentsBuilder.fromUriString(
                                client.settings().slackUrl() + "/conversations.list")
                            .queryParam("types", "public_channel")
                            .queryParam("exclude_archived", "true")
                            .queryParam("limit", limit)
                            .build()
                            .toUri(),
                        Map.of(),
                        null,
                        null))
                .map(
                    outcome -> {
                      if (!outcome.ok()) {
                        return outcome.failure();
                      }
                      ObjectNode result = JSON.createObjectNode();
                      ArrayNode channels = result.putArray("channels");
                      for (JsonNode c : outcome.answer().path("channels")) {
                        if (channels.size() >= limit) {
                          break;
                        }
                        ObjectNode channel = channels.addObject();
                        channel.put("id", c.path("id").asString(null));
                        channel.put("name", c.path("name").asString(null));
                        channel.put("is_member", c.path("is_member").asBoolean(false));
                        channel.put("num_members", c.path("num_members").asInt());
                        channel.put(
                            "topic",
                            Schema.cut(c.path("topic").path("value").asString(""), MAX_TOPIC));
                      }
                      String next =
                          outcome
                              .answer()
                              .path("response_metadata")
                              .path("next_cursor")
                              .asString("");
                      result.put("more", !next.isEmpty());
                      return ToolResult.ok(result.toString());
                    }));
  }
}

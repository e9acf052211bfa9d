package dev.beacon.integrations.provider;

import dev.beacon.integrations.connection.domain.CredentialCheck;
import dev.beacon.integrations.connection.domain.CredentialProvider;
import dev.beacon.integrations.connection.domain.Credentials;
import dev.beacon.integrations.tool.domain.ProviderTool;
import dev.beacon.integrations.tool.domain.ProviderTools;
import dev.beacon.integrations.tool.domain.ToolCall;
import dev.beacon.integrations.tool.domain.ToolKind;
import dev.beacon.integrations.tool.domain.ToolResult;
import dev.beacon.integrations.tool.domain.ToolSpec;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Telegram's Bot API with the connection's bot token: {@code POST {telegram}/bot<token>/<method>}
 * with a JSON body, answered {@code {"ok": true, "result"}} or {@code {"ok": false, "error_code",
 * "description"}}. The token is in the URL, so no URL is ever logged or put in a message (see
 * {@code application.yml}'s loggers).
 *
 * <p>This is the tool a workspace's agents use to write to a chat; relaying a bot's chats to an
 * agent is a channel's (package {@code channel}), which keeps its own token.
 */
@Component
class TelegramTools implements ProviderTools, CredentialCheck {

  /** Telegram's longest message text. */
  static final int MAX_TEXT = 4096;

  /** A chat id ({@code -1001234567890}) or a public channel's {@code @username}. */
  private static final Pattern CHAT_ID =
      Pattern.compile("-?[0-9]{1,16}|@[A-Za-z][A-Za-z0-9_]{3,31}");

  private final ProviderClient client;

  TelegramTools(ProviderClient client) {
    this.client = client;
  }

  @Override
  public CredentialProvider provider() {
    return CredentialProvider.TELEGRAM;
  }

  @Override
  public List<ProviderTool> tools() {
    return List.of(
        new ProviderTool(
            new ToolSpec(
                "telegram.send_message",
                "Sends a text message from the workspace's Telegram bot to a chat the bot can"
                    + " write to: a person who started the bot, a group it is in, or a channel it"
                    + " administers.",
                ToolKind.WRITE,
                CredentialProvider.TELEGRAM.id(),
                Schema.object(
                    List.of("chat_id", "text"),
                    "chat_id",
                    Schema.string(
                        "The chat's id (such as 123456789 or -1001234567890) or a channel's"
                            + " @username.",
                        1,
                        33),
                    "text",
                    Schema.string("The message, plain text.", 1, MAX_TEXT)),
                List.of()),
            CredentialProvider.TELEGRAM,
            this::sendMessage));
  }

  /** Checks a bot token with {@code getMe}; the account is the bot's {@code @username}. */
  @Override
  public Mono<String> account(Credentials credentials, String workspaceId) {
    return client
        .check(
            CredentialProvider.TELEGRAM,
            credentials,
            workspaceId,
            request("getMe", credentials, null, null))
        .mapNotNull(
            answer -> {
              String username = answer.path("result").path("username").asString(null);
              return username == null ? null : "@" + username;
            });
  }

  private Mono<ToolResult> sendMessage(ToolCall call) {
    String chatId =
        Schema.matching(
            call.arguments(), "chat_id", CHAT_ID, "a numeric chat id or a channel's @username");
    Map<String, Object> body = new LinkedHashMap<>();
    // Telegram's chat_id is an Integer or a String: ids are sent as numbers, as Telegram gives them
    body.put("chat_id", chatId.startsWith("@") ? chatId : Long.parseLong(chatId));
    body.put("text", Schema.text(call.arguments(), "text"));
    return client.run(
        "telegram.send_message",
        call,
        session ->
            session
                .send(request("sendMessage", session.credentials(), body, "chat " + chatId))
                .map(
                    outcome ->
                        outcome.ok()
                            ? ToolResult.ok(
                                "Sent message "
                                    + outcome.answer().path("result").path("message_id").asLong()
                                    + " to chat "
                                    + chatId
                                    + ".")
                            : outcome.failure()));
  }

  private ProviderClient.Request request(
      String method, Credentials credentials, Object body, String missing) {
    return new ProviderClient.Request(
        method,
        HttpMethod.POST,
        URI.create(
            client.settings().telegramUrl() + "/bot" + credentials.get("bot_token") + "/" + method),
        Map.of(),
        body,
        missing);
  }
}

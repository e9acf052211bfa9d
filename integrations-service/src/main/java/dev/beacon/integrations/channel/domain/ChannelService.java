package dev.beacon.integrations.channel.domain;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.config.ChannelsProperties;
import dev.beacon.integrations.config.IntegrationsProperties;
import dev.beacon.integrations.connection.domain.TokenCipher;
import dev.beacon.integrations.events.CallContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Creating, listing and deleting a workspace's channels, and taking what Telegram and Discord
 * deliver to them (ADR 0025).
 *
 * <p>Owners and admins create and delete; everyone lists. A bot token (Telegram's, and Discord's
 * when given: it posts answers that come after Discord's interaction token expired, ADR 0028) is
 * sealed with the service's Tink keyset, bound to the channel (id, workspace, kind); Telegram's
 * webhook secret is made here, given to Telegram once with {@code setWebhook}, and kept as its
 * SHA-256. No answer and no log line carries a secret.
 */
@Service
public class ChannelService {

  private static final Logger log = LoggerFactory.getLogger(ChannelService.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Telegram's bot token: {@code <bot id>:<secret>}. */
  private static final Pattern TELEGRAM_TOKEN =
      Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{20,100}");

  /** A Discord bot token: three base64url parts joined by dots. */
  private static final Pattern DISCORD_TOKEN =
      Pattern.compile("[A-Za-z0-9_-]{20,100}\\.[A-Za-z0-9_-]{4,20}\\.[A-Za-z0-9_-]{20,100}");

  /** A Discord snowflake. */
  private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");

  private static final Set<String> TELEGRAM_FIELDS = Set.of("kind", "agent_id", "bot_token");
  private static final Set<String> DISCORD_FIELDS =
      Set.of("kind", "agent_id", "application_id", "public_key", "bot_token");

  private static final ApiException UNVERIFIED_TELEGRAM =
      new ApiException(
          HttpStatus.UNAUTHORIZED,
          "invalid_secret_token",
          "X-Telegram-Bot-Api-Secret-Token is missing or wrong.");
  private static final ApiException UNVERIFIED_DISCORD =
      new ApiException(HttpStatus.UNAUTHORIZED, "invalid_signature", "invalid request signature");

  /** What a webhook answers: a status and, for Discord, the interaction response. */
  public record Delivery(HttpStatus status, Map<String, Object> body) {}

  private final ChannelRepository channels;
  private final TokenCipher cipher;
  private final ChatClient chat;
  private final TelegramClient telegram;
  private final DiscordClient discord;
  private final ChannelRelay relay;
  private final ChannelsProperties settings;
  private final String publicUrl;
  private final Clock clock;

  ChannelService(
      ChannelRepository channels,
      TokenCipher cipher,
      ChatClient chat,
      TelegramClient telegram,
      DiscordClient discord,
      ChannelRelay relay,
      ChannelsProperties settings,
      IntegrationsProperties properties,
      Clock clock) {
    this.channels = channels;
    this.cipher = cipher;
    this.chat = chat;
    this.telegram = telegram;
    this.discord = discord;
    this.relay = relay;
    this.settings = settings;
    this.publicUrl = properties.publicUrl();
    this.clock = clock;
  }

  public Flux<Channel> list(String workspaceId) {
    return channels.list(workspaceId);
  }

  /**
   * Creates a channel from the API's body. Telegram's is registered with {@code setWebhook} after
   * the row is stored; a refusal deletes the row again and is answered.
   */
  public Mono<Channel> create(ForwardedIdentity caller, JsonNode body) {
    requireManager(caller);
    if (body == null || !body.isObject()) {
      throw invalid("body", "must be a JSON object with kind and agent_id");
    }
    ChannelKind kind = ChannelKind.of(text(body, "kind", true));
    Set<String> allowed = kind == ChannelKind.TELEGRAM ? TELEGRAM_FIELDS : DISCORD_FIELDS;
    for (String field : body.propertyNames()) {
      if (!allowed.contains(field)) {
        throw invalid(field, "is not a field of a " + kind.id() + " channel");
      }
    }
    UUID agentId;
    try {
      agentId = UUID.fromString(text(body, "agent_id", true));
    } catch (IllegalArgumentException e) {
      throw invalid("agent_id", "must be the id of one of the workspace's chat agents");
    }
    String botToken = null;
    String applicationId = null;
    String publicKey = null;
    if (kind == ChannelKind.TELEGRAM) {
      botToken = text(body, "bot_token", true);
      if (!TELEGRAM_TOKEN.matcher(botToken).matches()) {
        throw invalid("bot_token", "must be the token BotFather gave, like 123456:ABC-DEF…");
      }
    } else {
      applicationId = text(body, "application_id", true);
      if (!SNOWFLAKE.matcher(applicationId).matches()) {
        throw invalid("application_id", "must be the Discord application's id (digits)");
      }
      publicKey = text(body, "public_key", true);
      if (!DiscordSignature.isPublicKey(publicKey)) {
        throw invalid("public_key", "must be the application's public key: 64 hex characters");
      }
      publicKey = publicKey.toLowerCase(java.util.Locale.ROOT);
      botToken = text(body, "bot_token", false);
      if (botToken != null && !DISCORD_TOKEN.matcher(botToken).matches()) {
        throw invalid("bot_token", "must be the application's bot token from the developer portal");
      }
    }
    if (!chat.configured()) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "channels_unconfigured",
          "Channels cannot relay messages: the service does not know chat-service's address"
              + " (BEACON_CHAT_SERVICE_URL).");
    }
    if ((kind == ChannelKind.TELEGRAM || botToken != null) && !cipher.isConfigured()) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "encryption_unconfigured",
          "A bot token cannot be stored: the service has no encryption keyset"
              + " (BEACON_INTEGRATIONS_KEYSET).");
    }
    String token = botToken;
    String application = applicationId;
    String key = publicKey;
    return chat.agentUsable(caller.workspaceId(), caller.userId(), agentId)
        .onErrorMap(
            e -> !(e instanceof ApiException),
            e ->
                new ApiException(
                    HttpStatus.BAD_GATEWAY,
                    "chat_unavailable",
                    "chat-service could not be asked about the agent; try again."))
        .flatMap(
            usable -> {
              if (!usable) {
                return Mono.error(
                    invalid("agent_id", "is not a chat agent of this workspace, or is archived"));
              }
              UUID id = UUID.randomUUID();
              Instant now = clock.instant();
              Channel channel =
                  new Channel(
                      id,
                      caller.workspaceId(),
                      kind,
                      agentId,
                      caller.userId(),
                      now,
                      token == null ? null : token.substring(token.length() - 4),
                      application,
                      key,
                      Channel.Activity.NONE);
              if (kind == ChannelKind.DISCORD) {
                Mono<Void> command =
                    token == null
                        ? Mono.empty()
                        : discord
                            .registerCommand(application, token, outside(channel), id.toString())
                            .flatMap(
                                outcome ->
                                    outcome.ok()
                                        ? Mono.<Void>empty()
                                        : Mono.error(registerCommandRefused(outcome)));
                // the bot token registers the command, and is kept sealed to post answers that
                // come after the interaction's token expired
                return command
                    .then(
                        channels.insert(
                            new ChannelRepository.Row(
                                channel,
                                token == null ? null : cipher.seal(token, associatedData(channel)),
                                null)))
                    .thenReturn(channel);
              }
              String secret = randomToken();
              return channels
                  .insert(
                      new ChannelRepository.Row(
                          channel, cipher.seal(token, associatedData(channel)), sha256(secret)))
                  .then(
                      telegram.setWebhook(
                          token, telegramWebhookUrl(id), secret, outside(channel), id.toString()))
                  .flatMap(
                      outcome ->
                          outcome.ok()
                              ? Mono.just(channel)
                              : channels
                                  .delete(channel.workspaceId(), id)
                                  .then(Mono.error(setWebhookRefused(outcome))));
            });
  }

  /**
   * Deletes the channel; Telegram's webhook is removed first (a failure, or a bot token the keyset
   * no longer opens, is logged, not fatal: the member asked Beacon to stop).
   */
  public Mono<Void> delete(ForwardedIdentity caller, UUID id) {
    requireManager(caller);
    return channels
        .find(caller.workspaceId(), id)
        .switchIfEmpty(Mono.error(notFound(id)))
        .flatMap(
            row -> {
              if (row.channel().kind() != ChannelKind.TELEGRAM) {
                return Mono.just(row);
              }
              return botToken(row)
                  .flatMap(
                      token ->
                          telegram.deleteWebhook(
                              token, outside(row.channel()), row.channel().id().toString()))
                  .doOnNext(
                      outcome -> {
                        if (!outcome.ok()) {
                          log.warn(
                              "Telegram did not delete the webhook of channel {}: {}",
                              id,
                              outcome.errorMessage());
                        }
                      })
                  .onErrorResume(
                      ApiException.class,
                      undecryptable -> {
                        log.warn(
                            "The webhook of channel {} was not deleted at Telegram: {}",
                            id,
                            undecryptable.getMessage());
                        return Mono.empty();
                      })
                  .thenReturn(row);
            })
        .flatMap(row -> channels.delete(caller.workspaceId(), id))
        .then();
  }

  /**
   * A Telegram update. Verified by its secret token (constant time, on the SHA-256s); a redelivered
   * {@code update_id} is answered 200 and not relayed again; a text message from a person is
   * relayed to the agent after the 200. Everything else (edits, photos, bots) is answered 200 and
   * dropped.
   */
  public Mono<Delivery> telegramUpdate(UUID channelId, String secretToken, byte[] body) {
    return channels
        .find(ChannelKind.TELEGRAM, channelId)
        .filter(row -> secretToken != null && matches(row.webhookSecretHash(), secretToken))
        .switchIfEmpty(Mono.error(UNVERIFIED_TELEGRAM))
        .flatMap(
            row -> {
              JsonNode update = parse(body);
              JsonNode updateId = update == null ? null : update.get("update_id");
              if (updateId == null || !updateId.canConvertToLong()) {
                return Mono.just(new Delivery(HttpStatus.OK, null));
              }
              JsonNode message = update.path("message");
              String text = message.path("text").asString(null);
              JsonNode chatId = message.path("chat").path("id");
              boolean relayed =
                  text != null
                      && !text.isBlank()
                      && chatId.canConvertToLong()
                      && !message.path("from").path("is_bot").asBoolean(false);
              if (!relayed) {
                return channels
                    .take(channelId, "telegram:" + updateId.asLong(), clock.instant())
                    .thenReturn(new Delivery(HttpStatus.OK, null));
              }
              if (!relay.reserve()) {
                return Mono.error(busy());
              }
              return channels
                  .take(channelId, "telegram:" + updateId.asLong(), clock.instant())
                  .flatMap(first -> first ? botToken(row) : Mono.empty())
                  .doOnNext(
                      token ->
                          relay.start(
                              row.channel(),
                              "telegram:" + chatId.asLong(),
                              telegramTitle(message),
                              telegramText(text),
                              new ChannelRelay.Origin(String.valueOf(chatId.asLong()), null, null),
                              (reply, context) ->
                                  telegram.sendMessage(
                                      token,
                                      chatId.asLong(),
                                      reply,
                                      context,
                                      channelId.toString())))
                  .switchIfEmpty(Mono.<String>fromRunnable(relay::release))
                  .doOnError(e -> relay.release())
                  .thenReturn(new Delivery(HttpStatus.OK, null));
            });
  }

  /**
   * A Discord interaction. Verified by its Ed25519 signature over timestamp + body with the
   * channel's public key, and a timestamp within {@code signature-max-age} of now; a PING is
   * answered PONG; a slash command with a text option is answered "deferred" at once and relayed,
   * the agent's answer replacing it.
   */
  public Mono<Delivery> discordInteraction(
      UUID channelId, String signature, String timestamp, byte[] body) {
    return channels
        .find(ChannelKind.DISCORD, channelId)
        .filter(
            row ->
                fresh(timestamp)
                    && DiscordSignature.verify(
                        row.channel().publicKey(), signature, timestamp, body))
        .switchIfEmpty(Mono.error(UNVERIFIED_DISCORD))
        .flatMap(
            row -> {
              JsonNode interaction = parse(body);
              if (interaction == null) {
                return Mono.error(
                    ApiException.badRequest("invalid_request", "The body is not a JSON object."));
              }
              int type = interaction.path("type").asInt(0);
              if (type == 1) {
                return Mono.just(new Delivery(HttpStatus.OK, Map.of("type", 1)));
              }
              String text = commandText(interaction);
              String token = interaction.path("token").asString(null);
              String interactionId = interaction.path("id").asString(null);
              String place = discordPlace(interaction);
              if (type != 2 || text == null || token == null || interactionId == null) {
                return Mono.just(
                    ephemeral("Beacon relays slash commands with a text option to its agent."));
              }
              if (!relay.reserve()) {
                return Mono.just(
                    ephemeral("The agent is busy with other messages; try again in a minute."));
              }
              return channels
                  .take(channelId, "discord:" + interactionId, clock.instant())
                  .doOnNext(
                      first -> {
                        if (first) {
                          relay.start(
                              row.channel(),
                              "discord:" + place,
                              "Discord: " + place,
                              text,
                              new ChannelRelay.Origin(
                                  discordChannel(interaction), token, clock.instant()),
                              (reply, context) ->
                                  discord.editOriginal(
                                      row.channel().applicationId(),
                                      token,
                                      reply,
                                      context,
                                      channelId.toString()));
                        } else {
                          relay.release();
                        }
                      })
                  .doOnError(e -> relay.release())
                  .thenReturn(new Delivery(HttpStatus.OK, Map.of("type", 5)));
            });
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode json = body == null ? null : OutsideCalls.JSON.readTree(body);
      return json != null && json.isObject() ? json : null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private boolean fresh(String timestamp) {
    if (timestamp == null || !timestamp.matches("[0-9]{1,12}")) {
      return false;
    }
    Instant at = Instant.ofEpochSecond(Long.parseLong(timestamp));
    return Duration.between(at, clock.instant()).abs().compareTo(settings.signatureMaxAge()) <= 0;
  }

  /** The first string option of the command (sub-commands' options included). */
  private static String commandText(JsonNode interaction) {
    JsonNode options = interaction.path("data").path("options");
    while (options.isArray() && !options.isEmpty()) {
      for (JsonNode option : options) {
        if (option.path("type").asInt() == 3 && option.path("value").isString()) {
          String value = option.path("value").asString();
          return value.isBlank() ? null : value;
        }
      }
      options = options.get(0).path("options");
    }
    return null;
  }

  /** The Discord channel the command came from, or {@code null} when the interaction names none. */
  private static String discordChannel(JsonNode interaction) {
    String channel = interaction.path("channel_id").asString(null);
    if (channel == null) {
      channel = interaction.path("channel").path("id").asString(null);
    }
    return channel != null && SNOWFLAKE.matcher(channel).matches() ? channel : null;
  }

  /** The Discord channel (or, in a DM, the user) the command came from: one conversation each. */
  private static String discordPlace(JsonNode interaction) {
    String channel = interaction.path("channel_id").asString(null);
    if (channel == null) {
      channel = interaction.path("channel").path("id").asString(null);
    }
    if (channel != null) {
      return channel;
    }
    return "user-"
        + interaction
            .path("member")
            .path("user")
            .path("id")
            .asString(interaction.path("user").path("id").asString("unknown"));
  }

  private static Delivery ephemeral(String content) {
    return new Delivery(
        HttpStatus.OK, Map.of("type", 4, "data", Map.of("content", content, "flags", 64)));
  }

  /** The conversation's title for a new Telegram chat: its title, or the person's name. */
  private static String telegramTitle(JsonNode message) {
    JsonNode chatNode = message.path("chat");
    String name = chatNode.path("title").asString(null);
    if (name == null) {
      name =
          (chatNode.path("first_name").asString("") + " " + chatNode.path("last_name").asString(""))
              .strip();
    }
    if (name.isEmpty()) {
      name = chatNode.path("username").asString("chat " + chatNode.path("id").asString());
    }
    String title = "Telegram: " + name;
    return title.length() > 200 ? title.substring(0, 200) : title;
  }

  /** chat-service takes at most 32,000 characters; Telegram sends at most 4,096. */
  private static String telegramText(String text) {
    return text.length() > 32_000 ? text.substring(0, 32_000) : text;
  }

  private Mono<String> botToken(ChannelRepository.Row row) {
    return Mono.fromCallable(() -> cipher.open(row.botToken(), associatedData(row.channel())))
        .onErrorMap(
            GeneralSecurityException.class,
            e ->
                new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "token_undecryptable",
                    "The channel's bot token cannot be decrypted with the configured keyset;"
                        + " create the channel again."));
  }

  String telegramWebhookUrl(UUID id) {
    return publicUrl + "/api/integrations/channels/telegram/" + id + "/webhook";
  }

  private static CallContext outside(Channel channel) {
    return CallContext.of(channel.workspaceId(), channel.agentId().toString(), null, null);
  }

  private static ApiException setWebhookRefused(OutsideCalls.Outcome outcome) {
    if ("token_refused".equals(outcome.errorCode())) {
      return invalid("bot_token", "was refused by Telegram (" + outcome.errorMessage() + ")");
    }
    return new ApiException(
            HttpStatus.BAD_GATEWAY,
            "telegram_unavailable",
            "Telegram did not register the webhook: " + outcome.errorMessage())
        .with("operation", "setWebhook");
  }

  private static ApiException registerCommandRefused(OutsideCalls.Outcome outcome) {
    if ("refused".equals(outcome.errorCode())) {
      return invalid("bot_token", "was refused by Discord (" + outcome.errorMessage() + ")");
    }
    return new ApiException(
            HttpStatus.BAD_GATEWAY,
            "discord_unavailable",
            "Discord did not register the /ask command: " + outcome.errorMessage())
        .with("operation", "applicationCommands.create");
  }

  private static ApiException busy() {
    return new ApiException(
            HttpStatus.SERVICE_UNAVAILABLE,
            "channels_busy",
            "Too many messages are being relayed; Telegram delivers this one again later.")
        .retryAfter(Duration.ofSeconds(5));
  }

  static byte[] associatedData(Channel channel) {
    return ("channel\0"
            + channel.id()
            + "\0"
            + channel.workspaceId()
            + "\0"
            + channel.kind().id()
            + "\0BOT_TOKEN")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void requireManager(ForwardedIdentity caller) {
    if (caller.role() != Role.OWNER && caller.role() != Role.ADMIN) {
      throw ApiException.forbidden(
          "forbidden_role", "Only the workspace's owners and admins manage channels.");
    }
  }

  private static boolean matches(String expectedHash, String secretToken) {
    return expectedHash != null
        && MessageDigest.isEqual(
            expectedHash.getBytes(StandardCharsets.US_ASCII),
            sha256(secretToken).getBytes(StandardCharsets.US_ASCII));
  }

  private static String text(JsonNode body, String field, boolean required) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw invalid(field, "is required");
      }
      return null;
    }
    if (!value.isString() || value.asString().isBlank()) {
      throw invalid(field, "must be a non-empty string");
    }
    return value.asString().strip();
  }

  static ApiException invalid(String field, String message) {
    return ApiException.badRequest("invalid_channel", field + " " + message).with("field", field);
  }

  static ApiException notFound(UUID id) {
    return ApiException.notFound("channel_not_found", "There is no channel " + id + ".");
  }

  /** 256 random bits in Telegram's secret-token alphabet ({@code A-Z a-z 0-9 _ -}). */
  private static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

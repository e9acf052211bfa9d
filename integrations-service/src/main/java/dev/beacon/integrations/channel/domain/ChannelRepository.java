package dev.beacon.integrations.channel.domain;

import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code integrations.channels} and its two side tables: the conversation of each Telegram chat or
 * Discord channel, and the deliveries already taken.
 */
@Repository
class ChannelRepository {

  private static final String COLUMNS =
      "id, workspace_id, kind, agent_id, created_by, created_at, bot_token, bot_token_last4,"
          + " webhook_secret_hash, application_id, public_key, last_message_at, last_reply_at,"
          + " last_error, last_error_at";

  /** A row with its secrets: the sealed bot token and the webhook secret's SHA-256. */
  record Row(Channel channel, byte[] botToken, String webhookSecretHash) {}

  private final DatabaseClient db;

  ChannelRepository(DatabaseClient db) {
    this.db = db;
  }

  Mono<Void> insert(Row row) {
    Channel c = row.channel();
    return db.sql(
            "INSERT INTO channels ("
                + COLUMNS
                + ") VALUES (:id, :workspace, :kind, :agent, :by, :at, :token, :last4, :secret,"
                + " :application, :key, NULL, NULL, NULL, NULL)")
        .bind("id", c.id())
        .bind("workspace", c.workspaceId())
        .bind("kind", c.kind().id())
        .bind("agent", c.agentId())
        .bind("by", c.createdBy())
        .bind("at", c.createdAt())
        .bind("token", Parameter.fromOrEmpty(row.botToken(), byte[].class))
        .bind("last4", Parameter.fromOrEmpty(c.botTokenLast4(), String.class))
        .bind("secret", Parameter.fromOrEmpty(row.webhookSecretHash(), String.class))
        .bind("application", Parameter.fromOrEmpty(c.applicationId(), String.class))
        .bind("key", Parameter.fromOrEmpty(c.publicKey(), String.class))
        .then();
  }

  Flux<Channel> list(String workspaceId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM channels WHERE workspace_id = :workspace ORDER BY created_at, id")
        .bind("workspace", workspaceId)
        .map(ChannelRepository::row)
        .all()
        .map(Row::channel);
  }

  Mono<Row> find(String workspaceId, UUID id) {
    return db.sql(
            "SELECT " + COLUMNS + " FROM channels WHERE workspace_id = :workspace AND id = :id")
        .bind("workspace", workspaceId)
        .bind("id", id)
        .map(ChannelRepository::row)
        .one();
  }

  /** A channel of any workspace, of this kind: what a webhook's path names. */
  Mono<Row> find(ChannelKind kind, UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM channels WHERE kind = :kind AND id = :id")
        .bind("kind", kind.id())
        .bind("id", id)
        .map(ChannelRepository::row)
        .one();
  }

  Mono<Long> delete(String workspaceId, UUID id) {
    return db.sql("DELETE FROM channels WHERE workspace_id = :workspace AND id = :id")
        .bind("workspace", workspaceId)
        .bind("id", id)
        .fetch()
        .rowsUpdated();
  }

  /** A channel of any workspace by its id: what a turn stop's row names. */
  Mono<Row> find(UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM channels WHERE id = :id")
        .bind("id", id)
        .map(ChannelRepository::row)
        .one();
  }

  /** A message of the channel went to the agent. */
  Mono<Void> messageRelayed(UUID id, Instant at) {
    return db.sql("UPDATE channels SET last_message_at = :at WHERE id = :id")
        .bind("at", at)
        .bind("id", id)
        .then();
  }

  /** Telegram or Discord took a reply, or refused it ({@code error} says why). */
  Mono<Void> replied(UUID id, String error, Instant at) {
    if (error == null) {
      return db.sql("UPDATE channels SET last_reply_at = :at WHERE id = :id")
          .bind("at", at)
          .bind("id", id)
          .then();
    }
    return db.sql("UPDATE channels SET last_error = :error, last_error_at = :at WHERE id = :id")
        .bind("error", error.length() > 500 ? error.substring(0, 500) : error)
        .bind("at", at)
        .bind("id", id)
        .then();
  }

  Mono<UUID> conversation(UUID channelId, String chatKey) {
    return db.sql(
            "SELECT conversation_id FROM channel_conversations"
                + " WHERE channel_id = :channel AND chat_key = :key")
        .bind("channel", channelId)
        .bind("key", chatKey)
        .map(r -> r.get("conversation_id", UUID.class))
        .one();
  }

  /**
   * Remembers the chat's conversation; of two made at once the first stored wins, and that one is
   * answered.
   */
  Mono<UUID> saveConversation(UUID channelId, String chatKey, UUID conversationId, Instant at) {
    return db.sql(
            "INSERT INTO channel_conversations (channel_id, chat_key, conversation_id, created_at)"
                + " VALUES (:channel, :key, :conversation, :at) ON CONFLICT DO NOTHING")
        .bind("channel", channelId)
        .bind("key", chatKey)
        .bind("conversation", conversationId)
        .bind("at", at)
        .then()
        .then(conversation(channelId, chatKey));
  }

  /** True the first time a delivery id is seen for the channel, false for a redelivery. */
  Mono<Boolean> take(UUID channelId, String deliveryId, Instant at) {
    return db.sql("DELETE FROM channel_deliveries WHERE received_at < :before")
        .bind("before", at.minusSeconds(86_400))
        .then()
        .then(
            db.sql(
                    "INSERT INTO channel_deliveries (channel_id, delivery_id, received_at)"
                        + " VALUES (:channel, :delivery, :at) ON CONFLICT DO NOTHING")
                .bind("channel", channelId)
                .bind("delivery", deliveryId)
                .bind("at", at)
                .fetch()
                .rowsUpdated())
        .map(inserted -> inserted == 1);
  }

  private static Row row(Readable r) {
    Channel channel =
        new Channel(
            r.get("id", UUID.class),
            r.get("workspace_id", String.class),
            ChannelKind.of(r.get("kind", String.class)),
            r.get("agent_id", UUID.class),
            r.get("created_by", String.class),
            r.get("created_at", Instant.class),
            r.get("bot_token_last4", String.class),
            r.get("application_id", String.class),
            r.get("public_key", String.class),
            new Channel.Activity(
                r.get("last_message_at", Instant.class),
                r.get("last_reply_at", Instant.class),
                r.get("last_error", String.class),
                r.get("last_error_at", Instant.class)));
    return new Row(channel, bytes(r.get("bot_token")), r.get("webhook_secret_hash", String.class));
  }

  private static byte[] bytes(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] array) {
      return array;
    }
    ByteBuffer buffer = ((ByteBuffer) value).duplicate();
    byte[] array = new byte[buffer.remaining()];
    buffer.get(array);
    return array;
  }
}

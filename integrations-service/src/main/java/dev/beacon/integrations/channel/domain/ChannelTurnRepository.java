package dev.beacon.integrations.channel.domain;

import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * {@code integrations.channel_turns}: the chat-service runs a channel started, where their answers
 * go, and the latest of their stops told to the chat. {@link #claim} is the one door to telling a
 * stop: it moves {@code told_stop} up in one conditional statement, so whoever claims a stop — the
 * relay from the turn's stream, or the listener from {@code chat.turn-stops.v1}, a redelivery
 * included — is the only one to tell it.
 */
@Repository
class ChannelTurnRepository {

  /** How long Discord's interaction token can send messages. */
  static final Duration INTERACTION_TOKEN_LIFE = Duration.ofMinutes(15);

  private static final String COLUMNS =
      "run_id, channel_id, conversation_id, reply_to, interaction_token, interaction_at, trace_id,"
          + " told_stop";

  /**
   * A turn of a channel.
   *
   * @param replyTo Telegram's chat id or the Discord channel id; {@code null} for a Discord DM
   *     without a channel id
   * @param interactionToken Discord's sealed interaction token, or {@code null} (Telegram, no
   *     keyset, or older than 15 minutes)
   * @param interactionAt when Discord's interaction came, or {@code null}
   * @param toldStop the latest stop told to the chat (0: none yet)
   */
  record Row(
      UUID runId,
      UUID channelId,
      UUID conversationId,
      String replyTo,
      byte[] interactionToken,
      Instant interactionAt,
      String traceId,
      int toldStop) {}

  private final DatabaseClient db;

  ChannelTurnRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Remembers a turn the relay started; rows untouched for {@code ttl}, and interaction tokens past
   * their life, are dropped first. A run seen again keeps its row.
   */
  Mono<Void> insert(Row row, Instant now, Duration ttl) {
    return db.sql("DELETE FROM channel_turns WHERE updated_at < :before")
        .bind("before", now.minus(ttl))
        .then()
        .then(
            db.sql(
                    "UPDATE channel_turns SET interaction_token = NULL"
                        + " WHERE interaction_token IS NOT NULL AND interaction_at < :expired")
                .bind("expired", now.minus(INTERACTION_TOKEN_LIFE))
                .then())
        .then(
            db.sql(
                    "INSERT INTO channel_turns ("
                        + COLUMNS
                        + ", created_at, updated_at) VALUES (:run, :channel, :conversation,"
                        + " :replyTo, :token, :interactionAt, :trace, 0, :now, :now)"
                        + " ON CONFLICT (run_id) DO NOTHING")
                .bind("run", row.runId())
                .bind("channel", row.channelId())
                .bind("conversation", row.conversationId())
                .bind("replyTo", Parameter.fromOrEmpty(row.replyTo(), String.class))
                .bind("token", Parameter.fromOrEmpty(row.interactionToken(), byte[].class))
                .bind("interactionAt", Parameter.fromOrEmpty(row.interactionAt(), Instant.class))
                .bind("trace", Parameter.fromOrEmpty(row.traceId(), String.class))
                .bind("now", now)
                .then());
  }

  /**
   * Claims the run's stop for telling: the row when its {@code told_stop} was below {@code stop}
   * (now {@code stop}), empty when the stop or a later one was told already, or the run is not a
   * channel's.
   */
  Mono<Row> claim(UUID runId, int stop, Instant now) {
    return db.sql(
            "UPDATE channel_turns SET told_stop = :stop, updated_at = :now"
                + " WHERE run_id = :run AND told_stop < :stop RETURNING "
                + COLUMNS)
        .bind("stop", stop)
        .bind("now", now)
        .bind("run", runId)
        .map(ChannelTurnRepository::row)
        .one();
  }

  Mono<Row> find(UUID runId) {
    return db.sql("SELECT " + COLUMNS + " FROM channel_turns WHERE run_id = :run")
        .bind("run", runId)
        .map(ChannelTurnRepository::row)
        .one();
  }

  private static Row row(Readable r) {
    return new Row(
        r.get("run_id", UUID.class),
        r.get("channel_id", UUID.class),
        r.get("conversation_id", UUID.class),
        r.get("reply_to", String.class),
        bytes(r.get("interaction_token")),
        r.get("interaction_at", Instant.class),
        r.get("trace_id", String.class),
        r.get("told_stop", Integer.class));
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

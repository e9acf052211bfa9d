package dev.beacon.chat.conversation.store;

import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The outbox of turn stops: written with the turn's state ({@link
 * ConversationRepository#stopTurn}), read here by the publisher in the order they were written.
 */
@Repository
public class TurnStopRepository {

  private final DatabaseClient db;

  TurnStopRepository(DatabaseClient db) {
    this.db = db;
  }

  /** The oldest stops Kafka has not acknowledged yet, in the order they were written. */
  public Flux<TurnStopRow> unpublished(int limit) {
    return db.sql(
            "SELECT stop_id, workspace_id, agent_id, run_id, payload FROM turn_stops"
                + " WHERE published_at IS NULL ORDER BY seq LIMIT :limit")
        .bind("limit", limit)
        .map(
            r -> {
              String stopId = r.get("stop_id", String.class);
              return new TurnStopRow(
                  stopId,
                  r.get("workspace_id", String.class),
                  r.get("agent_id", UUID.class),
                  r.get("run_id", UUID.class),
                  Integer.parseInt(stopId.substring(stopId.lastIndexOf(':') + 1)),
                  r.get("payload", String.class));
            })
        .all();
  }

  /** Kafka acknowledged the stop. */
  public Mono<Void> markPublished(String stopId, Instant now) {
    return db.sql(
            "UPDATE turn_stops SET published_at = :now"
                + " WHERE stop_id = :id AND published_at IS NULL")
        .bind("now", ConversationRepository.utc(now))
        .bind("id", stopId)
        .then();
  }

  /** Forgets stops published before {@code before}; how many. */
  public Mono<Long> deletePublishedBefore(Instant before) {
    return db.sql("DELETE FROM turn_stops WHERE published_at < :before")
        .bind("before", ConversationRepository.utc(before))
        .fetch()
        .rowsUpdated();
  }
}

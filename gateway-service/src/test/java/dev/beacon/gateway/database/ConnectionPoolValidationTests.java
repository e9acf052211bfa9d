package dev.beacon.gateway.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.testsupport.IntegrationTest;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.ValidationDepth;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A query whose rows are subscribed but never requested (a request cancelled at the wrong moment)
 * leaves its connection unusable: every later query on it waits forever, and the pool still thinks
 * it idle and healthy. The pool settings every service uses ({@code spring.r2dbc.pool.*}: a
 * server-side validation query bounded by {@code max-validation-time}) drop such a connection
 * instead of handing it to the next request. Real PostgreSQL; a one-connection pool built with the
 * application's own settings, so the poisoned connection is the one asked for next.
 */
@IntegrationTest
class ConnectionPoolValidationTests {

  @Autowired ConnectionFactory pooled;
  @Autowired R2dbcProperties properties;

  private ConnectionPool onePool(boolean withTheServicesValidation) {
    ConnectionFactory raw = ((ConnectionPool) pooled).unwrap();
    ConnectionPoolConfiguration.Builder config =
        ConnectionPoolConfiguration.builder(raw).initialSize(1).maxSize(1);
    R2dbcProperties.Pool pool = properties.getPool();
    if (withTheServicesValidation) {
      config
          .validationQuery(pool.getValidationQuery())
          .validationDepth(pool.getValidationDepth())
          .maxValidationTime(pool.getMaxValidationTime())
          .maxAcquireTime(pool.getMaxAcquireTime());
    }
    return new ConnectionPool(config.build());
  }

  /**
   * Runs a query, takes its result without ever cancelling it, subscribes to its rows without
   * demand, and gives the connection back: its response then waits in the connection forever.
   */
  private static void poison(ConnectionPool pool) {
    Connection connection = pool.create().block(Duration.ofSeconds(10));
    java.util.concurrent.CompletableFuture<Result> first =
        new java.util.concurrent.CompletableFuture<>();
    Flux.from(connection.createStatement("SELECT generate_series(1, 100000)").execute())
        .subscribe(
            new BaseSubscriber<Result>() {
              @Override
              protected void hookOnSubscribe(Subscription subscription) {
                subscription.request(1);
              }

              @Override
              protected void hookOnNext(Result result) {
                first.complete(result);
              }
            });
    Result result = first.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    Flux.from(result.map((row, metadata) -> row.get(0)))
        .subscribe(
            new BaseSubscriber<Object>() {
              @Override
              protected void hookOnSubscribe(Subscription subscription) {
                subscription.request(1);
              }

              @Override
              protected void hookOnNext(Object row) {
                // takes one row, never asks for more, never cancels
              }
            });
    Mono.from(connection.close()).block(Duration.ofSeconds(10));
  }

  private static Mono<Integer> selectOne(ConnectionPool pool) {
    return Mono.usingWhen(
        pool.create(),
        c ->
            Flux.from(c.createStatement("SELECT 1").execute())
                .concatMap(r -> r.map((row, metadata) -> row.get(0, Integer.class)))
                .next(),
        Connection::close);
  }

  @Test
  void theServicesPoolSettingsCheckEveryConnectionOnTheServerWithinABound() {
    R2dbcProperties.Pool pool = properties.getPool();
    assertThat(pool.getValidationQuery()).isEqualTo("SELECT 1");
    assertThat(pool.getValidationDepth()).isEqualTo(ValidationDepth.REMOTE);
    assertThat(pool.getMaxValidationTime()).isEqualTo(Duration.ofSeconds(2));
    assertThat(pool.getMaxAcquireTime()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void withoutValidationAPoisonedConnectionHangsTheNextQuery() {
    ConnectionPool pool = onePool(false);
    try {
      poison(pool);
      StepVerifier.create(selectOne(pool))
          .expectSubscription()
          .expectTimeout(Duration.ofSeconds(3))
          .verify();
    } finally {
      pool.disposeLater().onErrorComplete().block(Duration.ofSeconds(10));
    }
  }

  @Test
  void withTheServicesValidationAPoisonedConnectionIsDroppedAndTheNextQueryAnswers() {
    ConnectionPool pool = onePool(true);
    try {
      poison(pool);
      StepVerifier.create(selectOne(pool))
          .expectNext(1)
          .expectComplete()
          .verify(Duration.ofSeconds(20));
    } finally {
      pool.disposeLater().onErrorComplete().block(Duration.ofSeconds(10));
    }
  }
}

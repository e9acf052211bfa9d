package dev.beacon.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.ingest.apikey.domain.ApiKeyFormat;
import dev.beacon.ingest.apikey.domain.ApiKeyService;
import dev.beacon.ingest.apikey.store.ApiKeyRepository;
import dev.beacon.ingest.apikey.store.ApiKeyRow;
import dev.beacon.ingest.apikey.store.RejectionRow;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.test.StepVerifier;

/** Keys and rejections in PostgreSQL: hashes only, bounded history, idempotent provisioning. */
@IntegrationTest
class ApiKeyR2dbcTests {

  @Autowired ApiKeyRepository repository;
  @Autowired ApiKeyService keys;

  private ApiKeyRow row(String secret) {
    return new ApiKeyRow(
        UUID.randomUUID(),
        "ws-r2dbc",
        "k",
        ApiKeyFormat.displayPrefix(secret),
        ApiKeyFormat.sha256(secret),
        List.of("ingest"),
        null,
        "user-1",
        Instant.now().truncatedTo(ChronoUnit.MICROS),
        null,
        null,
        null,
        null);
  }

  @Test
  void findsAKeyByTheHashOfItsSecretOnly() {
    String secret = ApiKeyFormat.generate();
    ApiKeyRow row = row(secret);
    StepVerifier.create(repository.insertIfAbsent(row)).expectNext(true).verifyComplete();

    StepVerifier.create(repository.findBySecretHash(ApiKeyFormat.sha256(secret)))
        .assertNext(
            found -> {
              assertThat(found.id()).isEqualTo(row.id());
              assertThat(found.secretSha256()).isEqualTo(row.secretSha256());
              assertThat(found.displayPrefix()).isEqualTo(secret.substring(0, 12));
            })
        .verifyComplete();
    StepVerifier.create(repository.findBySecretHash(ApiKeyFormat.sha256(ApiKeyFormat.generate())))
        .verifyComplete();
  }

  @Test
  void keepsOnlyTheNewestRejectionsPerKey() {
    ApiKeyRow row = row(ApiKeyFormat.generate());
    repository.insertIfAbsent(row).block();
    for (int round = 0; round < 12; round++) {
      int base = round * 10;
      List<RejectionRow> rows =
          IntStream.range(0, 10)
              .mapToObj(
                  i ->
                      new RejectionRow(
                          row.id(),
                          Instant.now(),
                          base + i,
                          null,
                          "schema_violation",
                          "m" + (base + i)))
              .toList();
      repository.appendRejections(row.id(), rows, 100).block();
    }

    List<RejectionRow> kept = repository.recentRejections(row.id(), 1000).collectList().block();
    assertThat(kept).hasSize(100);
    assertThat(kept.get(0).eventIndex()).isEqualTo(119);
    assertThat(kept.get(99).eventIndex()).isEqualTo(20);
  }

  @Test
  void provisioningTheSameKeyTwiceCreatesItOnce() {
    String secret = ApiKeyFormat.generate();

    StepVerifier.create(keys.provision(secret, "ws-provision", "bootstrap"))
        .expectNext(true)
        .verifyComplete();
    StepVerifier.create(keys.provision(secret, "ws-provision", "bootstrap"))
        .expectNext(false)
        .verifyComplete();
    StepVerifier.create(keys.list("ws-provision").collectList())
        .assertNext(
            list ->
                assertThat(list)
                    .singleElement()
                    .satisfies(k -> assertThat(k.scopes()).containsExactly("ingest", "read")))
        .verifyComplete();
  }
}

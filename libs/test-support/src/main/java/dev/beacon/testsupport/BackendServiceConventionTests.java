package dev.beacon.testsupport;

import org.junit.jupiter.api.Test;

/**
 * {@link ServiceConventionTests} for the services behind the gateway, which also refuse any API
 * request that does not carry the gateway's forwarded identity.
 */
public abstract class BackendServiceConventionTests extends ServiceConventionTests {

  @Test
  void refusesApiRequestsWithoutAForwardedIdentity() {
    web.get()
        .uri("/api/anything")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("identity_missing");
  }
}

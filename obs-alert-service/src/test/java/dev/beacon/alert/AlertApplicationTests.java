package dev.beacon.alert;

import dev.beacon.testsupport.BackendServiceConventionTests;
import dev.beacon.testsupport.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;

/** The obs-alert-service as ops and the gateway see it; features add their own tests. */
@IntegrationTest
class AlertApplicationTests extends BackendServiceConventionTests {

  /**
   * Two Kafka consumers (metric updates, billing's entitlements) each export Kafka's client
   * metrics: the Prometheus page is past WebTestClient's default 256 KB buffer.
   */
  @BeforeEach
  void largerBuffer() {
    web = web.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build();
  }
}

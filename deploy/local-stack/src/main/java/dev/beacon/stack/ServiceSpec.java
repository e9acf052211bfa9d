package dev.beacon.stack;

import java.util.List;

/** One Beacon service as the local stack runs it: module (= jar name) and port offset. */
record ServiceSpec(String module, int portOffset) {

  /** Every service, in port order: gateway on the base port (8080), the others after it. */
  static final List<ServiceSpec> ALL =
      List.of(
          new ServiceSpec("gateway-service", 0),
          new ServiceSpec("chat-service", 1),
          new ServiceSpec("billing-service", 2),
          new ServiceSpec("integrations-service", 3),
          new ServiceSpec("obs-ingest-service", 4),
          new ServiceSpec("obs-aggregator-service", 5),
          new ServiceSpec("obs-alert-service", 6));

  int port(int basePort) {
    return basePort + portOffset;
  }
}

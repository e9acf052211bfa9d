package dev.beacon.gateway.routing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The base URL of every service the gateway routes to. */
@Component
public class ServiceUrls {

  /** Local defaults, in the order of the services table. */
  static final Map<String, String> DEFAULTS;

  static {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("chat", "http://localhost:8081");
    defaults.put("billing", "http://localhost:8082");
    defaults.put("integrations", "http://localhost:8083");
    defaults.put("obs-ingest", "http://localhost:8084");
    defaults.put("obs-aggregator", "http://localhost:8085");
    defaults.put("obs-alert", "http://localhost:8086");
    DEFAULTS = Map.copyOf(defaults);
  }

  private final Map<String, String> configured;

  ServiceUrls(RoutingProperties properties) {
    this.configured = properties.services();
  }

  /** The configured URL of {@code service}, its local default when unset or empty. */
  public String url(String service) {
    String value = configured.get(service);
    if (value == null || value.isBlank()) {
      String fallback = DEFAULTS.get(service);
      if (fallback == null) {
        throw new IllegalArgumentException("Unknown service " + service);
      }
      return fallback;
    }
    return value.trim();
  }
}

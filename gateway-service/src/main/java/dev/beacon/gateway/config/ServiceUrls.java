package dev.beacon.gateway.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/** The base URL of every service the gateway calls: the routes' targets and ingest's key check. */
@Component
public class ServiceUrls {

  /** Local defaults, in the order of the services table. */
  private static final Map<String, String> DEFAULTS;

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

  /** The name of every service the gateway knows. */
  public static final Set<String> SERVICES = DEFAULTS.keySet();

  private final Map<String, String> configured;

  ServiceUrls(ServiceUrlProperties properties) {
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

package dev.beacon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Which service each API path goes to. The routing tests point every service at one stand-in, so
 * they cannot tell the services apart; this reads the gateway's own route table.
 */
class RouteTableApplicationTests extends GatewayTestSupport {

  @Autowired RouteLocator routes;

  @Test
  void everyApiPathGoesToTheServiceThatOwnsIt() {
    Map<String, String> expected =
        Map.ofEntries(
            Map.entry("/api/obs/keys", "obs-ingest"),
            Map.entry("/api/obs/keys/k1/rejections", "obs-ingest"),
            Map.entry("/api/obs/usage", "obs-ingest"),
            Map.entry("/api/obs/v1/events", "obs-ingest"),
            Map.entry("/api/obs/otlp/v1/traces", "obs-ingest"),
            Map.entry("/api/obs/alerts/rules", "obs-alert"),
            Map.entry("/api/obs/notifications", "obs-alert"),
            Map.entry("/api/obs/metrics/agents", "obs-aggregator"),
            Map.entry("/api/obs/usage-report", "obs-aggregator"),
            Map.entry("/api/obs/settings/retention", "obs-aggregator"),
            Map.entry("/api/billing/credits", "billing"),
            Map.entry("/api/chat/agents", "chat"),
            Map.entry("/api/integrations/tools", "integrations"),
            Map.entry("/api/integrations/mcp", "integrations"));

    expected.forEach((path, service) -> assertThat(routeOf(path)).as(path).isEqualTo(service));
  }

  private String routeOf(String path) {
    List<Route> ordered =
        routes.getRoutes().collectList().block().stream()
            .sorted(Comparator.comparingInt(Route::getOrder))
            .toList();
    for (Route route : ordered) {
      MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path));
      if (Boolean.TRUE.equals(Mono.from(route.getPredicate().apply(exchange)).block())) {
        return route.getId();
      }
    }
    return "none";
  }
}

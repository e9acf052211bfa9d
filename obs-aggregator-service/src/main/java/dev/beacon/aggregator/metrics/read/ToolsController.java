package dev.beacon.aggregator.metrics.read;

import dev.beacon.identity.ForwardedIdentity;
import java.time.Clock;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/obs/tools}: the reliability scorecard of tools and service operations. */
@RestController
class ToolsController {

  private final DatabaseClient db;
  private final Clock clock;

  ToolsController(DatabaseClient db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @GetMapping("/api/obs/tools")
  Mono<List<MetricsController.ToolScore>> tools(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam MultiValueMap<String, String> query) {
    return MetricsController.tools(db, clock, identity.workspaceId(), query);
  }
}

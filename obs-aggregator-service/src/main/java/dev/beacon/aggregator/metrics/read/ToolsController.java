package dev.beacon.aggregator.metrics.read;

import dev.beacon.aggregator.metrics.read.ToolsQuery.ToolScore;
import dev.beacon.identity.ForwardedIdentity;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/obs/tools}: the reliability scorecard of tools and service operations ({@link
 * ToolsQuery}), over the days {@code from} to {@code to} (default the last 7).
 */
@RestController
class ToolsController {

  private final ToolsQuery tools;
  private final Clock clock;

  ToolsController(ToolsQuery tools, Clock clock) {
    this.tools = tools;
    this.clock = clock;
  }

  @GetMapping("/api/obs/tools")
  Mono<List<ToolScore>> tools(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam MultiValueMap<String, String> query) {
    DayRange days = DayRange.of(query, LocalDate.now(clock.withZone(ZoneOffset.UTC)), 7);
    return tools.scorecard(identity.workspaceId(), days.from(), days.to());
  }
}

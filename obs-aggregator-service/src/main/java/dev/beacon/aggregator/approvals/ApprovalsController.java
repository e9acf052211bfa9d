package dev.beacon.aggregator.approvals;

import dev.beacon.aggregator.web.Params;
import dev.beacon.identity.ForwardedIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/obs/approvals?from=&to=&agent_id=}: per agent and action kind, the actions
 * proposed in {@code [from, to)} (default the last 7 days, at most 400 days) and what became of
 * them.
 */
@RestController
class ApprovalsController {

  private static final long MAX_DAYS = 400;

  private final ApprovalsQuery approvals;
  private final Clock clock;

  ApprovalsController(ApprovalsQuery approvals, Clock clock) {
    this.approvals = approvals;
    this.clock = clock;
  }

  @GetMapping("/api/obs/approvals")
  Mono<ApprovalsQuery.Approvals> approvals(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam MultiValueMap<String, String> query) {
    Instant to = Params.instant("to", query.getFirst("to"), clock.instant());
    Instant from = Params.instant("from", query.getFirst("from"), to.minus(Duration.ofDays(7)));
    Params.range(
        "from", "to", from.isBefore(to), Duration.between(from, to).toDays(), MAX_DAYS, "days");
    String agent = query.getFirst("agent_id");
    if (agent != null && (agent.isBlank() || agent.length() > 256)) {
      throw Params.invalid("agent_id must be 1-256 characters.");
    }
    return approvals.groups(identity.workspaceId(), from, to, agent);
  }
}

package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.eventlog.RunQuery.RunDetail;
import dev.beacon.aggregator.eventlog.RunQuery.RunPage;
import dev.beacon.aggregator.web.Params;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.util.Set;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Agent runs of the caller's workspace, newest first, and one run with its events in order. */
@RestController
class RunsController {

  private static final Set<String> STATUSES = Set.of("running", "ok", "error");

  private final RunQuery runs;

  RunsController(RunQuery runs) {
    this.runs = runs;
  }

  @GetMapping("/api/obs/runs")
  Mono<RunPage> list(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam MultiValueMap<String, String> query) {
    int limit = Params.integer("limit", query.getFirst("limit"), 50, 1, 500);
    String agent = Params.text("agent", query.getFirst("agent"));
    String status = Params.oneOf("status", query.getFirst("status"), STATUSES, null);
    String cursor = query.getFirst("cursor");
    KeysetCursor position = cursor == null || cursor.isBlank() ? null : KeysetCursor.decode(cursor);
    return runs.page(identity.workspaceId(), agent, status, position, limit);
  }

  @GetMapping("/api/obs/runs/{runId}")
  Mono<RunDetail> one(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String runId) {
    return runs.detail(identity.workspaceId(), Params.text("run_id", runId))
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("not_found", "Run not found.")));
  }
}

package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.eventlog.EventQuery.EventPage;
import dev.beacon.aggregator.web.Params;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.time.Clock;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The event log of the caller's workspace: filtered, keyset-paged lists, newest first (default the
 * last 30 days, 50 per page); one event.
 */
@RestController
class EventsController {

  private final EventQuery events;
  private final Clock clock;

  EventsController(EventQuery events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  @GetMapping("/api/obs/events")
  Mono<EventPage> list(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam MultiValueMap<String, String> query) {
    int limit = Params.integer("limit", query.getFirst("limit"), 50, 1, 500);
    EventFilters filters =
        new EventFilters(identity.workspaceId(), query, clock.instant(), 24 * 30);
    return events.page(filters, limit);
  }

  @GetMapping("/api/obs/events/{eventId}")
  Mono<EventView> one(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String eventId) {
    UUID id = Params.uuid("event_id", eventId);
    return events
        .one(identity.workspaceId(), id)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("not_found", "Event not found.")));
  }
}

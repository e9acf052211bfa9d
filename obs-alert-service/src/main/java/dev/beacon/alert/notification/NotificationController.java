package dev.beacon.alert.notification;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The caller's in-app notifications: list, mark read, and a live SSE stream. */
@RestController
@RequestMapping("/api/obs/notifications")
class NotificationController {

  private final NotificationRepository notifications;
  private final NotificationStream stream;
  private final AlertProperties properties;
  private final Clock clock;

  NotificationController(
      NotificationRepository notifications,
      NotificationStream stream,
      AlertProperties properties,
      Clock clock) {
    this.notifications = notifications;
    this.stream = stream;
    this.properties = properties;
    this.clock = clock;
  }

  /** {@code {"notifications": [...], "unread": n}}. */
  record NotificationList(List<Notification> notifications, long unread) {}

  @GetMapping
  Mono<NotificationList> list(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam(defaultValue = "unread") String status,
      @RequestParam(defaultValue = "50") String limit) {
    if (!status.equals("unread") && !status.equals("all")) {
      throw ApiException.badRequest("invalid_parameter", "status must be unread or all.");
    }
    int max = parseLimit(limit);
    return notifications
        .list(identity.workspaceId(), status.equals("unread"), max)
        .collectList()
        .zipWith(notifications.unread(identity.workspaceId()))
        .map(t -> new NotificationList(t.getT1(), t.getT2()));
  }

  @PostMapping("/{id}/read")
  Mono<ResponseEntity<Void>> read(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    UUID notificationId;
    try {
      notificationId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound();
    }
    return notifications
        .markRead(identity.workspaceId(), notificationId, clock.instant())
        .flatMap(
            found ->
                found
                    ? Mono.just(ResponseEntity.noContent().<Void>build())
                    : Mono.error(notFound()));
  }

  @PostMapping("/read-all")
  Mono<ResponseEntity<Void>> readAll(@AuthenticationPrincipal ForwardedIdentity identity) {
    return notifications
        .markAllRead(identity.workspaceId(), clock.instant())
        .thenReturn(ResponseEntity.noContent().build());
  }

  @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Flux<ServerSentEvent<Notification>> stream(@AuthenticationPrincipal ForwardedIdentity identity) {
    Flux<ServerSentEvent<Notification>> live =
        stream
            .of(identity.workspaceId())
            .map(
                n ->
                    ServerSentEvent.builder(n).id(n.id().toString()).event("notification").build());
    Flux<ServerSentEvent<Notification>> heartbeat =
        Flux.interval(properties.sseHeartbeat())
            .map(tick -> ServerSentEvent.<Notification>builder().comment("heartbeat").build());
    // a first comment commits the response at once, so clients know the stream is open
    Flux<ServerSentEvent<Notification>> opened =
        Flux.just(ServerSentEvent.<Notification>builder().comment("connected").build());
    return Flux.concat(opened, Flux.merge(live, heartbeat));
  }

  private static int parseLimit(String limit) {
    try {
      int value = Integer.parseInt(limit);
      if (value >= 1 && value <= 200) {
        return value;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw ApiException.badRequest("invalid_parameter", "limit must be between 1 and 200.");
  }

  private static ApiException notFound() {
    return ApiException.notFound(
        "notification_not_found", "No such notification in this workspace.");
  }
}

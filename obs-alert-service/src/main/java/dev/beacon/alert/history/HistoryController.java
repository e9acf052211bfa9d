package dev.beacon.alert.history;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/obs/alerts/events}: the workspace's transitions, newest first, each with every
 * delivery attempt (a delivery without attempts yet shows as one {@code pending} entry with attempt
 * 0). Keyset-paged: pass {@code next_cursor} back as {@code before}.
 */
@RestController
class HistoryController {

  private final HistoryQuery history;

  HistoryController(HistoryQuery history) {
    this.history = history;
  }

  @GetMapping("/api/obs/alerts/events")
  Mono<HistoryQuery.Page> events(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam(name = "rule_id", required = false) String ruleId,
      @RequestParam(defaultValue = "50") String limit,
      @RequestParam(required = false) String before) {
    int max = (int) parse(limit, 1, 500, "limit must be between 1 and 500.");
    long cursor =
        before == null || before.isEmpty()
            ? Long.MAX_VALUE
            : parse(before, 1, Long.MAX_VALUE, "before must be a next_cursor value.");
    UUID rule = null;
    if (ruleId != null && !ruleId.isEmpty()) {
      try {
        rule = UUID.fromString(ruleId);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("invalid_parameter", "rule_id must be a rule id.");
      }
    }
    return history.page(identity.workspaceId(), rule, max, cursor);
  }

  private static long parse(String text, long min, long max, String message) {
    try {
      long value = Long.parseLong(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest("invalid_parameter", message);
  }
}

package dev.beacon.alert.preview;

import dev.beacon.alert.preview.PreviewService.Preview;
import dev.beacon.alert.rule.Rule;
import dev.beacon.alert.rule.RuleJson.ChannelJson;
import dev.beacon.alert.rule.RuleJson.RuleRequest;
import dev.beacon.alert.rule.RuleValidator;
import dev.beacon.identity.ForwardedIdentity;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/obs/alerts/rules/preview}: validates a draft rule as for {@code POST
 * /api/obs/alerts/rules} (channels optional) and backtests it on the aggregator's history ({@link
 * PreviewService}).
 */
@RestController
class PreviewController {

  private final PreviewService previews;
  private final RuleValidator validator;
  private final Clock clock;

  PreviewController(PreviewService previews, RuleValidator validator, Clock clock) {
    this.previews = previews;
    this.validator = validator;
    this.clock = clock;
  }

  @PostMapping("/api/obs/alerts/rules/preview")
  Mono<Preview> preview(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestHeader(ForwardedIdentity.HEADER) String identityToken,
      @RequestBody RuleRequest request) {
    RuleRequest draft =
        request != null && (request.channels() == null || request.channels().isEmpty())
            ? withInAppChannel(request)
            : request;
    Instant now = clock.instant();
    Rule rule = validator.validate(draft, UUID.randomUUID(), identity.workspaceId(), null, now);
    return previews.preview(rule, identityToken, now);
  }

  private static RuleRequest withInAppChannel(RuleRequest r) {
    return new RuleRequest(
        r.name(),
        r.metric(),
        r.filters(),
        r.groupBy(),
        r.window(),
        r.comparator(),
        r.warningThreshold(),
        r.criticalThreshold(),
        r.minSample(),
        r.noData(),
        List.of(new ChannelJson("in_app", null, null, null, null)),
        r.renotifyMinutes(),
        r.cooldownMinutes(),
        r.enabled(),
        r.snoozedUntil());
  }
}

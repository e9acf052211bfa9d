package dev.beacon.alert.rule;

import dev.beacon.alert.rule.RuleJson.RuleList;
import dev.beacon.alert.rule.RuleJson.RuleRequest;
import dev.beacon.alert.rule.RuleJson.RuleResponse;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** CRUD of the caller's workspace's alert rules. */
@RestController
@RequestMapping("/api/obs/alerts/rules")
class RuleController {

  private final RuleService rules;

  RuleController(RuleService rules) {
    this.rules = rules;
  }

  @GetMapping
  Mono<RuleList> list(@AuthenticationPrincipal ForwardedIdentity identity) {
    return rules.list(identity.workspaceId()).collectList().map(RuleList::new);
  }

  @PostMapping
  Mono<ResponseEntity<RuleResponse>> create(
      @AuthenticationPrincipal ForwardedIdentity identity, @RequestBody RuleRequest request) {
    return rules
        .create(identity.workspaceId(), request)
        .map(body -> ResponseEntity.status(HttpStatus.CREATED).body(body));
  }

  @GetMapping("/{id}")
  Mono<RuleResponse> get(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    return rules.get(identity.workspaceId(), parseId(id)).switchIfEmpty(Mono.error(notFound()));
  }

  @PutMapping("/{id}")
  Mono<RuleResponse> update(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @PathVariable String id,
      @RequestBody RuleRequest request) {
    return rules
        .update(identity.workspaceId(), parseId(id), request)
        .switchIfEmpty(Mono.error(notFound()));
  }

  @DeleteMapping("/{id}")
  Mono<ResponseEntity<Void>> delete(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    return rules
        .delete(identity.workspaceId(), parseId(id))
        .flatMap(
            deleted ->
                deleted
                    ? Mono.just(ResponseEntity.noContent().<Void>build())
                    : Mono.error(notFound()));
  }

  private static UUID parseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound();
    }
  }

  private static ApiException notFound() {
    return ApiException.notFound("rule_not_found", "No such alert rule in this workspace.");
  }
}

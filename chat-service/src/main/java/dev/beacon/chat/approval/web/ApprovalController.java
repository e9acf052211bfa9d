package dev.beacon.chat.approval.web;

import dev.beacon.chat.approval.domain.ApprovalService;
import dev.beacon.chat.approval.domain.ApprovalView;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The workspace's approval queue. Everyone reads; members and above decide (viewers are refused
 * with 403 {@code forbidden_role} by the identity library). A foreign or unknown id is 404.
 */
@RestController
@RequestMapping("/api/chat/approvals")
class ApprovalController {

  private static final int MAX_LIMIT = 200;

  private final ApprovalService approvals;

  ApprovalController(ApprovalService approvals) {
    this.approvals = approvals;
  }

  @GetMapping
  Mono<Map<String, List<ApprovalView>>> list(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam(required = false) String state,
      @RequestParam(name = "agent_id", required = false) String agentId,
      @RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("invalid_request", "limit must be from 1 to " + MAX_LIMIT)
          .with("field", "limit");
    }
    UUID agent = null;
    if (agentId != null && !agentId.isBlank()) {
      try {
        agent = UUID.fromString(agentId);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("invalid_request", "agent_id must be an agent's id")
            .with("field", "agent_id");
      }
    }
    return approvals
        .list(identity.workspaceId(), blankToNull(state), agent, limit)
        .map(list -> Map.of("approvals", list));
  }

  @GetMapping("/{id}")
  Mono<ApprovalView> get(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    return approvals.get(identity.workspaceId(), parse(id));
  }

  @PostMapping("/{id}/approve")
  Mono<ApprovalView> approve(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    return approvals.approve(identity.workspaceId(), identity.userId(), parse(id));
  }

  @PostMapping("/{id}/reject")
  Mono<ApprovalView> reject(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @PathVariable String id,
      @RequestBody(required = false) JsonNode body) {
    String reason = null;
    if (body != null && !body.isNull()) {
      if (!body.isObject()) {
        throw ApiException.badRequest("invalid_request", "The body must be a JSON object");
      }
      JsonNode value = body.get("reason");
      if (value != null && !value.isNull()) {
        if (!value.isString()) {
          throw ApiException.badRequest("invalid_request", "reason must be a string")
              .with("field", "reason");
        }
        reason = value.asString();
      }
    }
    return approvals.reject(identity.workspaceId(), identity.userId(), parse(id), reason);
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApprovalService.notFound();
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}

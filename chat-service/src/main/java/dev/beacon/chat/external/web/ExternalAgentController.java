package dev.beacon.chat.external.web;

import dev.beacon.chat.external.domain.DirectoryEntry;
import dev.beacon.chat.external.domain.ExternalAgentService;
import dev.beacon.chat.external.domain.ExternalAgentView;
import dev.beacon.identity.ForwardedIdentity;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The workspace's external agents under {@code /api/chat/external-agents}, and the agent directory
 * at {@code /api/chat/agents/directory} (here, not in the agent feature, so that agents do not
 * depend on external agents). Viewers read (the identity library refuses their writes with 403
 * {@code forbidden_role}); members and above write. An id that is not a UUID, unknown, or of
 * another workspace is answered 404 {@code not_found}.
 */
@RestController
class ExternalAgentController {

  private final ExternalAgentService externalAgents;

  ExternalAgentController(ExternalAgentService externalAgents) {
    this.externalAgents = externalAgents;
  }

  @GetMapping("/api/chat/external-agents")
  Mono<Map<String, List<ExternalAgentView>>> list(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam(name = "include_archived", defaultValue = "false") boolean includeArchived) {
    return externalAgents
        .list(identity.workspaceId(), includeArchived)
        .map(list -> Map.of("external_agents", list));
  }

  @PostMapping("/api/chat/external-agents")
  Mono<ResponseEntity<ExternalAgentView>> create(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestHeader(ForwardedIdentity.HEADER) String identityToken,
      @RequestBody(required = false) JsonNode body) {
    return externalAgents
        .create(identity.workspaceId(), identity.userId(), identityToken, body)
        .map(agent -> ResponseEntity.status(HttpStatus.CREATED).body(agent));
  }

  @GetMapping("/api/chat/external-agents/{id}")
  Mono<ExternalAgentView> get(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    return externalAgents.get(identity.workspaceId(), parse(id));
  }

  @PatchMapping("/api/chat/external-agents/{id}")
  Mono<ExternalAgentView> update(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestHeader(ForwardedIdentity.HEADER) String identityToken,
      @PathVariable String id,
      @RequestBody(required = false) JsonNode body) {
    return externalAgents.update(identity.workspaceId(), parse(id), identityToken, body);
  }

  @PostMapping("/api/chat/external-agents/{id}/archive")
  Mono<ExternalAgentView> archive(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    return externalAgents.archive(identity.workspaceId(), parse(id));
  }

  @GetMapping("/api/chat/agents/directory")
  Mono<Map<String, List<DirectoryEntry>>> directory(
      @AuthenticationPrincipal ForwardedIdentity identity) {
    return externalAgents.directory(identity.workspaceId()).map(list -> Map.of("agents", list));
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ExternalAgentService.notFound();
    }
  }
}

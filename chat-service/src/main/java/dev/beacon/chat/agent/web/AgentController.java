package dev.beacon.chat.agent.web;

import dev.beacon.chat.agent.domain.AgentService;
import dev.beacon.chat.agent.domain.AgentView;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The workspace's agents under {@code /api/chat/agents}. Viewers read (the identity library refuses
 * their writes with 403 {@code forbidden_role}); members and above write. An id that is not a UUID,
 * unknown, or of another workspace is answered 404 {@code not_found}.
 */
@RestController
@RequestMapping("/api/chat/agents")
class AgentController {

  private final AgentService agents;

  AgentController(AgentService agents) {
    this.agents = agents;
  }

  @GetMapping
  Mono<Map<String, List<AgentView>>> list(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam(name = "include_archived", defaultValue = "false") boolean includeArchived) {
    return agents.list(identity.workspaceId(), includeArchived).map(list -> Map.of("agents", list));
  }

  @PostMapping
  Mono<ResponseEntity<AgentView>> create(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestBody(required = false) JsonNode body) {
    return agents
        .create(identity.workspaceId(), identity.userId(), body)
        .map(agent -> ResponseEntity.status(HttpStatus.CREATED).body(agent));
  }

  @GetMapping("/{id}")
  Mono<AgentView> get(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    return agents.get(identity.workspaceId(), parse(id));
  }

  @PatchMapping("/{id}")
  Mono<AgentView> update(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @PathVariable String id,
      @RequestBody(required = false) JsonNode body) {
    return agents.update(identity.workspaceId(), parse(id), body);
  }

  @PostMapping("/{id}/archive")
  Mono<AgentView> archive(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    return agents.archive(identity.workspaceId(), parse(id));
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw AgentService.notFound();
    }
  }
}

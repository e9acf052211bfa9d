package dev.beacon.chat.tool.web;

import dev.beacon.chat.tool.ToolCatalog;
import dev.beacon.chat.tool.ToolSpec;
import dev.beacon.identity.ForwardedIdentity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/chat/tools}: the tools the workspace can give its agents (the demo tools on the
 * local stack, then integrations-service's registry), for the agent editor. Any role may read it.
 */
@RestController
class ToolController {

  private static final JsonMapper JSON = JsonMapper.shared();

  private final ToolCatalog tools;

  ToolController(ToolCatalog tools) {
    this.tools = tools;
  }

  @GetMapping("/api/chat/tools")
  Mono<Map<String, List<Map<String, Object>>>> list(
      @AuthenticationPrincipal ForwardedIdentity identity) {
    return tools
        .available(identity.workspaceId(), identity.userId())
        .map(list -> Map.of("tools", list.stream().map(ToolController::view).toList()));
  }

  private static Map<String, Object> view(ToolSpec spec) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", spec.name());
    view.put("description", spec.description());
    view.put("kind", spec.kind().id());
    view.put("integration", spec.integration());
    view.put("parameters", JSON.readTree(spec.parametersSchema()));
    view.put("requires_approval", spec.requiresApproval());
    return view;
  }
}

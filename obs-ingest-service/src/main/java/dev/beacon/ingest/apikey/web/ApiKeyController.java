package dev.beacon.ingest.apikey.web;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiErrors;
import dev.beacon.identity.error.ApiException;
import dev.beacon.ingest.apikey.domain.AgentIds;
import dev.beacon.ingest.apikey.domain.ApiKeyScope;
import dev.beacon.ingest.apikey.domain.ApiKeyService;
import dev.beacon.ingest.apikey.domain.ApiKeyView;
import dev.beacon.ingest.apikey.domain.KeyUpdate;
import dev.beacon.ingest.apikey.domain.Rejection;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Key management for the workspace of the forwarded identity. Viewers may list and read (the
 * identity library refuses their writes); members and above create, bind to an agent and revoke.
 * Another workspace's key is answered 404, like a key that does not exist.
 */
@RestController
@RequestMapping("/api/obs/keys")
class ApiKeyController {

  /** The fields {@code PATCH /api/obs/keys/{id}} may change. */
  private static final Set<String> PATCHABLE = Set.of("agent_id");

  private final ApiKeyService keys;
  private final Clock clock;

  ApiKeyController(ApiKeyService keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  @PostMapping
  Mono<ResponseEntity<?>> create(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestBody(required = false) CreateKeyRequest request) {
    Optional<String> problem = problem(request);
    if (problem.isPresent()) {
      return Mono.just(
          ApiErrors.response(HttpStatus.BAD_REQUEST, "invalid_request", problem.get()));
    }
    if (request.agentId() != null && !request.agentId().isNull()) {
      Optional<ApiException> invalid = agentIdProblem(request.agentId());
      if (invalid.isPresent()) {
        return Mono.just(ApiErrors.response(invalid.get()));
      }
    }
    Set<ApiKeyScope> scopes = EnumSet.noneOf(ApiKeyScope.class);
    if (request.scopes() == null || request.scopes().isEmpty()) {
      scopes.add(ApiKeyScope.INGEST);
    } else {
      request.scopes().forEach(s -> scopes.add(ApiKeyScope.of(s).orElseThrow()));
    }
    return keys.create(
            identity.workspaceId(),
            identity.userId(),
            request.name().strip(),
            scopes,
            request.expiresAt(),
            request.rateLimitPerSecond(),
            request.agentIdText())
        .<ResponseEntity<?>>map(view -> ResponseEntity.status(HttpStatus.CREATED).body(view))
        .onErrorResume(ApiException.class, e -> Mono.just(ApiErrors.response(e)));
  }

  private Optional<String> problem(CreateKeyRequest request) {
    if (request == null || request.name() == null || request.name().isBlank()) {
      return Optional.of("name is required");
    }
    if (request.name().length() > 100) {
      return Optional.of("name must be at most 100 characters");
    }
    if (request.scopes() != null
        && request.scopes().stream().anyMatch(s -> ApiKeyScope.of(s).isEmpty())) {
      return Optional.of("scopes must be among 'ingest', 'read' and 'tools'");
    }
    if (request.expiresAt() != null && !request.expiresAt().isAfter(clock.instant())) {
      return Optional.of("expires_at must be in the future");
    }
    if (request.rateLimitPerSecond() != null
        && (request.rateLimitPerSecond() < 1 || request.rateLimitPerSecond() > 100_000)) {
      return Optional.of("rate_limit_per_second must be between 1 and 100000");
    }
    return Optional.empty();
  }

  @GetMapping
  Mono<Map<String, List<ApiKeyView>>> list(@AuthenticationPrincipal ForwardedIdentity identity) {
    return keys.list(identity.workspaceId()).collectList().map(views -> Map.of("keys", views));
  }

  @GetMapping("/{id}")
  Mono<ResponseEntity<?>> get(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    return parse(id)
        .map(
            uuid ->
                keys.find(identity.workspaceId(), uuid)
                    .<ResponseEntity<?>>map(ResponseEntity::ok)
                    .defaultIfEmpty(notFound()))
        .orElseGet(() -> Mono.just(notFound()));
  }

  /**
   * Changes only the fields the body names; for now {@code agent_id} is the only one: a valid id
   * binds the key to that agent, {@code null} unbinds it.
   */
  @PatchMapping("/{id}")
  Mono<ResponseEntity<?>> update(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @PathVariable String id,
      @RequestBody(required = false) JsonNode body) {
    Optional<ApiException> problem = patchProblem(body);
    if (problem.isPresent()) {
      return Mono.just(ApiErrors.response(problem.get()));
    }
    Optional<UUID> uuid = parse(id);
    if (uuid.isEmpty()) {
      return Mono.just(notFound());
    }
    JsonNode agentId = body.get("agent_id");
    return keys.bindAgent(
            identity.workspaceId(), uuid.get(), agentId.isNull() ? null : agentId.stringValue())
        .map(ApiKeyController::answer);
  }

  private static ResponseEntity<?> answer(KeyUpdate update) {
    if (update instanceof KeyUpdate.Updated updated) {
      return ResponseEntity.ok(updated.key());
    }
    if (update instanceof KeyUpdate.Revoked) {
      return ApiErrors.response(
          HttpStatus.CONFLICT,
          "api_key_revoked",
          "The API key was revoked; a revoked key cannot be changed.");
    }
    return notFound();
  }

  private static Optional<ApiException> patchProblem(JsonNode body) {
    if (body == null || !body.isObject()) {
      return Optional.of(
          ApiException.badRequest(
              "invalid_request",
              "The body must be a JSON object naming the fields to change, such as"
                  + " {\"agent_id\": \"billing-bot\"}."));
    }
    for (String name : body.propertyNames()) {
      if (!PATCHABLE.contains(name)) {
        return Optional.of(
            ApiException.badRequest(
                "field_not_patchable",
                "\""
                    + truncate(name, 100)
                    + "\" cannot be changed; agent_id is the only field a key's PATCH may name."));
      }
    }
    if (!body.has("agent_id")) {
      return Optional.of(
          ApiException.badRequest(
              "empty_patch",
              "Name the field to change: {\"agent_id\": \"<agent id>\"} binds the key to an"
                  + " agent, {\"agent_id\": null} unbinds it."));
    }
    JsonNode agentId = body.get("agent_id");
    return agentId.isNull() ? Optional.empty() : agentIdProblem(agentId);
  }

  private static Optional<ApiException> agentIdProblem(JsonNode agentId) {
    if (AgentIds.isValid(agentId)) {
      return Optional.empty();
    }
    return Optional.of(
        ApiException.badRequest(
            "invalid_agent_id",
            "agent_id must be "
                + AgentIds.DESCRIPTION
                + ", as an event's agent_id (or null for a key that may send for any agent)."));
  }

  private static String truncate(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max) + "…";
  }

  @DeleteMapping("/{id}")
  Mono<ResponseEntity<?>> revoke(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    return parse(id)
        .map(
            uuid ->
                keys.revoke(identity.workspaceId(), uuid)
                    .map(found -> found ? ResponseEntity.noContent().build() : notFound()))
        .orElseGet(() -> Mono.just(notFound()));
  }

  @GetMapping("/{id}/rejections")
  Mono<ResponseEntity<?>> rejections(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    return parse(id)
        .map(
            uuid ->
                keys.recentRejections(identity.workspaceId(), uuid)
                    .<ResponseEntity<?>>map(
                        (List<Rejection> list) -> ResponseEntity.ok(Map.of("rejections", list)))
                    .defaultIfEmpty(notFound()))
        .orElseGet(() -> Mono.just(notFound()));
  }

  private static Optional<UUID> parse(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static ResponseEntity<?> notFound() {
    return ApiErrors.response(
        HttpStatus.NOT_FOUND, "api_key_not_found", "No such API key in this workspace.");
  }
}

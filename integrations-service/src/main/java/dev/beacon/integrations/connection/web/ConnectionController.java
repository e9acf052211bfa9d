package dev.beacon.integrations.connection.web;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.connection.domain.AvailabilityTarget;
import dev.beacon.integrations.connection.domain.Connection;
import dev.beacon.integrations.connection.domain.ConnectionService;
import dev.beacon.integrations.connection.domain.CredentialProvider;
import dev.beacon.integrations.connection.domain.CredentialService;
import dev.beacon.integrations.connection.domain.Provider;
import dev.beacon.integrations.connection.domain.ProviderId;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The workspace's connections, OAuth and credential ones. Every role lists; members and up connect,
 * disconnect and set availability targets (the identity library refuses a viewer's POST, PUT and
 * DELETE with 403 {@code forbidden_role}). The callback is a public path: the browser arrives from
 * the provider, and the single-use state is what authenticates it. No answer ever carries a token.
 */
@RestController
@RequestMapping("/api/integrations")
class ConnectionController {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ConnectionService connections;
  private final CredentialService credentials;

  ConnectionController(ConnectionService connections, CredentialService credentials) {
    this.connections = connections;
    this.credentials = credentials;
  }

  /**
   * Connects a credential provider: {@code {"provider": "binance", "api_key", "api_secret"}},
   * {@code {"provider": "telegram", "bot_token"}}, {@code {"provider": "brave", "api_key"}}. The
   * credential is checked with the provider first; 201 with the connection as the list shows it.
   */
  @PostMapping("/connections")
  @ResponseStatus(HttpStatus.CREATED)
  Mono<Map<String, Object>> connect(
      @AuthenticationPrincipal ForwardedIdentity caller,
      @RequestBody(required = false) byte[] bytes) {
    // read as bytes and parsed here: Spring's JSON decoder logs what it decoded at DEBUG, and this
    // body is a credential
    JsonNode body = json(bytes);
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest(
          "invalid_request", "The body must be a JSON object with \"provider\" and its fields.");
    }
    JsonNode id = body.get("provider");
    if (id == null || !id.isString()) {
      throw ApiException.badRequest("invalid_request", "\"provider\" must be a string.");
    }
    Provider provider = Provider.of(id.asString());
    if (!(provider instanceof CredentialProvider credentialProvider)) {
      throw ApiException.badRequest(
              "oauth_provider",
              provider.displayName()
                  + " is connected through OAuth: POST /api/integrations/connections/"
                  + provider.id()
                  + "/authorize.")
          .with("provider", provider.id());
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : body.properties()) {
      if (field.getKey().equals("provider")) {
        continue;
      }
      if (!field.getValue().isString()) {
        throw CredentialService.invalid(field.getKey(), field.getKey() + " must be a string.");
      }
      fields.put(field.getKey(), field.getValue().asString());
    }
    return credentials.connect(caller, credentialProvider, fields).map(ConnectionController::view);
  }

  @GetMapping("/providers")
  Map<String, List<Map<String, Object>>> providers() {
    return Map.of(
        "credential_providers",
        credentials.providers().stream()
            .map(
                p -> {
                  Map<String, Object> view = new LinkedHashMap<>();
                  view.put("id", p.provider().id());
                  view.put("display_name", p.provider().displayName());
                  view.put(
                      "fields",
                      p.provider().fields().stream().map(CredentialProvider.Field::name).toList());
                  view.put("platform_credential", p.platformCredential());
                  return view;
                })
            .toList(),
        "providers",
        connections.providers().stream()
            .map(
                p -> {
                  Map<String, Object> view = new LinkedHashMap<>();
                  view.put("id", p.provider().id());
                  view.put("display_name", p.provider().displayName());
                  view.put("configured", p.configured());
                  view.put("scopes", p.scopes());
                  return view;
                })
            .toList());
  }

  @PostMapping("/connections/{provider}/authorize")
  Mono<Map<String, String>> authorize(
      @AuthenticationPrincipal ForwardedIdentity caller, @PathVariable String provider) {
    return connections
        .authorize(caller, oauthProvider(provider))
        .map(url -> Map.of("authorization_url", url.toString()));
  }

  /**
   * The provider's redirect back. A browser (it accepts {@code text/html}) is sent to the
   * Integrations page either way: {@code ?connected=<provider>}, or {@code ?error=<code>&provider=}
   * when the callback is refused; any other client gets the refusal as the JSON error.
   */
  @GetMapping("/oauth/{provider}/callback")
  Mono<ResponseEntity<Void>> callback(
      @PathVariable String provider,
      @RequestParam(required = false) String code,
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String error,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
    return Mono.defer(() -> connections.complete(ProviderId.of(provider), code, state, error))
        .map(ConnectionController::seeOther)
        .onErrorResume(
            ApiException.class,
            refusal ->
                accept != null && accept.contains(MediaType.TEXT_HTML_VALUE)
                    ? Mono.just(seeOther(connections.failurePage(provider, refusal.code())))
                    : Mono.error(refusal));
  }

  private static ResponseEntity<Void> seeOther(java.net.URI page) {
    return ResponseEntity.status(HttpStatus.FOUND).location(page).build();
  }

  @GetMapping("/connections")
  Mono<Map<String, List<Map<String, Object>>>> list(
      @AuthenticationPrincipal ForwardedIdentity caller) {
    return connections
        .list(caller.workspaceId())
        .map(ConnectionController::view)
        .collectList()
        .map(list -> Map.of("connections", list));
  }

  @DeleteMapping("/connections/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> disconnect(
      @AuthenticationPrincipal ForwardedIdentity caller, @PathVariable String id) {
    return connections.disconnect(caller, parse(id));
  }

  /**
   * Sets the connection's availability target: {@code {"availability_target": "99.5"}}, a decimal
   * string (see {@link AvailabilityTarget}); answers the connection as the list shows it.
   */
  @PutMapping("/connections/{id}/sla")
  Mono<Map<String, Object>> setSla(
      @AuthenticationPrincipal ForwardedIdentity caller,
      @PathVariable String id,
      @RequestBody JsonNode body) {
    if (!body.isObject()) {
      throw ApiException.badRequest(
          "invalid_request", "The body must be a JSON object with \"availability_target\".");
    }
    JsonNode value = body.get("availability_target");
    if (value == null || !value.isString()) {
      throw AvailabilityTarget.invalid();
    }
    BigDecimal target = AvailabilityTarget.parse(value.asString());
    return connections
        .setAvailabilityTarget(caller, parse(id), target)
        .map(ConnectionController::view);
  }

  /** Clears the connection's availability target. */
  @DeleteMapping("/connections/{id}/sla")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> clearSla(@AuthenticationPrincipal ForwardedIdentity caller, @PathVariable String id) {
    return connections.setAvailabilityTarget(caller, parse(id), null).then();
  }

  /** The OAuth provider of the path; 400 {@code credential_provider} for one that takes a key. */
  private static ProviderId oauthProvider(String id) {
    Provider provider = Provider.of(id);
    if (provider instanceof ProviderId oauth) {
      return oauth;
    }
    throw ApiException.badRequest(
            "credential_provider",
            provider.displayName()
                + " is connected with a credential: POST /api/integrations/connections.")
        .with("provider", provider.id());
  }

  private static JsonNode json(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("connection_not_found", "There is no connection " + id + ".");
    }
  }

  private static Map<String, Object> view(Connection c) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", c.id().toString());
    view.put("provider", c.provider().id());
    view.put("account", c.account());
    view.put("scopes", c.scopes());
    view.put("connected_by", c.connectedBy());
    view.put("connected_at", c.connectedAt().toString());
    view.put("last_used_at", c.lastUsedAt() == null ? null : c.lastUsedAt().toString());
    view.put("status", c.status().value());
    view.put(
        "last_error",
        c.lastError() == null
            ? null
            : Map.of(
                "code",
                c.lastError().code(),
                "message",
                c.lastError().message(),
                "at",
                c.lastError().at().toString()));
    view.put(
        "availability_target",
        c.availabilityTarget() == null ? null : AvailabilityTarget.format(c.availabilityTarget()));
    return view;
  }
}

package dev.beacon.ingest.apikey.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.identity.error.ApiErrors;
import dev.beacon.ingest.apikey.domain.ApiKeyScope;
import dev.beacon.ingest.apikey.domain.ApiKeyService;
import dev.beacon.ingest.apikey.domain.KeyCheck;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Lets the gateway verify a key and learn its workspace and scopes, so that keys stay owned here.
 * Served without a forwarded identity; the gateway does not route {@code /internal/**} from
 * outside, so it is reachable only on the internal network.
 */
@RestController
class KeyVerificationController {

  private final ApiKeyService keys;

  KeyVerificationController(ApiKeyService keys) {
    this.keys = keys;
  }

  /**
   * Body of the request.
   *
   * @param key the presented key
   */
  record VerifyRequest(String key) {}

  /**
   * Body of a successful verification.
   *
   * @param keyId the key's id
   * @param workspaceId its workspace
   * @param scopes its scopes
   * @param expiresAt its expiry, or {@code null}
   */
  record VerifiedKey(
      @JsonProperty("key_id") UUID keyId,
      @JsonProperty("workspace_id") String workspaceId,
      List<String> scopes,
      @JsonProperty("expires_at") Instant expiresAt) {}

  @PostMapping("/internal/keys/verify")
  Mono<ResponseEntity<?>> verify(@RequestBody(required = false) VerifyRequest request) {
    return keys.authenticate(request == null ? null : request.key())
        .map(KeyVerificationController::response);
  }

  private static ResponseEntity<?> response(KeyCheck check) {
    if (check instanceof KeyCheck.Valid valid) {
      return ResponseEntity.ok(
          new VerifiedKey(
              valid.key().id(),
              valid.key().workspaceId(),
              valid.key().scopes().stream().map(ApiKeyScope::value).toList(),
              valid.key().expiresAt()));
    }
    if (check instanceof KeyCheck.Revoked) {
      return ApiErrors.response(
          HttpStatus.FORBIDDEN, "api_key_revoked", "The API key was revoked.");
    }
    return ApiErrors.response(
        HttpStatus.UNAUTHORIZED,
        "invalid_api_key",
        "The API key is missing, malformed, unknown or expired.");
  }
}

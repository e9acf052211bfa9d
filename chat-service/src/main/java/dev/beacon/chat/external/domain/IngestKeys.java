package dev.beacon.chat.external.domain;

import dev.beacon.chat.config.ChatProperties;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * obs-ingest's key API, where an API key is bound to the agent it speaks for: {@code PATCH
 * /api/obs/keys/{id}} with {@code {"agent_id": …}} ({@code null} unbinds), sent with the caller's
 * own forwarded identity, so ingest applies its own workspace and role rules. From then on, events
 * sent with the key are attributed to that agent (docs/observability/02-ingestion-api.md).
 */
@Component
public class IngestKeys {

  private final WebClient web;
  private final Duration timeout;

  IngestKeys(ChatProperties properties) {
    String url = properties.ingest().url();
    this.web = url == null || url.isBlank() ? null : WebClient.builder().baseUrl(url).build();
    this.timeout = properties.ingest().timeout();
  }

  /**
   * Binds the key to {@code agentId}, or unbinds it when {@code agentId} is null. A key that is not
   * the workspace's, or is revoked, is a field error of {@code api_key_id}; obs-ingest not
   * answering is 502 {@code ingest_unavailable}.
   */
  Mono<Void> bind(String identityToken, UUID keyId, String agentId) {
    if (web == null) {
      return Mono.error(
          ExternalAgentInput.fieldError(
              "api_key_id",
              "cannot be linked: chat-service does not know obs-ingest"
                  + " (BEACON_OBS_INGEST_SERVICE_URL is not set)"));
    }
    Map<String, Object> body = new HashMap<>();
    body.put("agent_id", agentId);
    return web.patch()
        .uri("/api/obs/keys/{id}", keyId)
        .header(ForwardedIdentity.HEADER, identityToken)
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .retrieve()
        .toBodilessEntity()
        .timeout(timeout)
        .then()
        .onErrorMap(e -> !(e instanceof ApiException), IngestKeys::answer);
  }

  private static ApiException answer(Throwable e) {
    if (e instanceof WebClientResponseException response) {
      HttpStatus status = HttpStatus.resolve(response.getStatusCode().value());
      if (status == HttpStatus.NOT_FOUND) {
        return ExternalAgentInput.fieldError("api_key_id", "is not an API key of this workspace");
      }
      if (status == HttpStatus.CONFLICT) {
        return ExternalAgentInput.fieldError("api_key_id", "is a revoked API key");
      }
      if (status == HttpStatus.FORBIDDEN) {
        return new ApiException(
            HttpStatus.FORBIDDEN,
            "forbidden_role",
            "Linking an API key to an agent needs a role that may manage the workspace's API keys.");
      }
    }
    return new ApiException(
        HttpStatus.BAD_GATEWAY,
        "ingest_unavailable",
        "obs-ingest could not be reached to link the API key; nothing was changed. Try again.");
  }
}

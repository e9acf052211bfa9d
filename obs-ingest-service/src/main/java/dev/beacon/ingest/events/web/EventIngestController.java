package dev.beacon.ingest.events.web;

import dev.beacon.identity.error.ApiErrors;
import dev.beacon.identity.error.ApiException;
import dev.beacon.ingest.apikey.domain.ApiKeyFormat;
import dev.beacon.ingest.apikey.domain.ApiKeyScope;
import dev.beacon.ingest.apikey.domain.ApiKeyService;
import dev.beacon.ingest.apikey.domain.AuthenticatedKey;
import dev.beacon.ingest.apikey.domain.KeyCheck;
import dev.beacon.ingest.apikey.domain.Rejection;
import dev.beacon.ingest.config.IngestProperties;
import dev.beacon.ingest.events.domain.BatchIngestService;
import dev.beacon.ingest.events.kafka.KafkaUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/obs/v1/events} and {@code GET /api/obs/v1/schema}. Public for the identity
 * filter: callers authenticate with {@code Authorization: Bearer <api key>}.
 *
 * <p>Order of checks: key (401/403), content type and encoding (415), rate (429), body size (413),
 * JSON (400), events (per-event results), monthly quota (per-event results, 429 when nothing fits),
 * Kafka (503). Parsing, inflating and validation run on the parallel scheduler; sends on the
 * publisher's own threads; the event loop only moves bytes.
 */
@RestController
class EventIngestController {

  private static final String WWW_AUTHENTICATE = "Bearer realm=\"beacon-ingest\"";
  private static final byte[] SCHEMA = BatchIngestService.schemaBytes();

  private final ApiKeyService keys;
  private final BatchIngestService batches;
  private final RequestBodyReader bodies;
  private final KeyRateLimiters rateLimiters;
  private final Duration kafkaRetryAfter;
  private final Clock clock;

  EventIngestController(
      ApiKeyService keys,
      BatchIngestService batches,
      RequestBodyReader bodies,
      KeyRateLimiters rateLimiters,
      IngestProperties properties,
      Clock clock) {
    this.keys = keys;
    this.batches = batches;
    this.bodies = bodies;
    this.rateLimiters = rateLimiters;
    this.kafkaRetryAfter = properties.publish().retryAfter();
    this.clock = clock;
  }

  @GetMapping(value = "/api/obs/v1/schema", produces = "application/schema+json")
  ResponseEntity<byte[]> schema() {
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/schema+json"))
        .body(SCHEMA);
  }

  @PostMapping("/api/obs/v1/events")
  Mono<ResponseEntity<?>> ingest(ServerHttpRequest request, ServerHttpResponse response) {
    // every answer is JSON, whatever the Accept header asks for: negotiating at the end would
    // turn an accepted batch, already on Kafka, into a 406
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    HttpHeaders headers = request.getHeaders();
    return keys.authenticate(
            ApiKeyFormat.fromAuthorization(headers.getFirst(HttpHeaders.AUTHORIZATION)))
        .flatMap(
            check -> {
              if (check instanceof KeyCheck.Valid valid) {
                return ingest(request, valid.key());
              }
              if (check instanceof KeyCheck.Revoked) {
                return refused(request, error(403, "api_key_revoked", "The API key was revoked."));
              }
              return refused(request, invalidKey());
            });
  }

  private Mono<ResponseEntity<?>> ingest(ServerHttpRequest request, AuthenticatedKey key) {
    if (!key.scopes().contains(ApiKeyScope.INGEST)) {
      return refused(
          request,
          error(403, "insufficient_scope", "The API key does not have the 'ingest' scope."));
    }
    HttpHeaders headers = request.getHeaders();
    if (!isJson(headers)) {
      return refused(
          request, error(415, "unsupported_media_type", "Send Content-Type: application/json."));
    }
    String encoding = headers.getFirst(HttpHeaders.CONTENT_ENCODING);
    boolean gzip = encoding != null && encoding.strip().equalsIgnoreCase("gzip");
    if (encoding != null && !gzip && !encoding.strip().equalsIgnoreCase("identity")) {
      return refused(
          request,
          error(415, "unsupported_content_encoding", "Content-Encoding must be gzip or left out."));
    }
    KeyRateLimiters.Decision rate = rateLimiters.acquire(key);
    if (!rate.permitted()) {
      return refused(
          request,
          ResponseEntity.status(429)
              .headers(rate.headers())
              .header(HttpHeaders.RETRY_AFTER, Long.toString(rate.retryAfterSeconds()))
              .body(
                  new ApiException(
                          HttpStatus.TOO_MANY_REQUESTS,
                          "rate_limited",
                          "The API key exceeded its request rate.")
                      .body()));
    }
    return bodies
        .read(request, gzip)
        .publishOn(Schedulers.parallel())
        .map(body -> gzip ? bodies.inflate(body) : body)
        .flatMap(body -> batches.ingest(body, key))
        .<ResponseEntity<?>>map(
            outcome -> {
              ResponseEntity.BodyBuilder answer =
                  ResponseEntity.status(outcome.status()).headers(rate.headers());
              if (outcome.retryAfter() != null) {
                answer.header(
                    HttpHeaders.RETRY_AFTER, Long.toString(outcome.retryAfter().toSeconds()));
              }
              return answer.body(outcome.body());
            })
        .onErrorResume(ApiException.class, e -> Mono.just(refused(key, e)))
        .onErrorResume(
            KafkaUnavailableException.class,
            e ->
                Mono.just(
                    refused(
                        key,
                        new ApiException(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "kafka_unavailable",
                                "The events could not be stored; retry the same batch later.")
                            .retryAfter(kafkaRetryAfter))));
  }

  /**
   * A refusal decided on the headers, sent once the body has arrived ({@link
   * RequestBodyReader#discard} says why).
   */
  private Mono<ResponseEntity<?>> refused(ServerHttpRequest request, ResponseEntity<?> answer) {
    return bodies.discard(request).thenReturn(answer);
  }

  private ResponseEntity<?> refused(AuthenticatedKey key, ApiException e) {
    keys.recordRejections(
        key.id(), List.of(new Rejection(clock.instant(), null, null, e.code(), e.getMessage())));
    return ApiErrors.response(e);
  }

  private static boolean isJson(HttpHeaders headers) {
    try {
      MediaType type = headers.getContentType();
      return type != null
          && type.getType().equals("application")
          && type.getSubtype().equals("json")
          && (type.getCharset() == null || type.getCharset().equals(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static ResponseEntity<?> invalidKey() {
    return ResponseEntity.status(401)
        .header(HttpHeaders.WWW_AUTHENTICATE, WWW_AUTHENTICATE)
        .body(
            new ApiException(
                    HttpStatus.UNAUTHORIZED,
                    "invalid_api_key",
                    "The API key is missing, malformed, unknown or expired.")
                .body());
  }

  private static ResponseEntity<?> error(int status, String code, String message) {
    return ApiErrors.response(HttpStatus.valueOf(status), code, message);
  }
}

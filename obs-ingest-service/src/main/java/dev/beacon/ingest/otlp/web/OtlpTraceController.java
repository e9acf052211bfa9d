package dev.beacon.ingest.otlp.web;

import dev.beacon.identity.error.ApiException;
import dev.beacon.ingest.apikey.domain.ApiKeyFormat;
import dev.beacon.ingest.apikey.domain.ApiKeyScope;
import dev.beacon.ingest.apikey.domain.ApiKeyService;
import dev.beacon.ingest.apikey.domain.AuthenticatedKey;
import dev.beacon.ingest.apikey.domain.KeyCheck;
import dev.beacon.ingest.apikey.domain.Rejection;
import dev.beacon.ingest.config.IngestProperties;
import dev.beacon.ingest.events.kafka.KafkaUnavailableException;
import dev.beacon.ingest.events.web.KeyRateLimiters;
import dev.beacon.ingest.events.web.RequestBodyReader;
import dev.beacon.ingest.otlp.domain.OtlpFormat;
import dev.beacon.ingest.otlp.domain.OtlpIngestService;
import dev.beacon.ingest.otlp.domain.OtlpOutcome;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/obs/otlp/v1/traces}: OTLP/HTTP trace export, binary protobuf or JSON, optionally
 * gzip-encoded, so that any OpenTelemetry SDK exports to Beacon with {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT=<base>/api/obs/otlp}.
 *
 * <p>Same keys, rate limiter, body caps, codes and order of checks as {@code POST
 * /api/obs/v1/events}: key (401/403), content type and encoding (415), rate (429), body size (413),
 * decoding (400), spans (partial success), Kafka (503). Errors are {@code google.rpc.Status} bodies
 * with the code in an {@code ErrorInfo}; 429 and 503 carry {@code Retry-After}, which OTLP
 * exporters honour. Answers use the request's content type (JSON when it was unsupported).
 */
@RestController
class OtlpTraceController {

  static final MediaType PROTOBUF = MediaType.parseMediaType("application/x-protobuf");
  private static final String WWW_AUTHENTICATE = "Bearer realm=\"beacon-ingest\"";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ApiKeyService keys;
  private final OtlpIngestService otlp;
  private final RequestBodyReader bodies;
  private final KeyRateLimiters rateLimiters;
  private final Duration kafkaRetryAfter;
  private final Clock clock;

  OtlpTraceController(
      ApiKeyService keys,
      OtlpIngestService otlp,
      RequestBodyReader bodies,
      KeyRateLimiters rateLimiters,
      IngestProperties properties,
      Clock clock) {
    this.keys = keys;
    this.otlp = otlp;
    this.bodies = bodies;
    this.rateLimiters = rateLimiters;
    this.kafkaRetryAfter = properties.publish().retryAfter();
    this.clock = clock;
  }

  @PostMapping("/api/obs/otlp/v1/traces")
  Mono<ResponseEntity<byte[]>> export(ServerHttpRequest request) {
    HttpHeaders headers = request.getHeaders();
    OtlpFormat format = format(headers);
    OtlpFormat answerFormat = format == null ? OtlpFormat.JSON : format;
    return keys.authenticate(
            ApiKeyFormat.fromAuthorization(headers.getFirst(HttpHeaders.AUTHORIZATION)))
        .flatMap(
            check -> {
              if (check instanceof KeyCheck.Valid valid) {
                return export(request, format, valid.key());
              }
              if (check instanceof KeyCheck.Revoked) {
                return refused(
                    request,
                    error(answerFormat, 403, "api_key_revoked", "The API key was revoked."));
              }
              ResponseEntity<byte[]> invalid =
                  error(
                      answerFormat,
                      401,
                      "invalid_api_key",
                      "The API key is missing, malformed, unknown or expired.");
              return refused(
                  request,
                  ResponseEntity.status(401)
                      .header(HttpHeaders.WWW_AUTHENTICATE, WWW_AUTHENTICATE)
                      .headers(invalid.getHeaders())
                      .body(invalid.getBody()));
            });
  }

  private Mono<ResponseEntity<byte[]>> export(
      ServerHttpRequest request, OtlpFormat format, AuthenticatedKey key) {
    if (!key.scopes().contains(ApiKeyScope.INGEST)) {
      return refused(
          request,
          error(
              format == null ? OtlpFormat.JSON : format,
              403,
              "insufficient_scope",
              "The API key does not have the 'ingest' scope."));
    }
    if (format == null) {
      return refused(
          request,
          error(
              OtlpFormat.JSON,
              415,
              "unsupported_media_type",
              "Send Content-Type: application/x-protobuf or application/json."));
    }
    String encoding = request.getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING);
    boolean gzip = encoding != null && encoding.strip().equalsIgnoreCase("gzip");
    if (encoding != null && !gzip && !encoding.strip().equalsIgnoreCase("identity")) {
      return refused(
          request,
          error(
              format,
              415,
              "unsupported_content_encoding",
              "Content-Encoding must be gzip or left out."));
    }
    KeyRateLimiters.Decision rate = rateLimiters.acquire(key);
    if (!rate.permitted()) {
      ResponseEntity<byte[]> limited =
          error(format, 429, "rate_limited", "The API key exceeded its request rate.");
      return refused(
          request,
          ResponseEntity.status(429)
              .headers(limited.getHeaders())
              .headers(rate.headers())
              .header(HttpHeaders.RETRY_AFTER, Long.toString(rate.retryAfterSeconds()))
              .body(limited.getBody()));
    }
    return bodies
        .read(request, gzip)
        .publishOn(Schedulers.parallel())
        .map(body -> gzip ? bodies.inflate(body) : body)
        .flatMap(body -> otlp.ingest(body, format, key))
        .map(
            outcome ->
                ResponseEntity.ok()
                    .headers(rate.headers())
                    .contentType(mediaType(format))
                    .body(response(format, outcome)))
        .onErrorResume(ApiException.class, e -> Mono.just(refused(format, key, e)))
        .onErrorResume(
            KafkaUnavailableException.class,
            e ->
                Mono.just(
                    refused(
                        format,
                        key,
                        new ApiException(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "kafka_unavailable",
                                "The spans could not be stored; retry the same export later.")
                            .retryAfter(kafkaRetryAfter))));
  }

  private static byte[] response(OtlpFormat format, OtlpOutcome outcome) {
    if (format == OtlpFormat.PROTOBUF) {
      ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
      if (outcome.rejectedSpans() > 0) {
        response.setPartialSuccess(
            ExportTracePartialSuccess.newBuilder()
                .setRejectedSpans(outcome.rejectedSpans())
                .setErrorMessage(outcome.errorMessage()));
      }
      return response.build().toByteArray();
    }
    ObjectNode response = JSON.createObjectNode();
    if (outcome.rejectedSpans() > 0) {
      // proto3 JSON writes int64 as a string
      response
          .putObject("partialSuccess")
          .put("rejectedSpans", Integer.toString(outcome.rejectedSpans()))
          .put("errorMessage", outcome.errorMessage());
    }
    return JSON.writeValueAsBytes(response);
  }

  /**
   * A refusal decided on the headers, sent once the body has arrived ({@link
   * RequestBodyReader#discard} says why).
   */
  private Mono<ResponseEntity<byte[]>> refused(
      ServerHttpRequest request, ResponseEntity<byte[]> answer) {
    return bodies.discard(request).thenReturn(answer);
  }

  private ResponseEntity<byte[]> refused(OtlpFormat format, AuthenticatedKey key, ApiException e) {
    keys.recordRejections(
        key.id(), List.of(new Rejection(clock.instant(), null, null, e.code(), e.getMessage())));
    ResponseEntity<byte[]> response =
        ResponseEntity.status(e.status())
            .contentType(mediaType(format))
            .body(
                OtlpStatus.encode(
                    format, e.status().value(), e.code(), e.getMessage(), e.details()));
    if (e.retryAfter() == null) {
      return response;
    }
    return ResponseEntity.status(e.status())
        .headers(response.getHeaders())
        .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
        .body(response.getBody());
  }

  private static ResponseEntity<byte[]> error(
      OtlpFormat format, int status, String code, String message) {
    return ResponseEntity.status(status)
        .contentType(mediaType(format))
        .body(OtlpStatus.encode(format, status, code, message));
  }

  private static MediaType mediaType(OtlpFormat format) {
    return format == OtlpFormat.PROTOBUF ? PROTOBUF : MediaType.APPLICATION_JSON;
  }

  /** The request's encoding, or {@code null} when its content type is not an OTLP one. */
  private static OtlpFormat format(HttpHeaders headers) {
    try {
      MediaType type = headers.getContentType();
      if (type == null || !type.getType().equals("application")) {
        return null;
      }
      if (type.getSubtype().equals("x-protobuf") || type.getSubtype().equals("protobuf")) {
        return OtlpFormat.PROTOBUF;
      }
      if (type.getSubtype().equals("json")
          && (type.getCharset() == null || type.getCharset().equals(StandardCharsets.UTF_8))) {
        return OtlpFormat.JSON;
      }
      return null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}

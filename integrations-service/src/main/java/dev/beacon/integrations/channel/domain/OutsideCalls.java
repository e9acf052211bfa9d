package dev.beacon.integrations.channel.domain;

import dev.beacon.events.ErrorDetails;
import dev.beacon.integrations.config.ChannelsProperties;
import dev.beacon.integrations.config.IntegrationsProperties;
import dev.beacon.integrations.events.CallContext;
import dev.beacon.integrations.events.IntegrationEvents;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends one request to Telegram or Discord and publishes one {@code service_call} for it. Answers
 * are read as bytes and parsed here (Spring's decoders log what they decode at DEBUG), and no
 * failure message carries the URL: Telegram's URLs hold the bot token.
 */
@Component
class OutsideCalls {

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_ANSWER_BYTES = 256 * 1024;

  /**
   * A request.
   *
   * @param service {@code telegram} or {@code discord}, for the event
   * @param operation {@code sendMessage}, {@code interactions.editOriginal} …, for the event
   */
  record Request(
      String service,
      String operation,
      HttpMethod method,
      URI uri,
      Map<String, String> headers,
      Object body) {}

  /**
   * What came back: the HTTP status (0 when nothing did), the JSON answer (or {@code null}) and,
   * for a failure, its code and message.
   */
  record Outcome(int httpStatus, JsonNode answer, String errorCode, String errorMessage) {

    boolean ok() {
      return errorCode == null;
    }
  }

  /** Reads an answer (status and JSON, {@code null} when not JSON) into an outcome. */
  interface Judge {
    Outcome judge(int status, JsonNode answer);
  }

  private final WebClient web;
  private final IntegrationEvents events;
  private final ChannelsProperties settings;
  private final String userAgent;

  OutsideCalls(
      IntegrationEvents events, ChannelsProperties settings, IntegrationsProperties properties) {
    this.web =
        WebClient.builder()
            .codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_ANSWER_BYTES))
            .build();
    this.events = events;
    this.settings = settings;
    this.userAgent = properties.providers().userAgent();
  }

  Mono<Outcome> send(Request request, CallContext context, String channelId, Judge judge) {
    WebClient.RequestBodySpec spec =
        web.method(request.method())
            .uri(request.uri())
            .headers(
                h -> {
                  h.set(HttpHeaders.USER_AGENT, userAgent);
                  request.headers().forEach(h::set);
                });
    WebClient.RequestHeadersSpec<?> ready =
        request.body() == null
            ? spec
            : spec.contentType(new MediaType("application", "json", StandardCharsets.UTF_8))
                .bodyValue(JSON.writeValueAsBytes(request.body()));
    long started = System.nanoTime();
    return ready
        .exchangeToMono(
            response ->
                response
                    .bodyToMono(byte[].class)
                    .defaultIfEmpty(new byte[0])
                    .map(body -> judge.judge(response.statusCode().value(), parse(body))))
        .timeout(settings.requestTimeout())
        .onErrorResume(
            e ->
                Mono.just(
                    e instanceof TimeoutException
                        ? new Outcome(
                            0,
                            null,
                            "timeout",
                            "no answer within " + settings.requestTimeout().toMillis() + " ms")
                        : new Outcome(
                            0,
                            null,
                            "unreachable",
                            "could not be reached (" + e.getClass().getSimpleName() + ")")))
        .doOnNext(
            outcome ->
                publish(
                    request,
                    context,
                    channelId,
                    outcome,
                    (System.nanoTime() - started) / 1_000_000));
  }

  private void publish(
      Request request, CallContext context, String channelId, Outcome outcome, long durationMs) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("channel_id", channelId);
    metadata.put("host", request.uri().getHost());
    if (outcome.httpStatus() > 0) {
      metadata.put("http_status", outcome.httpStatus());
    }
    events.serviceCall(
        context,
        request.service(),
        request.operation(),
        durationMs,
        outcome.ok() ? null : new ErrorDetails(outcome.errorCode(), outcome.errorMessage()),
        metadata);
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (RuntimeException notJson) {
      return null;
    }
  }
}

package dev.beacon.integrations.provider;

import dev.beacon.events.ErrorDetails;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.config.IntegrationsProperties;
import dev.beacon.integrations.connection.domain.Connection;
import dev.beacon.integrations.connection.domain.ConnectionService;
import dev.beacon.integrations.connection.domain.ProviderId;
import dev.beacon.integrations.connection.domain.TokenService;
import dev.beacon.integrations.events.IntegrationEvents;
import dev.beacon.integrations.tool.domain.ToolCall;
import dev.beacon.integrations.tool.domain.ToolResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends a provider tool's requests with its connection's access token ({@link
 * TokenService#accessToken}, which refreshes it) and reads the answers.
 *
 * <p>Refusals become stable codes: HTTP 401 and Slack's {@code invalid_auth}, {@code token_revoked}
 * … are {@code needs_reauth} and turn the connection {@code needs_reauth}; HTTP 429 (and GitHub's
 * and Google's rate-limit 403s, Slack's {@code ratelimited}) is {@code rate_limited} with the time
 * to retry in the message — the request is not held; 404 (Slack's {@code channel_not_found},
 * Dropbox's 409 {@code path/not_found}) is {@code not_found}, except Spotify's 404 {@code
 * NO_ACTIVE_DEVICE}, which is {@code no_active_device}; no answer within the tool's time is {@code
 * timeout}; anything else is {@code provider_error} with the provider's short message. Each request
 * sent publishes one {@code service_call} ({@code service} = the provider's id). The token never
 * appears in a result, an event or a log line.
 */
@Component
class ProviderClient {

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TRUNCATED = "\n[truncated]";
  private static final int MAX_PROVIDER_MESSAGE = 200;

  /** Slack's errors that mean the token no longer works. */
  private static final Set<String> SLACK_TOKEN_GONE =
      Set.of("invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive");

  private static final Set<String> GOOGLE_RATE_LIMITS =
      Set.of("rateLimitExceeded", "userRateLimitExceeded");

  /**
   * One request.
   *
   * @param operation what it calls, for the event: {@code pulls.get}, {@code chat.postMessage} …
   * @param method the HTTP method
   * @param uri the full URL
   * @param headers extra headers (the provider's {@code Accept}, API version …)
   * @param body a JSON body, or {@code null}
   * @param missing what a 404 means, for the model: "the pull request o/r#7"
   */
  record Request(
      String operation,
      HttpMethod method,
      URI uri,
      Map<String, String> headers,
      Object body,
      String missing) {}

  /** A request's answer: the provider's JSON, or the tool's failure. */
  record Outcome(int httpStatus, JsonNode answer, ToolResult failure) {

    boolean ok() {
      return failure == null;
    }
  }

  /** One tool execution under way: its call, its token and its deadline. */
  final class Session {

    private final String tool;
    private final ToolCall call;
    private final String token;
    private final long deadlineNanos;

    private Session(String tool, ToolCall call, String token, long deadlineNanos) {
      this.tool = tool;
      this.call = call;
      this.token = token;
      this.deadlineNanos = deadlineNanos;
    }

    Mono<Outcome> send(Request request) {
      return ProviderClient.this.send(this, request);
    }
  }

  private final WebClient web;
  private final TokenService tokens;
  private final ConnectionService connections;
  private final IntegrationEvents events;
  private final IntegrationsProperties.Providers settings;
  private final Clock clock;

  ProviderClient(
      TokenService tokens,
      ConnectionService connections,
      IntegrationEvents events,
      IntegrationsProperties properties,
      Clock clock) {
    this.settings = properties.providers();
    this.web =
        WebClient.builder()
            .codecs(
                c -> c.defaultCodecs().maxInMemorySize((int) settings.maxAnswerSize().toBytes()))
            .build();
    this.tokens = tokens;
    this.connections = connections;
    this.events = events;
    this.clock = clock;
  }

  IntegrationsProperties.Providers settings() {
    return settings;
  }

  /**
   * Runs one execution of {@code tool}: gets the connection's token, then {@code work} sends its
   * requests within the tool's timeout. A token that cannot be had answers the token's refusal
   * ({@code needs_reauth}, {@code token_refresh_failed}, {@code token_undecryptable}), or {@code
   * timeout} when the refresh takes the whole timeout; a result longer than {@code
   * max-result-chars} is cut and ends with {@code [truncated]}.
   */
  Mono<ToolResult> run(String tool, ToolCall call, Function<Session, Mono<ToolResult>> work) {
    Duration timeout = settings.timeoutOf(tool);
    long deadline = System.nanoTime() + timeout.toNanos();
    return tokens
        .accessToken(call.connection())
        // a refresh counts against the tool's time like its requests
        .timeout(timeout)
        .<Object>map(token -> token)
        .onErrorResume(
            ApiException.class, e -> Mono.just(ToolResult.failed(e.code(), e.getMessage())))
        .onErrorResume(
            TimeoutException.class,
            e ->
                Mono.just(
                    ToolResult.failed(
                        "timeout",
                        call.connection().provider().displayName()
                            + " did not refresh the connection's token within "
                            + timeout.toMillis()
                            + " ms.")))
        .flatMap(
            token ->
                token instanceof ToolResult refusal
                    ? Mono.just(refusal)
                    : work.apply(new Session(tool, call, (String) token, deadline)))
        .map(this::bounded);
  }

  private Mono<Outcome> send(Session session, Request request) {
    long remaining = session.deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      return Mono.just(new Outcome(0, null, timedOut(session)));
    }
    ProviderId provider = session.call.connection().provider();
    WebClient.RequestBodySpec spec =
        web.method(request.method())
            .uri(request.uri())
            .headers(
                h -> {
                  h.setBearerAuth(session.token);
                  h.set(HttpHeaders.USER_AGENT, settings.userAgent());
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
                    .map(
                        body ->
                            answered(
                                session,
                                provider,
                                request,
                                response.statusCode().value(),
                                response.headers().asHttpHeaders(),
                                body)))
        .timeout(Duration.ofNanos(remaining))
        .onErrorResume(e -> Mono.just(unanswered(session, provider, e)))
        .flatMap(
            outcome -> {
              publish(
                  session, provider, request, outcome, (System.nanoTime() - started) / 1_000_000);
              return remember(session.call.connection(), outcome).thenReturn(outcome);
            });
  }

  private Outcome answered(
      Session session,
      ProviderId provider,
      Request request,
      int status,
      HttpHeaders headers,
      byte[] body) {
    JsonNode json = parse(body);
    String name = provider.displayName();
    if (status >= 200 && status < 300) {
      if (provider == ProviderId.SLACK && json != null && !json.path("ok").asBoolean(false)) {
        return new Outcome(status, json, slackRefusal(session, request, json, headers));
      }
      return new Outcome(status, json == null ? JSON.createObjectNode() : json, null);
    }
    String message = scrub(session, providerMessage(provider, json, body, status));
    ToolResult failure;
    if (status == 401) {
      failure = refused(name, message);
    } else if (status == 429 || rateLimited403(provider, status, headers, json)) {
      failure = rateLimited(name, headers, json);
    } else if (status == 404
        && provider == ProviderId.SPOTIFY
        && json != null
        && "NO_ACTIVE_DEVICE".equals(json.path("error").path("reason").asString(""))) {
      failure =
          ToolResult.failed(
              "no_active_device",
              "Spotify has no active device to play on: open Spotify on a phone, computer or"
                  + " speaker (or name one with device_id), then try again.");
    } else if (status == 404
        || (status == 409 && provider == ProviderId.DROPBOX && message.contains("not_found"))) {
      failure =
          ToolResult.failed(
              "not_found",
              name
                  + " has no "
                  + (request.missing() == null ? "such resource" : request.missing())
                  + ", or the connection cannot see it ("
                  + message
                  + ").");
    } else {
      failure =
          ToolResult.failed("provider_error", name + " answered HTTP " + status + ": " + message);
    }
    return new Outcome(status, json, failure);
  }

  private ToolResult slackRefusal(
      Session session, Request request, JsonNode json, HttpHeaders headers) {
    String error = scrub(session, json.path("error").asString("unknown_error"));
    if (SLACK_TOKEN_GONE.contains(error)) {
      return refused("Slack", error);
    }
    if (error.equals("ratelimited")) {
      return rateLimited("Slack", headers, null);
    }
    if (error.equals("channel_not_found")) {
      return ToolResult.failed(
          "not_found",
          "Slack has no "
              + (request.missing() == null ? "such channel" : request.missing())
              + ", or the Beacon app cannot see it (channel_not_found).");
    }
    return ToolResult.failed("provider_error", "Slack answered " + error + ".");
  }

  private static ToolResult refused(String provider, String message) {
    return ToolResult.failed(
        "needs_reauth",
        provider
            + " refused the connection's token ("
            + message
            + "); someone in the workspace must connect "
            + provider
            + " again.");
  }

  private ToolResult rateLimited(String provider, HttpHeaders headers, JsonNode json) {
    Long seconds = retryAfterSeconds(headers);
    if (seconds == null && json != null && json.path("error").path("retry_after").isNumber()) {
      // Dropbox's 429 body: {"error": {"reason": {".tag": "too_many_requests"}, "retry_after":
      // 300}}
      seconds = Math.max(0, json.path("error").path("retry_after").asLong());
    }
    if (seconds == null) {
      return ToolResult.failed(
          "rate_limited", provider + " is rate limiting these calls; retry later.");
    }
    return ToolResult.failed(
        "rate_limited",
        provider
            + " is rate limiting these calls; retry after "
            + seconds
            + " seconds (at "
            + clock.instant().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS)
            + ").");
  }

  /** {@code Retry-After} (seconds or an HTTP date), else GitHub's {@code x-ratelimit-reset}. */
  private Long retryAfterSeconds(HttpHeaders headers) {
    String retryAfter = headers.getFirst(HttpHeaders.RETRY_AFTER);
    if (retryAfter != null) {
      String value = retryAfter.strip();
      try {
        return Math.max(0, Long.parseLong(value));
      } catch (NumberFormatException notSeconds) {
        try {
          Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
          return Math.max(0, Duration.between(clock.instant(), at).toSeconds());
        } catch (DateTimeParseException notADate) {
          return null;
        }
      }
    }
    String reset = headers.getFirst("x-ratelimit-reset");
    if (reset != null) {
      try {
        return Math.max(0, Long.parseLong(reset.strip()) - clock.instant().getEpochSecond());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * GitHub answers a spent rate limit with 403 and {@code x-ratelimit-remaining: 0} (or a secondary
   * limit with {@code Retry-After}); Google with 403 and reason {@code rateLimitExceeded} or {@code
   * userRateLimitExceeded}.
   */
  private static boolean rateLimited403(
      ProviderId provider, int status, HttpHeaders headers, JsonNode json) {
    if (status != 403) {
      return false;
    }
    return switch (provider) {
      case GITHUB ->
          "0".equals(headers.getFirst("x-ratelimit-remaining"))
              || headers.getFirst(HttpHeaders.RETRY_AFTER) != null;
      case GOOGLE ->
          json != null
              && GOOGLE_RATE_LIMITS.contains(
                  json.path("error").path("errors").path(0).path("reason").asString(""));
      case SLACK, NOTION, TODOIST, DROPBOX, SPOTIFY -> false;
    };
  }

  /**
   * The provider's own short message: Google's {@code error.message}, GitHub's {@code message},
   * Notion's {@code message}, Todoist's {@code error} (and the argument at fault), Dropbox's {@code
   * error_summary} (or its plain-text answer), Spotify's {@code error.message}.
   */
  private static String providerMessage(
      ProviderId provider, JsonNode json, byte[] body, int status) {
    String message = null;
    if (json != null) {
      message =
          switch (provider) {
            case GOOGLE -> json.path("error").path("message").asString(null);
            case GITHUB -> {
              String main = json.path("message").asString(null);
              JsonNode first = json.path("errors").path(0);
              String detail =
                  first.path("message").isString()
                      ? first.path("message").asString()
                      : first.path("code").asString(null);
              yield main != null && detail != null ? main + ": " + detail : main;
            }
            case SLACK -> json.path("error").asString(null);
            case NOTION -> json.path("message").asString(null);
            case TODOIST -> {
              String main = json.path("error").asString(null);
              String argument = json.path("error_extra").path("argument").asString(null);
              yield main != null && argument != null ? main + " (" + argument + ")" : main;
            }
            case DROPBOX -> json.path("error_summary").asString(null);
            case SPOTIFY ->
                json.path("error").isObject()
                    ? json.path("error").path("message").asString(null)
                    : json.path("error_description").asString(json.path("error").asString(null));
          };
    } else if ((provider == ProviderId.DROPBOX || provider == ProviderId.TODOIST)
        && body.length > 0) {
      // both answer some refusals in plain text ("Error in call to API function …")
      message = new String(body, 0, Math.min(body.length, 1000), StandardCharsets.UTF_8).strip();
      int line = message.indexOf('\n');
      message = line < 0 ? message : message.substring(0, line).strip();
    }
    if (message == null || message.isBlank()) {
      message = "HTTP " + status;
    }
    return message.length() > MAX_PROVIDER_MESSAGE
        ? message.substring(0, MAX_PROVIDER_MESSAGE) + "…"
        : message;
  }

  private Outcome unanswered(Session session, ProviderId provider, Throwable e) {
    if (e instanceof TimeoutException) {
      return new Outcome(0, null, timedOut(session));
    }
    if (e instanceof DataBufferLimitException) {
      return new Outcome(
          0,
          null,
          ToolResult.failed(
              "provider_error",
              provider.displayName() + " answered more than " + settings.maxAnswerSize() + "."));
    }
    return new Outcome(
        0,
        null,
        ToolResult.failed(
            "provider_error",
            provider.displayName()
                + " could not be reached ("
                + e.getClass().getSimpleName()
                + ")."));
  }

  private ToolResult timedOut(Session session) {
    return ToolResult.failed(
        "timeout",
        session.call.connection().provider().displayName()
            + " did not answer within "
            + settings.timeoutOf(session.tool).toMillis()
            + " ms.");
  }

  private void publish(
      Session session, ProviderId provider, Request request, Outcome outcome, long durationMs) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("tool", session.tool);
    if (session.call.callId() != null) {
      metadata.put("call_id", session.call.callId());
    }
    metadata.put("connection_id", session.call.connection().id().toString());
    metadata.put("host", request.uri().getHost());
    if (outcome.httpStatus() > 0) {
      metadata.put("http_status", outcome.httpStatus());
    }
    ErrorDetails error =
        outcome.ok()
            ? null
            : new ErrorDetails(
                outcome.failure().error().code(), outcome.failure().error().message());
    events.serviceCall(
        session.call.context(), provider.id(), request.operation(), durationMs, error, metadata);
  }

  /**
   * A refused token turns the connection needs_reauth; other provider trouble is its last error.
   */
  private Mono<Void> remember(Connection connection, Outcome outcome) {
    if (outcome.ok()) {
      return Mono.empty();
    }
    ToolResult.Error error = outcome.failure().error();
    return switch (error.code()) {
      case "needs_reauth" -> connections.refused(connection, error.code(), error.message());
      case "rate_limited", "timeout", "provider_error" ->
          connections.recordError(connection, error.code(), error.message());
      default -> Mono.empty();
    };
  }

  private ToolResult bounded(ToolResult result) {
    if (result.result() == null || result.result().length() <= settings.maxResultChars()) {
      return result;
    }
    int keep = settings.maxResultChars() - TRUNCATED.length();
    if (Character.isHighSurrogate(result.result().charAt(keep - 1))) {
      keep--;
    }
    return ToolResult.ok(result.result().substring(0, keep) + TRUNCATED);
  }

  private static String scrub(Session session, String text) {
    return text.replace(session.token, "[token]");
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

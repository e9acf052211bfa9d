package dev.beacon.integrations.provider;

import dev.beacon.events.ErrorDetails;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.config.IntegrationsProperties;
import dev.beacon.integrations.connection.domain.Connection;
import dev.beacon.integrations.connection.domain.ConnectionService;
import dev.beacon.integrations.connection.domain.CredentialCheck;
import dev.beacon.integrations.connection.domain.CredentialProvider;
import dev.beacon.integrations.connection.domain.Credentials;
import dev.beacon.integrations.connection.domain.Provider;
import dev.beacon.integrations.connection.domain.ProviderId;
import dev.beacon.integrations.connection.domain.TokenService;
import dev.beacon.integrations.events.CallContext;
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

  /**
   * One tool execution (or credential check) under way: its provider, its credentials and its
   * deadline.
   */
  final class Session {

    /** The tool, or {@code null} for a credential check. */
    private final String tool;

    /** The caller's call id, or {@code null}. */
    private final String callId;

    private final CallContext context;
    private final Provider provider;

    /** The connection whose credentials these are; {@code null} for Beacon's own, or a check. */
    private final Connection connection;

    private final Credentials credentials;
    private final Duration timeout;
    private final long deadlineNanos;

    private Session(
        String tool,
        String callId,
        CallContext context,
        Provider provider,
        Connection connection,
        Credentials credentials,
        Duration timeout) {
      this.tool = tool;
      this.callId = callId;
      this.context = context;
      this.provider = provider;
      this.connection = connection;
      this.credentials = credentials;
      this.timeout = timeout;
      this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    /** What a credential provider's requests are signed or addressed with. */
    Credentials credentials() {
      return credentials;
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
    return run(tool, call.connection().provider(), call, work);
  }

  /**
   * Runs one execution of {@code tool} of {@code provider}: with the call's connection (an OAuth
   * connection's fresh access token, a credential connection's credentials) or, for a call without
   * one, Beacon's own credential for the provider.
   */
  Mono<ToolResult> run(
      String tool, Provider provider, ToolCall call, Function<Session, Mono<ToolResult>> work) {
    Duration timeout = settings.timeoutOf(tool);
    Connection connection = call.connection();
    return credentials(provider, connection)
        // a refresh counts against the tool's time like its requests
        .timeout(timeout)
        .<Object>map(credentials -> credentials)
        .onErrorResume(
            ApiException.class, e -> Mono.just(ToolResult.failed(e.code(), e.getMessage())))
        .onErrorResume(
            TimeoutException.class,
            e ->
                Mono.just(
                    ToolResult.failed(
                        "timeout",
                        provider.displayName()
                            + " did not refresh the connection's token within "
                            + timeout.toMillis()
                            + " ms.")))
        .flatMap(
            credentials ->
                credentials instanceof ToolResult refusal
                    ? Mono.just(refusal)
                    : work.apply(
                        new Session(
                            tool,
                            call.callId(),
                            call.context(),
                            provider,
                            connection,
                            (Credentials) credentials,
                            timeout)))
        .map(this::bounded);
  }

  /**
   * Sends a credential check's one request with credentials not stored yet; answers the provider's
   * JSON. A refused credential fails with 400 {@code credential_refused}, any other failure with
   * 502 {@code provider_unavailable}. Its {@code service_call} is the workspace's; nothing is
   * remembered on a connection.
   */
  Mono<JsonNode> check(
      CredentialProvider provider, Credentials credentials, String workspaceId, Request request) {
    Session session =
        new Session(
            null,
            null,
            CallContext.of(workspaceId, null, null, null),
            provider,
            null,
            credentials,
            settings.timeout());
    return session
        .send(request)
        .flatMap(
            outcome -> {
              if (outcome.ok()) {
                return Mono.just(outcome.answer());
              }
              if (outcome.failure().error().code().equals("needs_reauth")) {
                return Mono.error(
                    CredentialCheck.refused(
                        provider,
                        shorten(
                            scrub(
                                session,
                                credentialMessage(
                                    provider, outcome.answer(), outcome.httpStatus())))));
              }
              return Mono.error(
                  CredentialCheck.unavailable(provider, outcome.failure().error().message()));
            });
  }

  private Mono<Credentials> credentials(Provider provider, Connection connection) {
    if (connection == null) {
      if (provider == CredentialProvider.BRAVE && settings.webSearch().configured()) {
        return Mono.just(Credentials.of(Map.of("api_key", settings.webSearch().apiKey())));
      }
      return Mono.error(
          new IllegalStateException("Beacon has no credential of its own for " + provider.id()));
    }
    return connection.provider() instanceof ProviderId
        ? tokens.accessToken(connection).map(Credentials::accessToken)
        : tokens.credentials(connection);
  }

  private Mono<Outcome> send(Session session, Request request) {
    long remaining = session.deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      return Mono.just(new Outcome(0, null, timedOut(session)));
    }
    Provider provider = session.provider;
    WebClient.RequestBodySpec spec =
        web.method(request.method())
            .uri(request.uri())
            .headers(
                h -> {
                  if (provider instanceof ProviderId) {
                    h.setBearerAuth(session.credentials.get(Credentials.ACCESS_TOKEN));
                  }
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
                            provider instanceof ProviderId oauth
                                ? answered(
                                    session,
                                    oauth,
                                    request,
                                    response.statusCode().value(),
                                    response.headers().asHttpHeaders(),
                                    body)
                                : credentialAnswered(
                                    session,
                                    (CredentialProvider) provider,
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
              return remember(session.connection, outcome).thenReturn(outcome);
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
    String message = shorten(scrub(session, providerMessage(provider, json, body, status)));
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

  /**
   * A credential provider's answer, in its own wire format: Binance's {@code {"code": -2010,
   * "msg"}} errors, Telegram's {@code {"ok": false, "error_code", "description", "parameters"}},
   * Brave's {@code {"type": "ErrorResponse", "error": {"code", "detail", "status"}}}.
   */
  private Outcome credentialAnswered(
      Session session,
      CredentialProvider provider,
      Request request,
      int status,
      HttpHeaders headers,
      byte[] body) {
    JsonNode json = parse(body);
    boolean telegramRefusal =
        provider == CredentialProvider.TELEGRAM
            && json != null
            && !json.path("ok").asBoolean(false);
    if (status >= 200 && status < 300 && !telegramRefusal) {
      return new Outcome(status, json == null ? JSON.createObjectNode() : json, null);
    }
    // scrubbed before it is cut, so that no part of a secret survives the cut
    String message = shorten(scrub(session, credentialMessage(provider, json, status)));
    ToolResult failure =
        switch (provider) {
          case BINANCE -> binanceRefusal(request, status, headers, json, message);
          case TELEGRAM -> telegramRefusal(request, status, headers, json, message);
          case BRAVE -> braveRefusal(status, headers, json, message);
        };
    return new Outcome(status, json, failure);
  }

  /**
   * Binance's refusals. A key Binance does not take (-2014), a signature it cannot check with the
   * stored secret (-1022) or HTTP 401 mean the credential no longer works; -2015 ("Invalid API-key,
   * IP, or permissions for action") means that too when reading the account, but only a missing
   * trading permission (or an IP restriction) when placing an order, where the key still reads.
   */
  private ToolResult binanceRefusal(
      Request request, int status, HttpHeaders headers, JsonNode json, String message) {
    int code = json == null ? 0 : json.path("code").asInt(0);
    String msg = json == null ? "" : json.path("msg").asString("");
    boolean trading = request.operation().startsWith("order.");
    if (code == -2015 && trading) {
      return ToolResult.failed(
          "permission_denied",
          "Binance refused the order ("
              + message
              + "): the API key may not trade Spot, or its IP restriction excludes Beacon.");
    }
    if (status == 401 || code == -2014 || code == -2015 || code == -1022 || code == -1002) {
      return refused("Binance", message);
    }
    if (status == 429 || status == 418 || code == -1003 || code == -1015) {
      return rateLimited("Binance", headers);
    }
    if (code == -2010) {
      if (msg.startsWith("Duplicate order sent")) {
        return ToolResult.failed(
            "duplicate_order",
            "Binance already has an open order with this client order id (" + message + ").");
      }
      if (msg.startsWith("Account has insufficient balance")) {
        return ToolResult.failed("insufficient_balance", "Binance refused the order: " + message);
      }
      return ToolResult.failed("order_rejected", "Binance rejected the order: " + message);
    }
    if (code == -1021) {
      return ToolResult.failed(
          "clock_skew",
          "Binance refused the request's timestamp ("
              + message
              + "): Beacon's clock and Binance's differ by more than the request window.");
    }
    if (code == -1121) {
      return ToolResult.failed("unknown_symbol", "Binance has no such symbol (" + message + ").");
    }
    if (code == -1013 || (code <= -1100 && code >= -1199)) {
      return ToolResult.failed("invalid_order", "Binance refused the request: " + message);
    }
    return ToolResult.failed("provider_error", "Binance answered HTTP " + status + ": " + message);
  }

  /**
   * Telegram's refusals, by {@code error_code} (its HTTP status): 401 and 404 (a token Telegram
   * does not know) mean the token no longer works; 429 carries {@code parameters.retry_after}.
   */
  private ToolResult telegramRefusal(
      Request request, int status, HttpHeaders headers, JsonNode json, String message) {
    int code =
        json != null && json.path("error_code").isInt() ? json.path("error_code").asInt() : status;
    JsonNode retry = json == null ? null : json.path("parameters").path("retry_after");
    if (code == 401 || code == 404) {
      return refused("Telegram", message);
    }
    if (code == 429) {
      return retry != null && retry.isIntegralNumber()
          ? rateLimited("Telegram", Math.max(0, retry.asLong()))
          : rateLimited("Telegram", headers);
    }
    if (code == 403) {
      return ToolResult.failed(
          "not_allowed", "Telegram does not let the bot write there (" + message + ").");
    }
    if (code == 400 && message.contains("chat not found")) {
      return ToolResult.failed(
          "not_found",
          "Telegram has no "
              + (request.missing() == null ? "such chat" : request.missing())
              + " the bot can write to ("
              + message
              + ").");
    }
    return ToolResult.failed("provider_error", "Telegram answered " + code + ": " + message);
  }

  /**
   * Brave's refusals: HTTP 401, or its 422 {@code SUBSCRIPTION_TOKEN_INVALID}, mean the key no
   * longer works; a 429 ({@code RATE_LIMITED}) says when in {@code X-RateLimit-Reset}, the seconds
   * until each of the plan's limits resets, the per-second one first.
   */
  private ToolResult braveRefusal(int status, HttpHeaders headers, JsonNode json, String message) {
    String code = json == null ? "" : json.path("error").path("code").asString("");
    if (status == 401 || code.equals("SUBSCRIPTION_TOKEN_INVALID")) {
      return refused("Brave Search", message);
    }
    if (status == 429 || code.equals("RATE_LIMITED")) {
      Long reset = firstNumber(headers.getFirst("X-RateLimit-Reset"));
      return reset != null
          ? rateLimited("Brave Search", reset)
          : rateLimited("Brave Search", headers);
    }
    return ToolResult.failed(
        "provider_error", "Brave Search answered HTTP " + status + ": " + message);
  }

  private static String credentialMessage(CredentialProvider provider, JsonNode json, int status) {
    String message = null;
    if (json != null) {
      switch (provider) {
        case BINANCE -> {
          String msg = json.path("msg").asString(null);
          message = msg == null ? null : msg + " (code " + json.path("code").asInt() + ")";
        }
        case TELEGRAM -> message = json.path("description").asString(null);
        case BRAVE -> {
          JsonNode error = json.path("error");
          String detail = error.path("detail").asString(null);
          String code = error.path("code").asString(null);
          message = detail != null && code != null ? code + ": " + detail : detail;
        }
        default -> throw new IllegalStateException(provider.id());
      }
    }
    return message == null || message.isBlank() ? "HTTP " + status : message;
  }

  /** The first number of a comma-separated header such as Brave's {@code X-RateLimit-Reset}. */
  private static Long firstNumber(String header) {
    if (header == null) {
      return null;
    }
    try {
      return Math.max(0, Long.parseLong(header.split(",")[0].strip()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String shorten(String message) {
    return message.length() > MAX_PROVIDER_MESSAGE
        ? message.substring(0, MAX_PROVIDER_MESSAGE) + "…"
        : message;
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
    return rateLimited(provider, seconds);
  }

  private ToolResult rateLimited(String provider, HttpHeaders headers) {
    return rateLimited(provider, retryAfterSeconds(headers));
  }

  private ToolResult rateLimited(String provider, Long seconds) {
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
    return message == null || message.isBlank() ? "HTTP " + status : message;
  }

  private Outcome unanswered(Session session, Provider provider, Throwable e) {
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
        session.provider.displayName()
            + " did not answer within "
            + session.timeout.toMillis()
            + " ms.");
  }

  private void publish(
      Session session, Provider provider, Request request, Outcome outcome, long durationMs) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (session.tool != null) {
      metadata.put("tool", session.tool);
    } else {
      metadata.put("purpose", "credential_check");
    }
    if (session.callId != null) {
      metadata.put("call_id", session.callId);
    }
    if (session.connection != null) {
      metadata.put("connection_id", session.connection.id().toString());
    }
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
        session.context, provider.id(), request.operation(), durationMs, error, metadata);
  }

  /**
   * A refused token turns the connection needs_reauth; other provider trouble is its last error.
   */
  private Mono<Void> remember(Connection connection, Outcome outcome) {
    if (outcome.ok() || connection == null) {
      return Mono.empty();
    }
    ToolResult.Error error = outcome.failure().error();
    return switch (error.code()) {
      case "needs_reauth" -> connections.refused(connection, error.code(), error.message());
      case "rate_limited", "timeout", "provider_error", "permission_denied", "clock_skew" ->
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
    for (String secret : session.credentials.values()) {
      text = text.replace(secret, "[token]");
    }
    return text;
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

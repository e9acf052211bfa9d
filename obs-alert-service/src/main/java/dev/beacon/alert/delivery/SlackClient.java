package dev.beacon.alert.delivery;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.alert.rule.SlackUrlPolicy;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.ObjectMapper;

/**
 * Posts Block Kit messages to Slack incoming webhooks.
 *
 * <p>Every attempt waits for the webhook's rate limiter (about one message per second per webhook,
 * as Slack asks). Transient answers (5xx, timeouts, connection errors, 429) are retried with
 * exponential back-off and jitter (Resilience4j); a 429 waits exactly its {@code Retry-After}.
 * Permanent answers are never retried: 400 ({@code invalid_payload}, …), 401, 403, 404 ({@code
 * channel_not_found}, {@code no_service}), 410 ({@code channel_is_archived}), any other 4xx, a
 * redirect (never followed) and a 200 whose body is not {@code ok}. Webhook URLs are secrets: they
 * never appear in logs or errors.
 */
class SlackClient {

  /**
   * The result of one attempt.
   *
   * @param status delivered, retrying (transient) or failed (permanent)
   * @param statusCode HTTP status, or {@code null} if there was no answer
   * @param latencyMs time to the answer
   * @param error what went wrong, or {@code null}
   * @param retryAfter the 429's {@code Retry-After}, or {@code null}
   */
  record Attempt(
      String status, Integer statusCode, long latencyMs, String error, Duration retryAfter) {
    boolean transientFailure() {
      return status.equals("retrying");
    }
  }

  /**
   * The outcome of a delivery, after retries.
   *
   * @param last the last attempt
   * @param attempts how many attempts were made in this round
   */
  record Outcome(Attempt last, int attempts) {}

  /** Writes one attempt row before the next attempt starts. */
  interface AttemptRecorder {
    Mono<Void> record(int attempt, Attempt result);
  }

  private static final class TransientFailure extends RuntimeException {
    private final Attempt attempt;

    TransientFailure(Attempt attempt) {
      super(attempt.error(), null, false, false);
      this.attempt = attempt;
    }
  }

  private final WebClient publicClient;
  private final WebClient allowlistedClient;
  private final SlackUrlPolicy urls;
  private final AlertProperties.Slack settings;
  private final RateLimiterRegistry limiters;
  private final ObjectMapper json;

  SlackClient(AlertProperties properties, ObjectMapper json) {
    this.settings = properties.slack();
    this.urls = new SlackUrlPolicy(settings.allowedUrlPrefixes());
    this.json = json;
    HttpClient base =
        HttpClient.create().followRedirect(false).responseTimeout(settings.requestTimeout());
    this.publicClient =
        WebClient.builder()
            .clientConnector(
                new ReactorClientHttpConnector(base.resolver(new PublicAddressResolverGroup())))
            .build();
    this.allowlistedClient =
        WebClient.builder().clientConnector(new ReactorClientHttpConnector(base)).build();
    this.limiters =
        RateLimiterRegistry.of(
            RateLimiterConfig.custom()
                .limitForPeriod(settings.messagesPerPeriod())
                .limitRefreshPeriod(settings.ratePeriod())
                .timeoutDuration(Duration.ofMinutes(1))
                .build());
  }

  /**
   * Sends a message with retries; never errors: the outcome says what happened.
   *
   * @param url the webhook URL
   * @param message the message
   * @param maxAttempts attempts in this round
   * @param firstAttempt number of the first attempt (attempts continue across rounds)
   * @param recorder called after each attempt
   */
  Mono<Outcome> send(
      String url,
      AlertMessage message,
      int maxAttempts,
      int firstAttempt,
      AttemptRecorder recorder) {
    byte[] body = json.writeValueAsBytes(blocks(message));
    AtomicInteger made = new AtomicInteger();
    Retry retry =
        Retry.of(
            "slack",
            RetryConfig.<Object>custom()
                .maxAttempts(maxAttempts)
                .retryOnException(TransientFailure.class::isInstance)
                .intervalBiFunction(
                    (attempt, either) -> {
                      if (either.isLeft()
                          && either.getLeft() instanceof TransientFailure failure
                          && failure.attempt.retryAfter() != null) {
                        return failure.attempt.retryAfter().toMillis();
                      }
                      return IntervalFunction.ofExponentialRandomBackoff(
                              settings.initialBackoff().toMillis(), 2.0, settings.backoffJitter())
                          .apply(attempt);
                    })
                .build());
    RateLimiter limiter = limiters.rateLimiter(limiterName(url));
    Mono<Attempt> oneAttempt =
        Mono.defer(
            () ->
                post(url, body)
                    .transformDeferred(RateLimiterOperator.of(limiter))
                    .onErrorResume(
                        RequestNotPermitted.class,
                        e ->
                            Mono.just(
                                new Attempt(
                                    "retrying", null, 0, "rate limit wait timed out", null)))
                    .flatMap(
                        result ->
                            recorder
                                .record(firstAttempt + made.getAndIncrement(), result)
                                .thenReturn(result))
                    .flatMap(
                        result ->
                            result.transientFailure()
                                ? Mono.error(new TransientFailure(result))
                                : Mono.just(result)));
    return oneAttempt
        .transformDeferred(RetryOperator.of(retry))
        .map(last -> new Outcome(last, made.get()))
        .onErrorResume(TransientFailure.class, e -> Mono.just(new Outcome(e.attempt, made.get())));
  }

  private Mono<Attempt> post(String url, byte[] body) {
    WebClient client = urls.isAllowlisted(url) ? allowlistedClient : publicClient;
    if (!urls.isAllowlisted(url) && urls.problem(url) != null) {
      return Mono.just(new Attempt("failed", null, 0, "webhook URL is not a Slack webhook", null));
    }
    long started = System.nanoTime();
    return client
        .post()
        .uri(java.net.URI.create(url))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchangeToMono(
            response ->
                response
                    .bodyToMono(String.class)
                    .defaultIfEmpty("")
                    .map(
                        text ->
                            classify(
                                response.statusCode().value(),
                                text,
                                response.headers().asHttpHeaders(),
                                elapsedMs(started))))
        .onErrorResume(
            e -> Mono.just(new Attempt("retrying", null, elapsedMs(started), describe(e), null)));
  }

  private Attempt classify(int status, String body, HttpHeaders headers, long latencyMs) {
    String answer = body.length() > 200 ? body.substring(0, 200) : body;
    if (status == 200) {
      return answer.strip().equals("ok")
          ? new Attempt("delivered", status, latencyMs, null, null)
          : new Attempt("failed", status, latencyMs, "200 with body " + quote(answer), null);
    }
    if (status == 429) {
      return new Attempt("retrying", status, latencyMs, "429 rate limited", retryAfter(headers));
    }
    if (status >= 500 || status == 408) {
      return new Attempt("retrying", status, latencyMs, status + " " + quote(answer), null);
    }
    if (status >= 300 && status < 400) {
      return new Attempt("failed", status, latencyMs, status + " redirect not followed", null);
    }
    return new Attempt("failed", status, latencyMs, status + " " + quote(answer), null);
  }

  private Duration retryAfter(HttpHeaders headers) {
    String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
    long seconds = 1;
    if (value != null) {
      try {
        seconds = Math.max(0, Long.parseLong(value.strip()));
      } catch (NumberFormatException e) {
        seconds = 1;
      }
    }
    Duration wait = Duration.ofSeconds(seconds);
    return wait.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : wait;
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : ": " + root.getMessage();
    if (message.contains("://")) {
      message = "";
    }
    return root.getClass().getSimpleName() + message;
  }

  private static String quote(String body) {
    return body.isEmpty() ? "(empty body)" : "\"" + body.replaceAll("\\s+", " ") + "\"";
  }

  private static long elapsedMs(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** Limiters are keyed by a hash of the URL, so the secret never becomes a metric tag. */
  private static String limiterName(String url) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return "webhook-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The Block Kit payload: header, fields (rule, scope, value, threshold, window), link. */
  static Map<String, Object> blocks(AlertMessage m) {
    String scope = m.groupBy() == null ? "whole workspace" : m.groupBy() + " " + m.group();
    String threshold = m.threshold() == null ? "—" : m.comparator() + " " + m.threshold();
    return Map.of(
        "text",
        m.title() + " — " + m.body(),
        "blocks",
        List.of(
            Map.of("type", "header", "text", plain(truncate(m.title(), 150))),
            Map.of(
                "type",
                "section",
                "fields",
                List.of(
                    field("Rule", m.ruleName()),
                    field("Scope", scope),
                    field("Value", m.value() == null ? "no data" : m.value()),
                    field("Threshold", threshold),
                    field("Window", m.window()),
                    field("Metric", m.metric()))),
            Map.of("type", "section", "text", mrkdwn(escape(m.body()))),
            Map.of(
                "type",
                "actions",
                "elements",
                List.of(
                    Map.of("type", "button", "text", plain("Open in Beacon"), "url", m.link())))));
  }

  private static Map<String, Object> field(String name, String value) {
    return mrkdwn("*" + name + "*\n" + escape(value));
  }

  private static Map<String, Object> mrkdwn(String text) {
    return Map.of("type", "mrkdwn", "text", text);
  }

  private static Map<String, Object> plain(String text) {
    return Map.of("type", "plain_text", "text", text);
  }

  private static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}

package dev.beacon.gateway.mail;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Sends mail through SendGrid's v3 API: {@code POST /v3/mail/send} with {@code Authorization:
 * Bearer <api key>} and a JSON body of {@code personalizations}, {@code from}, {@code subject} and
 * {@code content}; SendGrid answers {@code 202 Accepted} (empty body) when it has queued the mail.
 *
 * <p>429 (SendGrid's rate limit), 5xx, timeouts and connection failures are retried with a
 * Resilience4j {@link Retry} (exponential backoff, {@link SendGridProperties#maxAttempts()} in
 * all); 400, 401, 403 and other 4xx are not, as a second try would get the same answer. A mail that
 * still fails is an error of the returned {@code Mono}; the caller decides what the user sees.
 * Neither the API key nor the recipient or the link is ever logged.
 */
class SendGridMailer implements Mailer {

  static final String SEND_PATH = "/v3/mail/send";

  private static final Logger log = LoggerFactory.getLogger(SendGridMailer.class);

  private final WebClient sendGrid;
  private final Map<String, String> from;
  private final Retry retry;
  private final SendGridProperties properties;

  SendGridMailer(WebClient.Builder builder, SendGridProperties properties, String mailFrom) {
    this.properties = properties;
    this.sendGrid =
        builder
            .baseUrl(properties.baseUrl().replaceAll("/+$", ""))
            .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + properties.apiKey().trim())
            .build();
    this.from = sender(mailFrom);
    this.retry =
        Retry.of(
            "sendgrid",
            RetryConfig.custom()
                .maxAttempts(Math.max(1, properties.maxAttempts()))
                .intervalFunction(
                    IntervalFunction.ofExponentialBackoff(properties.retryBackoff(), 2.0))
                .retryOnException(SendGridMailer::isTransient)
                .failAfterMaxAttempts(false)
                .build());
  }

  @Override
  public Mono<Void> send(Mail mail) {
    return Mono.defer(
            () ->
                sendGrid
                    .post()
                    .uri(SEND_PATH)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(body(mail))
                    .retrieve()
                    .toBodilessEntity()
                    .timeout(properties.timeout()))
        .transformDeferred(RetryOperator.of(retry))
        .doOnError(
            e -> log.warn("SendGrid did not accept a '{}' mail: {}", mail.subject(), describe(e)))
        .then();
  }

  /** SendGrid's mail/send body for one plain-text mail to one recipient. */
  Map<String, Object> body(Mail mail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("personalizations", List.of(Map.of("to", List.of(Map.of("email", mail.to())))));
    body.put("from", from);
    body.put("subject", mail.subject());
    body.put("content", List.of(Map.of("type", "text/plain", "value", mail.text())));
    return body;
  }

  static boolean isTransient(Throwable error) {
    if (error instanceof WebClientResponseException response) {
      HttpStatus status = HttpStatus.resolve(response.getStatusCode().value());
      return status == HttpStatus.TOO_MANY_REQUESTS || response.getStatusCode().is5xxServerError();
    }
    return error instanceof WebClientRequestException
        || error instanceof TimeoutException
        || error instanceof IOException;
  }

  /** Status only: SendGrid's error bodies can quote the addresses. */
  private static String describe(Throwable error) {
    if (error instanceof WebClientResponseException response) {
      return "HTTP " + response.getStatusCode().value();
    }
    return error.getClass().getSimpleName();
  }

  /** {@code Beacon <no-reply@beacon.local>} as SendGrid's {@code {"email", "name"}}. */
  static Map<String, String> sender(String mailFrom) {
    try {
      InternetAddress address = new InternetAddress(mailFrom, true);
      Map<String, String> from = new LinkedHashMap<>();
      from.put("email", address.getAddress());
      if (address.getPersonal() != null && !address.getPersonal().isBlank()) {
        from.put("name", address.getPersonal());
      }
      return Map.copyOf(from);
    } catch (AddressException e) {
      throw new IllegalArgumentException(
          "beacon.gateway.login.mail-from is not a mail address: " + mailFrom, e);
    }
  }
}

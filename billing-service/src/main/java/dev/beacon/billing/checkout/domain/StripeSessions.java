package dev.beacon.billing.checkout.domain;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.net.RequestOptions;
import com.stripe.param.InvoiceListParams;
import com.stripe.param.checkout.SessionCreateParams;
import dev.beacon.billing.config.BillingProperties;
import dev.beacon.identity.error.ApiException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The two Stripe calls billing makes, through stripe-java's {@link StripeClient} (its own HTTP,
 * form-encoded bodies, {@code Stripe-Version}, network retries with the idempotency key given
 * here). The client blocks, so calls run on the bounded-elastic scheduler. Stripe's refusals become
 * documented answers; the secret key never appears in one, nor in a log line.
 */
@Component
public class StripeSessions {

  private static final Logger log = LoggerFactory.getLogger(StripeSessions.class);

  private final Optional<StripeClient> client;

  public StripeSessions(BillingProperties properties) {
    BillingProperties.Stripe stripe = properties.stripe();
    String key = stripe.secretKey();
    this.client =
        key == null || key.isBlank()
            ? Optional.empty()
            : Optional.of(
                StripeClient.builder()
                    .setApiKey(key)
                    .setApiBase(stripe.apiBase())
                    .setMaxNetworkRetries(2)
                    .setConnectTimeout(millis(stripe.connectTimeout()))
                    .setReadTimeout(millis(stripe.readTimeout()))
                    .build());
  }

  /** Whether a secret key is configured. */
  public boolean configured() {
    return client.isPresent();
  }

  /** Creates a Checkout Session; its {@code url} is where the customer pays. */
  Mono<String> checkout(SessionCreateParams params, String idempotencyKey) {
    return call(
        "checkout.sessions.create",
        stripe ->
            stripe.v1().checkout().sessions().create(params, options(idempotencyKey)).getUrl());
  }

  /** Creates a Customer Portal session; its {@code url} is where the customer manages billing. */
  Mono<String> portal(
      com.stripe.param.billingportal.SessionCreateParams params, String idempotencyKey) {
    return call(
        "billing_portal.sessions.create",
        stripe ->
            stripe
                .v1()
                .billingPortal()
                .sessions()
                .create(params, options(idempotencyKey))
                .getUrl());
  }

  /** The customer's latest invoices, newest first, at most {@code limit}. */
  Mono<List<InvoiceView>> invoices(String customer, long limit) {
    return call(
        "invoices.list",
        stripe ->
            stripe
                .v1()
                .invoices()
                .list(InvoiceListParams.builder().setCustomer(customer).setLimit(limit).build())
                .getData()
                .stream()
                .map(InvoiceView::of)
                .toList());
  }

  private interface StripeCall<T> {
    T apply(StripeClient stripe) throws StripeException;
  }

  private <T> Mono<T> call(String operation, StripeCall<T> call) {
    if (client.isEmpty()) {
      return Mono.error(
          new ApiException(
              HttpStatus.SERVICE_UNAVAILABLE,
              "stripe_not_configured",
              "Billing has no Stripe secret key (BEACON_STRIPE_SECRET_KEY): Checkout and the"
                  + " customer portal are not available."));
    }
    StripeClient stripe = client.get();
    Callable<T> blocking = () -> call.apply(stripe);
    return Mono.fromCallable(blocking)
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(StripeException.class, e -> answer(operation, e));
  }

  private static ApiException answer(String operation, StripeException e) {
    // the message of a Stripe error names parameters and ids, never the key
    log.warn(
        "Stripe {} failed: {} {} (request {})",
        operation,
        e.getClass().getSimpleName(),
        e.getCode(),
        e.getRequestId());
    if (e instanceof AuthenticationException) {
      return new ApiException(
          HttpStatus.BAD_GATEWAY,
          "stripe_unavailable",
          "Stripe refused billing's secret key; nothing was created. Tell the operator.");
    }
    if (e instanceof InvalidRequestException) {
      String detail =
          e.getStripeError() != null && e.getStripeError().getMessage() != null
              ? e.getStripeError().getMessage()
              : "invalid request";
      ApiException refused =
          new ApiException(
              HttpStatus.BAD_GATEWAY, "stripe_refused", "Stripe refused the request: " + detail);
      return e.getCode() == null ? refused : refused.with("stripe_code", e.getCode());
    }
    if (e instanceof RateLimitException || e instanceof ApiConnectionException) {
      return new ApiException(
              HttpStatus.BAD_GATEWAY,
              "stripe_unavailable",
              "Stripe could not be reached or is busy; nothing was created. Try again.")
          .retryAfter(Duration.ofSeconds(5));
    }
    return new ApiException(
        HttpStatus.BAD_GATEWAY,
        "stripe_unavailable",
        "Stripe answered with an error; nothing was created. Try again.");
  }

  private static RequestOptions options(String idempotencyKey) {
    return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }
}

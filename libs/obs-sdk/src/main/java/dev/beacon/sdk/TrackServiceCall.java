package dev.beacon.sdk;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records every call of the annotated Spring bean method as a {@code service_call} event, with its
 * duration and outcome; an exception is recorded and then propagates unchanged. Needs a {@link
 * BeaconClient} bean; the SDK's auto-configuration ({@code
 * dev.beacon.sdk.spring.BeaconSdkAutoConfiguration}) installs the interceptor.
 *
 * <p>For a method that returns a Reactor {@code Mono} or {@code Flux}, the span covers the
 * subscription — from subscribe to completion, error or cancellation — not the method call that
 * assembles the pipeline.
 *
 * <pre>{@code
 * @TrackServiceCall("stripe.checkout.sessions.create")
 * public Session createCheckout(CheckoutRequest request) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TrackServiceCall {

  /**
   * {@code integration.operation}: the part before the first dot is {@code service.name}, the rest
   * {@code service.operation}, e.g. {@code stripe.checkout.sessions.create}.
   *
   * @return the dotted name
   */
  String value();
}

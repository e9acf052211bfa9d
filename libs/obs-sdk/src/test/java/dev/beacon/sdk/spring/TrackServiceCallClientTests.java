package dev.beacon.sdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.sdk.BeaconClient;
import dev.beacon.sdk.RecordingTransport;
import dev.beacon.sdk.TraceContext;
import dev.beacon.sdk.TrackServiceCall;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The auto-configured interceptor records annotated Spring bean methods as service calls. */
class TrackServiceCallClientTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(BeaconSdkAutoConfiguration.class));

  @Test
  void recordsASuccessfulCall() {
    runner
        .withUserConfiguration(WithClient.class)
        .run(
            context -> {
              Payments payments = context.getBean(Payments.class);
              assertThat(AopUtils.isAopProxy(payments)).isTrue();

              assertThat(payments.checkout("pro")).isEqualTo("session-pro");

              RecordingTransport recording = context.getBean(RecordingTransport.class);
              await().until(() -> recording.events().size() == 1);
              ObsEvent event = recording.events().get(0);
              assertThat(event.type()).isEqualTo(EventType.SERVICE_CALL);
              assertThat(event.service().name()).isEqualTo("stripe");
              assertThat(event.service().operation()).isEqualTo("checkout.sessions.create");
              assertThat(event.status()).isEqualTo(EventStatus.OK);
              assertThat(event.durationMs()).isNotNull();
            });
  }

  @Test
  void recordsAFailedCallAndRethrowsTheSameException() {
    runner
        .withUserConfiguration(WithClient.class)
        .run(
            context -> {
              Payments payments = context.getBean(Payments.class);

              assertThatThrownBy(payments::refund)
                  .isSameAs(Payments.REFUND_FAILURE)
                  .hasMessage("card_declined");

              RecordingTransport recording = context.getBean(RecordingTransport.class);
              await().until(() -> recording.events().size() == 1);
              ObsEvent event = recording.events().get(0);
              assertThat(event.service().operation()).isEqualTo("refunds.create");
              assertThat(event.status()).isEqualTo(EventStatus.ERROR);
              assertThat(event.error().type()).isEqualTo(PaymentDeclined.class.getName());
              assertThat(event.error().message()).isEqualTo("card_declined");
            });
  }

  @Test
  void recordsAReactiveCallWhenItIsSubscribedNotWhenItIsAssembled() {
    runner
        .withUserConfiguration(WithClient.class)
        .run(
            context -> {
              Payments payments = context.getBean(Payments.class);
              RecordingTransport recording = context.getBean(RecordingTransport.class);

              Mono<String> quote = payments.quote();
              Flux<Integer> refunds = payments.refunds();
              BeaconClient beacon = context.getBean(BeaconClient.class);
              assertThat(beacon.flush(Duration.ofSeconds(10))).isTrue();
              assertThat(recording.events()).isEmpty();

              assertThat(quote.block(Duration.ofSeconds(10))).isEqualTo("quote");
              assertThatThrownBy(() -> refunds.collectList().block(Duration.ofSeconds(10)))
                  .isSameAs(Payments.REFUND_FAILURE);

              await().until(() -> recording.events().size() == 2);
              ObsEvent quoted =
                  recording.events().stream()
                      .filter(e -> e.service().operation().equals("quotes.retrieve"))
                      .findFirst()
                      .orElseThrow();
              assertThat(quoted.status()).isEqualTo(EventStatus.OK);
              assertThat(quoted.durationMs()).isGreaterThanOrEqualTo(50);
              ObsEvent listed =
                  recording.events().stream()
                      .filter(e -> e.service().operation().equals("refunds.list"))
                      .findFirst()
                      .orElseThrow();
              assertThat(listed.status()).isEqualTo(EventStatus.ERROR);
              assertThat(listed.error().message()).isEqualTo("card_declined");
              assertThat(TraceContext.current()).isEmpty();
            });
  }

  @Test
  void staysOutOfTheWayWithoutAClient() {
    runner
        .withUserConfiguration(PaymentsOnly.class)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(BeaconSdkAutoConfiguration.class);
              assertThat(context.getBean(Payments.class).checkout("free"))
                  .isEqualTo("session-free");
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class PaymentsOnly {
    @Bean
    Payments payments() {
      return new Payments();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class WithClient {
    @Bean
    RecordingTransport recordingTransport() {
      return new RecordingTransport();
    }

    @Bean
    BeaconClient beaconClient(RecordingTransport recording) {
      return BeaconClient.builder()
          .transport(recording.transport())
          .batchDelay(Duration.ofMillis(20))
          .build();
    }

    @Bean
    Payments payments() {
      return new Payments();
    }
  }

  static class PaymentDeclined extends RuntimeException {
    PaymentDeclined(String message) {
      super(message);
    }
  }

  static class Payments {
    static final PaymentDeclined REFUND_FAILURE = new PaymentDeclined("card_declined");

    @TrackServiceCall("stripe.checkout.sessions.create")
    public String checkout(String plan) {
      return "session-" + plan;
    }

    @TrackServiceCall("stripe.refunds.create")
    public void refund() {
      throw REFUND_FAILURE;
    }

    @TrackServiceCall("stripe.quotes.retrieve")
    public Mono<String> quote() {
      return Mono.just("quote").delayElement(Duration.ofMillis(60));
    }

    @TrackServiceCall("stripe.refunds.list")
    public Flux<Integer> refunds() {
      return Flux.concat(Flux.just(1, 2), Flux.error(REFUND_FAILURE));
    }
  }
}

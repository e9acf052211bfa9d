package dev.beacon.sdk.spring;

import dev.beacon.sdk.Span;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Spans for methods that return a {@link Mono} or {@link Flux}: the work happens when the result is
 * subscribed to, so the span opens on subscription and closes on completion, error or cancellation.
 * Loaded only when Reactor is on the classpath.
 */
final class ReactiveServiceCalls {

  private ReactiveServiceCalls() {}

  static boolean isReactiveType(Method method) {
    Class<?> type = method.getReturnType();
    return Mono.class.isAssignableFrom(type) || Flux.class.isAssignableFrom(type);
  }

  static boolean isReactive(Object result) {
    return result instanceof Mono<?> || result instanceof Flux<?>;
  }

  static Object track(Object result, Supplier<Span> spans) {
    if (result instanceof Mono<?> mono) {
      return trackMono(mono, spans);
    }
    return trackFlux((Flux<?>) result, spans);
  }

  private static <T> Mono<T> trackMono(Mono<T> mono, Supplier<Span> spans) {
    return Mono.defer(
        () -> {
          Span span = open(spans);
          if (span == null) {
            return mono;
          }
          return mono.doOnError(span::fail).doFinally(signal -> finish(span, signal));
        });
  }

  private static <T> Flux<T> trackFlux(Flux<T> flux, Supplier<Span> spans) {
    return Flux.defer(
        () -> {
          Span span = open(spans);
          if (span == null) {
            return flux;
          }
          return flux.doOnError(span::fail).doFinally(signal -> finish(span, signal));
        });
  }

  private static Span open(Supplier<Span> spans) {
    Span span = spans.get();
    return span == null ? null : span.detach();
  }

  private static void finish(Span span, SignalType signal) {
    if (signal == SignalType.CANCEL) {
      span.metadata("cancelled", true);
    }
    span.close();
  }
}

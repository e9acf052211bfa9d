package dev.beacon.sdk.spring;

import dev.beacon.sdk.BeaconClient;
import dev.beacon.sdk.Span;
import dev.beacon.sdk.TrackServiceCall;
import java.lang.reflect.Method;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Wraps a {@link TrackServiceCall} method in a service-call span. The method's result and any
 * exception pass through untouched; the span only observes them.
 */
final class TrackServiceCallInterceptor implements MethodInterceptor {

  private static final boolean REACTOR_PRESENT =
      ClassUtils.isPresent(
          "reactor.core.publisher.Mono", TrackServiceCallInterceptor.class.getClassLoader());

  private final ObjectProvider<BeaconClient> client;

  TrackServiceCallInterceptor(ObjectProvider<BeaconClient> client) {
    this.client = client;
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    if (REACTOR_PRESENT && ReactiveServiceCalls.isReactiveType(invocation.getMethod())) {
      return invokeReactive(invocation);
    }
    Span span = open(invocation);
    if (span == null) {
      return invocation.proceed();
    }
    try {
      return invocation.proceed();
    } catch (Throwable failure) {
      span.fail(failure);
      throw failure;
    } finally {
      span.close();
    }
  }

  private Object invokeReactive(MethodInvocation invocation) throws Throwable {
    Object result;
    try {
      result = invocation.proceed();
    } catch (Throwable failure) {
      Span span = open(invocation);
      if (span != null) {
        span.fail(failure).close();
      }
      throw failure;
    }
    if (!ReactiveServiceCalls.isReactive(result) || client.getIfAvailable() == null) {
      return result;
    }
    return ReactiveServiceCalls.track(result, () -> open(invocation));
  }

  private Span open(MethodInvocation invocation) {
    try {
      BeaconClient beacon = client.getIfAvailable();
      if (beacon == null) {
        return null;
      }
      Method method = invocation.getMethod();
      Object target = invocation.getThis();
      Method specific =
          target == null ? method : AopUtils.getMostSpecificMethod(method, target.getClass());
      TrackServiceCall annotation =
          AnnotatedElementUtils.findMergedAnnotation(specific, TrackServiceCall.class);
      if (annotation == null) {
        annotation = AnnotatedElementUtils.findMergedAnnotation(method, TrackServiceCall.class);
      }
      return annotation == null ? null : beacon.trackServiceCall(annotation.value());
    } catch (RuntimeException e) {
      return null;
    }
  }
}

package dev.beacon.sdk.spring;

import dev.beacon.sdk.BeaconClient;
import dev.beacon.sdk.TrackServiceCall;
import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Installs the {@link TrackServiceCall} interceptor when the application defines a {@link
 * BeaconClient} bean.
 *
 * <p>It is a plain Spring AOP advisor (no AspectJ weaver needed), marked as infrastructure so that
 * whichever auto-proxy creator the application has applies it; if there is none, one is registered.
 * Beans are proxied by class, so annotated methods need not come from an interface. Only calls
 * through the bean's proxy are recorded, not calls a bean makes to its own methods.
 */
@AutoConfiguration
@ConditionalOnClass(Advisor.class)
@ConditionalOnBean(BeaconClient.class)
@Import(BeaconSdkAutoConfiguration.AutoProxyRegistrar.class)
public class BeaconSdkAutoConfiguration {

  /**
   * The advisor that applies the interceptor to every method annotated with {@link
   * TrackServiceCall}.
   *
   * @param client the application's client, looked up on each call
   * @return the advisor
   */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static Advisor beaconTrackServiceCallAdvisor(ObjectProvider<BeaconClient> client) {
    return new DefaultPointcutAdvisor(
        new AnnotationMatchingPointcut(null, TrackServiceCall.class, true),
        new TrackServiceCallInterceptor(client));
  }

  static final class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {
    @Override
    public void registerBeanDefinitions(
        AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
      AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
      AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
    }
  }
}

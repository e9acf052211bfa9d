package dev.beacon.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;

class IdentityAutoConfigurationWebFluxTests {

  private static final String SHORT_SECRET = "only-twenty-six-bytes-long";

  private final ReactiveWebApplicationContextRunner service =
      new ReactiveWebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  IdentityAutoConfiguration.class,
                  ReactiveUserDetailsServiceAutoConfiguration.class,
                  ReactiveWebSecurityAutoConfiguration.class));

  @Test
  void serviceWithASecretGetsTheIdentityChainTheDecoderAndASigner() {
    service
        .withPropertyValues("beacon.identity.secret=" + TestTokens.SECRET)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(SecurityWebFilterChain.class);
              assertThat(context).hasSingleBean(ReactiveJwtDecoder.class);
              assertThat(context).hasSingleBean(IdentitySigner.class);
              assertThat(context).doesNotHaveBean(ReactiveUserDetailsService.class);
            });
  }

  @Test
  void secretShorterThan32BytesStopsTheServiceWithAClearMessage() {
    service
        .withPropertyValues("beacon.identity.secret=" + SHORT_SECRET)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(InvalidIdentitySecretException.class)
                  .hasMessageContaining("beacon.identity.secret")
                  .hasMessageContaining("BEACON_IDENTITY_SECRET")
                  .hasMessageContaining("shorter than 32 bytes")
                  .hasMessageNotContaining(SHORT_SECRET);
              FailureAnalysis analysis =
                  new InvalidIdentitySecretFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription()).doesNotContain(SHORT_SECRET);
              assertThat(analysis.getAction()).contains("BEACON_IDENTITY_SECRET");
            });
  }

  @Test
  void startupFailureReportExplainsAnUnusableSecret() {
    // Boot's own analyzers need constructor arguments only a running application has: skip them
    SpringFactoriesLoader.FailureHandler skipOthers =
        SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> {});
    assertThat(
            SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, skipOthers))
        .hasAtLeastOneElementOfType(InvalidIdentitySecretFailureAnalyzer.class);
  }

  @Test
  void serviceWithoutASecretDoesNotStart() {
    service.run(
        context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure())
              .rootCause()
              .isInstanceOf(InvalidIdentitySecretException.class)
              .hasMessageContaining("is not set");
        });
  }

  @Test
  void applicationWithItsOwnChainKeepsItAndStillGetsTheSigner() {
    service
        .withUserConfiguration(OwnChain.class)
        .withPropertyValues("beacon.identity.secret=" + TestTokens.SECRET)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).getBean(SecurityWebFilterChain.class).isSameAs(OwnChain.CHAIN);
              assertThat(context).doesNotHaveBean(ReactiveJwtDecoder.class);
              assertThat(context).hasSingleBean(IdentitySigner.class);
            });
  }

  @Test
  void nonWebApplicationGetsOnlyTheSigner() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IdentityAutoConfiguration.class))
        .withPropertyValues("beacon.identity.secret=" + TestTokens.SECRET)
        .run(
            context -> {
              assertThat(context).hasSingleBean(IdentitySigner.class);
              assertThat(context).doesNotHaveBean(SecurityWebFilterChain.class);
            });
  }

  @Test
  void boundPropertiesNeverPrintTheSecret() {
    service
        .withPropertyValues(
            "beacon.identity.secret=" + TestTokens.SECRET,
            "beacon.identity.ttl=30s",
            "beacon.identity.public-paths=/api/obs/v1/**,/api/obs/otlp/**")
        .run(
            context -> {
              IdentityProperties properties = context.getBean(IdentityProperties.class);
              assertThat(properties.ttl()).hasSeconds(30);
              assertThat(properties.clockSkew()).hasSeconds(5);
              assertThat(properties.publicPaths())
                  .containsExactly("/api/obs/v1/**", "/api/obs/otlp/**");
              assertThat(properties.toString()).doesNotContain(TestTokens.SECRET);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnChain {

    static final SecurityWebFilterChain CHAIN =
        ServerHttpSecurity.http()
            .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
            .build();

    @Bean
    SecurityWebFilterChain gatewayChain() {
      return CHAIN;
    }
  }
}

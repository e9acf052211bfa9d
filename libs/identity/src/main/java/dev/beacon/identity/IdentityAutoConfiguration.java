package dev.beacon.identity;

import dev.beacon.identity.error.ApiExceptionHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import reactor.core.publisher.Mono;

/**
 * Makes a reactive service accept only requests that carry a valid forwarded identity.
 *
 * <p>Installs a stateless {@link SecurityWebFilterChain}: health, info, prometheus and the paths in
 * {@code beacon.identity.public-paths} are open; every other request needs a valid {@value
 * ForwardedIdentity#HEADER} (401 otherwise), and any method other than GET, HEAD and OPTIONS also
 * needs a role that {@linkplain Role#canWrite() can write} (403 otherwise). CSRF, HTTP basic, form
 * login and sessions are off: services are reached only through the gateway, which owns those.
 *
 * <p>The chain backs off when the application defines its own {@code SecurityWebFilterChain} (the
 * gateway does). An {@link IdentitySigner} bean is provided whenever {@code beacon.identity.secret}
 * is set. Both use the application's {@link Clock} bean if it has exactly one, the system clock
 * otherwise.
 */
@AutoConfiguration(
    before = {
      ReactiveManagementWebSecurityAutoConfiguration.class,
      ReactiveUserDetailsServiceAutoConfiguration.class
    })
@ConditionalOnClass({ServerHttpSecurity.class, NimbusReactiveJwtDecoder.class})
@EnableConfigurationProperties(IdentityProperties.class)
public final class IdentityAutoConfiguration {

  /** Paths open on every service: what probes and Prometheus scrape. */
  static final List<String> ALWAYS_PUBLIC_PATHS =
      List.of("/actuator/health/**", "/actuator/info", "/actuator/prometheus");

  IdentityAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "beacon.identity", name = "secret")
  IdentitySigner identitySigner(IdentityProperties properties, ObjectProvider<Clock> clock) {
    return new IdentitySigner(properties, clock.getIfUnique(Clock::systemUTC));
  }

  /** Every service answers its controllers' refusals with the one error body. */
  @Bean
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnMissingBean
  ApiExceptionHandler apiExceptionHandler() {
    return new ApiExceptionHandler();
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnMissingBean(SecurityWebFilterChain.class)
  static class ServiceSecurityConfiguration {

    @Bean
    ReactiveJwtDecoder identityJwtDecoder(
        IdentityProperties properties, ObjectProvider<Clock> clock) {
      return IdentityDecoders.create(properties, clock.getIfUnique(Clock::systemUTC));
    }

    @Bean
    SecurityWebFilterChain identitySecurityWebFilterChain(
        ServerHttpSecurity http,
        ReactiveJwtDecoder identityJwtDecoder,
        IdentityProperties properties) {
      ServerWebExchangeMatcher publicPaths = publicPaths(properties);
      IdentityErrorHandler errors = new IdentityErrorHandler();
      return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
          .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
          .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
          .logout(ServerHttpSecurity.LogoutSpec::disable)
          .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
          .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
          .authorizeExchange(
              exchanges ->
                  exchanges
                      .matchers(publicPaths)
                      .permitAll()
                      .pathMatchers(HttpMethod.GET, "/**")
                      .authenticated()
                      .pathMatchers(HttpMethod.HEAD, "/**")
                      .authenticated()
                      .pathMatchers(HttpMethod.OPTIONS, "/**")
                      .authenticated()
                      .anyExchange()
                      .access(ServiceSecurityConfiguration::allowsWrites))
          .oauth2ResourceServer(
              server ->
                  server
                      .bearerTokenConverter(new IdentityHeaderConverter(publicPaths))
                      .authenticationEntryPoint(errors)
                      .accessDeniedHandler(errors)
                      .jwt(
                          jwt ->
                              jwt.jwtDecoder(identityJwtDecoder)
                                  .jwtAuthenticationConverter(
                                      token ->
                                          Mono.just(
                                              new ForwardedIdentityAuthentication(
                                                  IdentityDecoders.identityOf(token))))))
          .exceptionHandling(
              handling -> handling.authenticationEntryPoint(errors).accessDeniedHandler(errors))
          .build();
    }

    private static ServerWebExchangeMatcher publicPaths(IdentityProperties properties) {
      List<String> patterns = new ArrayList<>(ALWAYS_PUBLIC_PATHS);
      patterns.addAll(properties.publicPaths());
      return ServerWebExchangeMatchers.pathMatchers(patterns.toArray(String[]::new));
    }

    private static Mono<AuthorizationResult> allowsWrites(
        Mono<Authentication> authentication, AuthorizationContext context) {
      return authentication
          .filter(Authentication::isAuthenticated)
          .map(
              current ->
                  current.getPrincipal() instanceof ForwardedIdentity identity
                      && identity.role().canWrite())
          .defaultIfEmpty(false)
          .map(AuthorizationDecision::new);
    }
  }
}

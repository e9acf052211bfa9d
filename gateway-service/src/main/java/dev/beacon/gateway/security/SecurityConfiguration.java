package dev.beacon.gateway.security;

import dev.beacon.gateway.account.AccountService;
import dev.beacon.gateway.apikey.ApiKeyAuthenticationManager;
import dev.beacon.gateway.apikey.ApiKeyClient;
import dev.beacon.gateway.frontend.FrontendConfiguration;
import dev.beacon.gateway.login.LoginConfiguration;
import dev.beacon.gateway.login.LoginProperties;
import dev.beacon.gateway.session.SessionSecurityContextRepository;
import dev.beacon.identity.error.ApiErrors;
import dev.beacon.identity.error.ApiException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.ott.reactive.ReactiveOneTimeTokenService;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.logout.HttpStatusReturningServerLogoutSuccessHandler;
import org.springframework.security.web.server.authentication.logout.SecurityContextServerLogoutHandler;
import org.springframework.security.web.server.authentication.ott.ServerGenerateOneTimeTokenRequestResolver;
import org.springframework.security.web.server.authentication.ott.ServerOneTimeTokenGenerationSuccessHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.AndServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * The gateway's four filter chains, tried in order:
 *
 * <ol>
 *   <li><b>intake</b>: {@code POST /api/obs/v1/**} and {@code /api/obs/otlp/**} go to ingest, which
 *       checks the caller's API key itself, {@code POST /api/billing/stripe/webhook} goes to
 *       billing, which checks Stripe's signature itself, and the channel webhooks ({@code POST
 *       /api/integrations/channels/telegram/*}{@code /webhook}, {@code
 *       /api/integrations/channels/discord/*}{@code /interactions}) go to integrations, which
 *       checks Telegram's secret token and Discord's Ed25519 signature itself; no session, no CSRF
 *       (agents, Stripe, Telegram and Discord are not browsers).
 *   <li><b>MCP with an API key</b>: {@code /api/integrations/mcp} with {@code Authorization: Bearer
 *       <key>} of a key with the {@code tools} scope, which speaks for its workspace as a member
 *       there (integrations' MCP endpoint, for outside agents); stateless, no CSRF.
 *   <li><b>API key</b>: {@code GET /api/obs/**} with {@code Authorization: Bearer <key>} is
 *       authenticated by asking ingest about the key; stateless, no CSRF (no cookie is involved).
 *   <li><b>browser</b>: everything else. Magic-link login (Spring Security's one-time-token login),
 *       sessions in PostgreSQL ({@link SessionSecurityContextRepository}), CSRF for every
 *       state-changing request with the cookie-to-header pattern ({@code XSRF-TOKEN} cookie, {@code
 *       X-XSRF-TOKEN} header), logout, and {@code /api/**} for signed-in users only.
 * </ol>
 *
 * Defining these chains makes the identity library's service chain back off.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  /** integrations-service's MCP endpoint (docs/integrations.md, MCP). */
  static final String MCP_PATH = "/api/integrations/mcp";

  static final String[] PUBLIC_ACTUATOR = {
    "/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus"
  };

  @Bean
  @Order(1)
  SecurityWebFilterChain intakeSecurityWebFilterChain(ServerHttpSecurity http) {
    return stateless(http)
        .securityMatcher(
            ServerWebExchangeMatchers.pathMatchers(
                HttpMethod.POST,
                "/api/obs/v1/**",
                "/api/obs/otlp/**",
                "/api/billing/stripe/webhook",
                "/api/integrations/channels/telegram/*/webhook",
                "/api/integrations/channels/discord/*/interactions"))
        .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
        .build();
  }

  @Bean
  @Order(2)
  SecurityWebFilterChain mcpApiKeySecurityWebFilterChain(
      ServerHttpSecurity http, ApiKeyClient apiKeyClient) {
    return apiKeyChain(
        http,
        apiKeyClient,
        ApiKeyAuthenticationManager.TOOLS_SCOPE,
        ServerWebExchangeMatchers.pathMatchers(MCP_PATH));
  }

  @Bean
  @Order(3)
  SecurityWebFilterChain apiKeySecurityWebFilterChain(
      ServerHttpSecurity http, ApiKeyClient apiKeyClient) {
    return apiKeyChain(
        http,
        apiKeyClient,
        ApiKeyAuthenticationManager.READ_SCOPE,
        new AndServerWebExchangeMatcher(
            ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/api/obs/**"),
            new NegatedServerWebExchangeMatcher(
                ServerWebExchangeMatchers.pathMatchers("/api/obs/keys/**"))));
  }

  /**
   * Requests to {@code paths} with {@code Authorization: Bearer <key>}, authenticated by asking
   * ingest about the key, which must have {@code scope}; stateless, no CSRF (no cookie is
   * involved). Without a bearer the request goes on to the browser chain.
   */
  private static SecurityWebFilterChain apiKeyChain(
      ServerHttpSecurity http,
      ApiKeyClient apiKeyClient,
      String scope,
      ServerWebExchangeMatcher paths) {
    ApiKeyAuthenticationManager apiKeys = new ApiKeyAuthenticationManager(apiKeyClient, scope);
    ServerWebExchangeMatcher withBearer =
        new AndServerWebExchangeMatcher(
            paths,
            exchange ->
                bearer(exchange.getRequest().getHeaders()) != null
                    ? ServerWebExchangeMatcher.MatchResult.match()
                    : ServerWebExchangeMatcher.MatchResult.notMatch());
    AuthenticationWebFilter authentication = new AuthenticationWebFilter(apiKeys);
    authentication.setServerAuthenticationConverter(
        exchange ->
            Mono.justOrEmpty(bearer(exchange.getRequest().getHeaders()))
                .map(key -> UsernamePasswordAuthenticationToken.unauthenticated("api-key", key)));
    authentication.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
    authentication.setAuthenticationFailureHandler(apiKeyFailure(scope));
    return stateless(http)
        .securityMatcher(withBearer)
        .addFilterAt(authentication, SecurityWebFiltersOrder.AUTHENTICATION)
        .authorizeExchange(exchanges -> exchanges.anyExchange().authenticated())
        .exceptionHandling(
            handling ->
                handling.authenticationEntryPoint(
                    (exchange, e) ->
                        ApiErrors.write(
                            exchange,
                            HttpStatus.UNAUTHORIZED,
                            "api_key_invalid",
                            "The API key is unknown, revoked or expired.")))
        .build();
  }

  @Bean
  @Order(4)
  SecurityWebFilterChain browserSecurityWebFilterChain(
      ServerHttpSecurity http,
      SessionSecurityContextRepository sessions,
      ReactiveOneTimeTokenService oneTimeTokens,
      ServerGenerateOneTimeTokenRequestResolver generateRequestResolver,
      ServerOneTimeTokenGenerationSuccessHandler magicLinkMailer,
      AccountService accounts,
      ServerAuthenticationFailureHandler magicLinkFailureHandler,
      LoginProperties loginProperties) {
    CookieServerCsrfTokenRepository csrfTokens =
        CookieServerCsrfTokenRepository.withHttpOnlyFalse();
    csrfTokens.setCookieCustomizer(cookie -> cookie.sameSite("Lax").path("/"));
    SecurityContextServerLogoutHandler logout = new SecurityContextServerLogoutHandler();
    logout.setSecurityContextRepository(sessions);
    return http.securityContextRepository(sessions)
        .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .headers(
            headers ->
                headers
                    .contentSecurityPolicy(
                        csp -> csp.policyDirectives(FrontendConfiguration.CONTENT_SECURITY_POLICY))
                    .referrerPolicy(
                        referrer ->
                            referrer.policy(
                                ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy
                                    .STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                    .frameOptions(
                        frame -> frame.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
                    .permissionsPolicy(
                        permissions ->
                            permissions.policy("camera=(), microphone=(), geolocation=()")))
        .csrf(
            csrf ->
                csrf.csrfTokenRepository(csrfTokens)
                    .accessDeniedHandler(csrfOrForbidden())
                    // plain (not XOR-masked) tokens: the SPA echoes the cookie into the header
                    .csrfTokenRequestHandler(new ServerCsrfTokenRequestAttributeHandler()))
        .addFilterAfter(csrfCookieFilter(), SecurityWebFiltersOrder.CSRF)
        .addFilterBefore(
            LoginConfiguration.loginRateLimitFilter(loginProperties),
            SecurityWebFiltersOrder.ONE_TIME_TOKEN)
        .oneTimeTokenLogin(
            ott ->
                ott.tokenService(oneTimeTokens)
                    .tokenGeneratingUrl(LoginConfiguration.GENERATE_PATH)
                    .generateRequestResolver(generateRequestResolver)
                    .tokenGenerationSuccessHandler(magicLinkMailer)
                    .authenticationManager(
                        LoginConfiguration.magicLinkAuthenticationManager(oneTimeTokens, accounts))
                    .authenticationFailureHandler(magicLinkFailureHandler)
                    .authenticationSuccessHandler(
                        new RedirectServerAuthenticationSuccessHandler("/"))
                    .securityContextRepository(sessions)
                    .loginProcessingUrl(LoginConfiguration.LOGIN_PATH)
                    .defaultSubmitPageUrl(LoginConfiguration.LOGIN_PATH)
                    .showDefaultSubmitPage(true))
        .logout(
            spec ->
                spec.logoutUrl("/logout")
                    .logoutHandler(logout)
                    .logoutSuccessHandler(
                        new HttpStatusReturningServerLogoutSuccessHandler(HttpStatus.NO_CONTENT)))
        .exceptionHandling(
            handling ->
                handling
                    .authenticationEntryPoint(unauthenticated())
                    .accessDeniedHandler(csrfOrForbidden()))
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers(PUBLIC_ACTUATOR)
                    .permitAll()
                    .pathMatchers("/actuator/**")
                    .denyAll()
                    .pathMatchers("/api/**")
                    .authenticated()
                    // login, logout, the dev mailbox (local profile only) and the dashboard
                    // bundle with its client-side routes (dev.beacon.gateway.frontend)
                    .anyExchange()
                    .permitAll())
        .build();
  }

  private static ServerHttpSecurity stateless(ServerHttpSecurity http) {
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()));
  }

  /** Subscribes to the deferred CSRF token so that the {@code XSRF-TOKEN} cookie is always set. */
  private static WebFilter csrfCookieFilter() {
    return (exchange, chain) -> {
      Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
      return token == null ? chain.filter(exchange) : token.then(chain.filter(exchange));
    };
  }

  private static ServerAuthenticationEntryPoint unauthenticated() {
    return (exchange, e) ->
        ApiErrors.write(exchange, HttpStatus.UNAUTHORIZED, "unauthenticated", "Sign in first.");
  }

  private static ServerAccessDeniedHandler csrfOrForbidden() {
    return (exchange, denied) ->
        ApiErrors.write(
            exchange,
            HttpStatus.FORBIDDEN,
            denied instanceof org.springframework.security.web.server.csrf.CsrfException
                ? "csrf_invalid"
                : "forbidden",
            denied instanceof org.springframework.security.web.server.csrf.CsrfException
                ? "Missing or invalid CSRF token: send the XSRF-TOKEN cookie's value in the"
                    + " X-XSRF-TOKEN header."
                : "Not allowed.");
  }

  private static ServerAuthenticationFailureHandler apiKeyFailure(String scope) {
    return (webFilterExchange, e) -> {
      var exchange = webFilterExchange.getExchange();
      if (e instanceof AuthenticationServiceException) {
        return ApiErrors.write(
            exchange,
            new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "service_unavailable",
                    "API keys cannot be checked right now. Try again shortly.")
                .with("service", "obs-ingest"));
      }
      if (e instanceof InsufficientAuthenticationException) {
        return ApiErrors.write(
            exchange,
            HttpStatus.FORBIDDEN,
            "api_key_scope",
            "The API key does not have the " + scope + " scope.");
      }
      return ApiErrors.write(
          exchange,
          HttpStatus.UNAUTHORIZED,
          "api_key_invalid",
          "The API key is unknown, revoked or expired.");
    };
  }

  private static String bearer(HttpHeaders headers) {
    String value = headers.getFirst(HttpHeaders.AUTHORIZATION);
    if (value == null || value.length() <= 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String key = value.substring(7).trim();
    return key.isEmpty() ? null : key;
  }
}

package dev.beacon.gateway.login;

import dev.beacon.gateway.account.AccountService;
import dev.beacon.gateway.account.Emails;
import dev.beacon.gateway.mail.Mail;
import dev.beacon.gateway.mail.Mailer;
import dev.beacon.gateway.mail.MailingProperties;
import dev.beacon.gateway.session.SessionAuthentication;
import dev.beacon.gateway.session.SessionUser;
import dev.beacon.identity.error.ApiErrors;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.InvalidOneTimeTokenException;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;
import org.springframework.security.authentication.ott.reactive.ReactiveOneTimeTokenService;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ott.ServerGenerateOneTimeTokenRequestResolver;
import org.springframework.security.web.server.authentication.ott.ServerOneTimeTokenGenerationSuccessHandler;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * The pieces of magic-link login that Spring Security's {@code oneTimeTokenLogin} is configured
 * with: the token store, how a request names the email, the mail with the link (sent by {@link
 * Mailer}), how a consumed token becomes a signed-in user (signing them up on first use) and the
 * login rate limit.
 */
@Configuration(proxyBeanMethods = false)
public class LoginConfiguration {

  private static final Logger log = LoggerFactory.getLogger(LoginConfiguration.class);

  /** Where the generation form posts and where the link's submit page lives. */
  public static final String GENERATE_PATH = LoginRateLimitFilter.GENERATE_PATH;

  public static final String LOGIN_PATH = "/login/ott";

  @Bean
  PostgresOneTimeTokenService oneTimeTokenService(DatabaseClient db) {
    return new PostgresOneTimeTokenService(db);
  }

  @Bean
  ServerGenerateOneTimeTokenRequestResolver generateRequestResolver(LoginProperties properties) {
    return exchange ->
        exchange
            .getFormData()
            .flatMap(
                form ->
                    Mono.justOrEmpty(Emails.normalize(form.getFirst("username")))
                        .map(
                            email ->
                                new GenerateOneTimeTokenRequest(email, properties.tokenTtl())));
  }

  /** Mails the link and answers the same way whether or not the address has an account. */
  @Bean
  ServerOneTimeTokenGenerationSuccessHandler magicLinkMailer(
      Mailer mailer, MailingProperties mailing, LoginProperties properties) {
    String base = mailing.publicUrl().replaceAll("/+$", "");
    return (exchange, token) -> {
      String link =
          base
              + LOGIN_PATH
              + "?token="
              + URLEncoder.encode(token.getTokenValue(), StandardCharsets.UTF_8);
      Mail mail =
          new Mail(
              token.getUsername(),
              "Your Beacon sign-in link",
              "Sign in to Beacon with this link (valid for "
                  + properties.tokenTtl().toMinutes()
                  + " minutes, once):\n\n"
                  + link
                  + "\n\nIf you did not ask for it, ignore this mail.",
              link,
              Instant.now());
      // Sent in the background: the answer (body, status and timing) must not tell whether the
      // address exists or whether delivery worked, retries included. Failures are logged by the
      // mailer without the address or the link.
      Mono.defer(() -> mailer.send(mail))
          .onErrorResume(
              e -> {
                log.warn(
                    "A sign-in mail could not be delivered ({})", e.getClass().getSimpleName());
                return Mono.empty();
              })
          .subscribe();
      return ApiErrors.write(
          exchange,
          HttpStatus.ACCEPTED,
          "login_link_sent",
          "If this address can sign in, a sign-in link is on its way.");
    };
  }

  /**
   * Consumes the token and signs the person in, creating their account on first use. Not a bean: a
   * second {@code ReactiveAuthenticationManager} bean would confuse Spring Security's defaults.
   */
  public static ReactiveAuthenticationManager magicLinkAuthenticationManager(
      ReactiveOneTimeTokenService tokens, AccountService accounts) {
    return authentication -> {
      if (!(authentication instanceof OneTimeTokenAuthenticationToken token)) {
        return Mono.empty();
      }
      return tokens
          .consume(token)
          .switchIfEmpty(
              Mono.error(() -> new InvalidOneTimeTokenException("Invalid or expired token")))
          .flatMap(
              consumed ->
                  accounts
                      .signIn(consumed.getUsername())
                      .flatMap(
                          userId ->
                              accounts
                                  .currentMembership(userId, null)
                                  .map(m -> Optional.of(m.workspaceId()))
                                  .defaultIfEmpty(Optional.<UUID>empty())
                                  .map(
                                      workspace ->
                                          new SessionAuthentication(
                                              new SessionUser(
                                                  userId,
                                                  consumed.getUsername(),
                                                  workspace.orElse(null),
                                                  null)))));
    };
  }

  @Bean
  ServerAuthenticationFailureHandler magicLinkFailureHandler() {
    return (webFilterExchange, exception) ->
        ApiErrors.write(
            webFilterExchange.getExchange(),
            HttpStatus.UNAUTHORIZED,
            "login_token_invalid",
            "This sign-in link is invalid, expired or already used. Ask for a new one.");
  }

  /**
   * The login rate limit, to be placed in the browser filter chain after CSRF and before the token
   * generation filter; deliberately not a bean, which would put it in every request's chain.
   */
  public static WebFilter loginRateLimitFilter(LoginProperties properties) {
    return new LoginRateLimitFilter(properties);
  }
}

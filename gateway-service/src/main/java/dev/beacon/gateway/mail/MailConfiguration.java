package dev.beacon.gateway.mail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.web.reactive.function.client.WebClient;

/** Chooses how the gateway's mails are delivered. */
@Configuration(proxyBeanMethods = false)
class MailConfiguration {

  private static final Logger log = LoggerFactory.getLogger(MailConfiguration.class);

  /**
   * The one mailer everything uses: SendGrid's HTTP API when {@code BEACON_SENDGRID_API_KEY} is
   * set, else SMTP when {@code spring.mail.host} is, else the dev mailbox (a {@code Mailer} bean of
   * its own, {@code local}/{@code dev} profile only), else nothing but a log line.
   */
  @Bean
  @Primary
  Mailer mailer(
      SendGridProperties sendGrid,
      ObjectProvider<WebClient.Builder> webClient,
      ObjectProvider<JavaMailSender> smtp,
      ObjectProvider<DevMailbox> devMailbox,
      MailingProperties mailing) {
    if (sendGrid.enabled()) {
      log.info("Mail delivery: SendGrid HTTP API at {}", sendGrid.baseUrl());
      return new SendGridMailer(
          webClient.getIfAvailable(WebClient::builder), sendGrid, mailing.mailFrom());
    }
    JavaMailSender sender = smtp.getIfAvailable();
    if (sender != null) {
      log.info("Mail delivery: SMTP");
      return new SmtpMailer(sender, mailing.mailFrom());
    }
    DevMailbox mailbox = devMailbox.getIfAvailable();
    if (mailbox != null) {
      log.info("Mail delivery: the development mailbox at /dev/mailbox");
      return mailbox;
    }
    return new UndeliverableMailer();
  }
}

package dev.beacon.gateway.mail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Used when no mail delivery is configured: says so in the log, without the link (a bearer
 * credential) or the address.
 */
class UndeliverableMailer implements Mailer {

  private static final Logger log = LoggerFactory.getLogger(UndeliverableMailer.class);

  @Override
  public Mono<Void> send(Mail mail) {
    log.warn(
        "No mail delivery configured (set BEACON_SENDGRID_API_KEY or spring.mail.host): a '{}'"
            + " mail was not sent",
        mail.subject());
    return Mono.empty();
  }
}

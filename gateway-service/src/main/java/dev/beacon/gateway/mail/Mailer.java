package dev.beacon.gateway.mail;

import reactor.core.publisher.Mono;

/** Delivers the gateway's mails: SendGrid or SMTP when configured, the dev mailbox locally. */
public interface Mailer {

  Mono<Void> send(Mail mail);
}

package dev.beacon.gateway.mail;

import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Sends mail through Spring Mail (configured with {@code spring.mail.host} and friends). */
class SmtpMailer implements Mailer {

  private final JavaMailSender sender;
  private final String from;

  SmtpMailer(JavaMailSender sender, String from) {
    this.sender = sender;
    this.from = from;
  }

  @Override
  public Mono<Void> send(Mail mail) {
    return Mono.<Void>fromRunnable(
            () -> {
              SimpleMailMessage message = new SimpleMailMessage();
              message.setFrom(from);
              message.setTo(mail.to());
              message.setSubject(mail.subject());
              message.setText(mail.text());
              sender.send(message);
            })
        .subscribeOn(Schedulers.boundedElastic());
  }
}

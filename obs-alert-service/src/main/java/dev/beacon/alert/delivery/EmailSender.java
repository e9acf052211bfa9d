package dev.beacon.alert.delivery;

import dev.beacon.alert.config.AlertProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends notifications by e-mail through Spring Mail ({@code spring.mail.host} etc.). Without a
 * configured SMTP server every e-mail delivery fails with {@code email not configured}.
 */
class EmailSender {

  private final ObjectProvider<JavaMailSender> mail;
  private final String from;

  EmailSender(ObjectProvider<JavaMailSender> mail, AlertProperties properties) {
    this.mail = mail;
    this.from = properties.mail().from();
  }

  /** A rule's alert names its rule, scope and window; a billing notice is its message. */
  private static String text(AlertMessage message) {
    String link = message.link() == null ? "" : "\n\n" + message.link() + "\n";
    if (message.ruleName() == null) {
      return message.body() + link;
    }
    return message.body()
        + "\n\nRule: "
        + message.ruleName()
        + (message.groupBy() == null ? "" : "\nScope: " + message.groupBy() + " " + message.group())
        + "\nWindow: "
        + message.window()
        + link;
  }

  /** One attempt; never errors. */
  Mono<SlackClient.Attempt> send(String to, AlertMessage message) {
    JavaMailSender sender = mail.getIfAvailable();
    if (sender == null) {
      return Mono.just(new SlackClient.Attempt("failed", null, 0, "email not configured", null));
    }
    return Mono.fromCallable(
            () -> {
              long started = System.nanoTime();
              SimpleMailMessage mailMessage = new SimpleMailMessage();
              mailMessage.setFrom(from);
              mailMessage.setTo(to);
              mailMessage.setSubject(message.title());
              mailMessage.setText(text(message));
              try {
                sender.send(mailMessage);
                return new SlackClient.Attempt(
                    "delivered", null, (System.nanoTime() - started) / 1_000_000, null, null);
              } catch (MailAuthenticationException | MailParseException e) {
                return new SlackClient.Attempt(
                    "failed",
                    null,
                    (System.nanoTime() - started) / 1_000_000,
                    e.getClass().getSimpleName(),
                    null);
              } catch (RuntimeException e) {
                return new SlackClient.Attempt(
                    "retrying",
                    null,
                    (System.nanoTime() - started) / 1_000_000,
                    e.getClass().getSimpleName(),
                    null);
              }
            })
        .subscribeOn(Schedulers.boundedElastic());
  }
}

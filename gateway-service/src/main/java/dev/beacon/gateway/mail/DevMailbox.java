package dev.beacon.gateway.mail;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps the last mails in memory instead of sending them, so a person running the local stack can
 * click their sign-in link at {@code /dev/mailbox}. Exists only under the {@code local} or {@code
 * dev} profile, which the production configuration and docker-compose never enable.
 */
@Component
@Profile({"local", "dev"})
class DevMailbox implements Mailer {

  private static final int KEPT = 200;

  private final Deque<Mail> mails = new ArrayDeque<>();

  @Override
  public synchronized Mono<Void> send(Mail mail) {
    mails.addFirst(mail);
    while (mails.size() > KEPT) {
      mails.removeLast();
    }
    return Mono.empty();
  }

  /** Newest first. */
  synchronized List<Mail> mails() {
    return List.copyOf(mails);
  }
}

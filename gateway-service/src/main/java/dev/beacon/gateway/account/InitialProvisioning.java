package dev.beacon.gateway.account;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Headless bootstrap: {@code BEACON_INIT_USER_EMAIL} and {@code BEACON_INIT_WORKSPACE} make that
 * user the owner of that workspace at start, idempotently (empty values count as unset). The user
 * signs in through the usual magic link.
 */
@Component
class InitialProvisioning implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(InitialProvisioning.class);

  private final AccountService accounts;
  private final String email;
  private final String workspace;

  InitialProvisioning(
      AccountService accounts,
      @Value("${beacon.gateway.init.user-email:}") String email,
      @Value("${beacon.gateway.init.workspace:}") String workspace) {
    this.accounts = accounts;
    this.email = email;
    this.workspace = workspace;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (email == null || email.isBlank()) {
      return;
    }
    String normalized =
        Emails.normalize(email)
            .orElseThrow(
                () -> new IllegalStateException("BEACON_INIT_USER_EMAIL is not a valid address"));
    String name = workspace == null || workspace.isBlank() ? "Default" : workspace.trim();
    accounts.provision(normalized, name).block();
    log.info("Provisioned the initial user as owner of workspace '{}'", name);
  }
}

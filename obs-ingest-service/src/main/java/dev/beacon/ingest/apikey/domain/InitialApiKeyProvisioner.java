package dev.beacon.ingest.apikey.domain;

import dev.beacon.identity.BootstrapWorkspace;
import dev.beacon.ingest.config.IngestProperties;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Provisions {@code BEACON_INIT_API_KEY} in {@code BEACON_INIT_WORKSPACE} with both scopes at
 * start, idempotently, in the workspace the gateway creates for that name: both derive its id with
 * {@link BootstrapWorkspace#idFor}.
 */
@Component
class InitialApiKeyProvisioner implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(InitialApiKeyProvisioner.class);

  private final ApiKeyService keys;
  private final IngestProperties.Init init;

  InitialApiKeyProvisioner(ApiKeyService keys, IngestProperties properties) {
    this.keys = keys;
    this.init = properties.init();
  }

  @Override
  public void run(ApplicationArguments args) {
    if (init.apiKey() == null || init.apiKey().isBlank()) {
      return;
    }
    if (init.workspace() == null || init.workspace().isBlank()) {
      throw new IllegalStateException(
          "BEACON_INIT_API_KEY is set but BEACON_INIT_WORKSPACE is not: the key needs a workspace");
    }
    if (!ApiKeyFormat.isWellFormed(init.apiKey().strip())) {
      throw new IllegalStateException(
          "BEACON_INIT_API_KEY is not a Beacon API key (bcn_ + 32 base62 characters + 6-character"
              + " checksum)");
    }
    String workspaceId = BootstrapWorkspace.idFor(init.workspace()).toString();
    Boolean created =
        keys.provision(init.apiKey().strip(), workspaceId, "bootstrap")
            .block(Duration.ofSeconds(30));
    log.info(
        "Bootstrap API key {} for workspace {} ({})",
        Boolean.TRUE.equals(created) ? "provisioned" : "already present",
        init.workspace(),
        workspaceId);
  }
}

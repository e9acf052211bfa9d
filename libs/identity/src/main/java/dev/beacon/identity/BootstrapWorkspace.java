package dev.beacon.identity;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The id of the workspace named by {@code BEACON_INIT_WORKSPACE}. The gateway creates that
 * workspace and the ingest service provisions {@code BEACON_INIT_API_KEY} in it, each at its own
 * start and without asking the other, so both derive the same id from the name: a name-based UUID
 * of {@code "beacon:bootstrap-workspace:" + name}. Workspaces created any other way get random ids.
 */
public final class BootstrapWorkspace {

  private BootstrapWorkspace() {}

  /**
   * The bootstrap workspace's id for a name; surrounding white space is ignored.
   *
   * @param name the value of {@code BEACON_INIT_WORKSPACE}, e.g. {@code demo}
   * @return the same UUID for the same name, in every service and every run
   */
  public static UUID idFor(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("the bootstrap workspace needs a name");
    }
    return UUID.nameUUIDFromBytes(
        ("beacon:bootstrap-workspace:" + name.strip()).getBytes(StandardCharsets.UTF_8));
  }
}

package dev.beacon.integrations.connection.domain;

import java.util.Arrays;

/**
 * The OAuth providers a workspace can connect (the credential ones are {@link CredentialProvider}).
 */
public enum ProviderId implements Provider {
  GOOGLE("google", "Google", true),
  SLACK("slack", "Slack", false),
  GITHUB("github", "GitHub", true),
  NOTION("notion", "Notion", false),
  TODOIST("todoist", "Todoist", false),
  DROPBOX("dropbox", "Dropbox", true),
  SPOTIFY("spotify", "Spotify", true);

  private final String id;
  private final String displayName;
  private final boolean pkce;

  ProviderId(String id, String displayName, boolean pkce) {
    this.id = id;
    this.displayName = displayName;
    this.pkce = pkce;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String displayName() {
    return displayName;
  }

  /**
   * Whether the provider takes a PKCE (S256) challenge. Slack's v2 flow, Notion's and Todoist's do
   * not document one.
   */
  boolean pkce() {
    return pkce;
  }

  /** The provider of this path segment, or 404 {@code unknown_provider}. */
  public static ProviderId of(String id) {
    return Arrays.stream(values())
        .filter(p -> p.id.equals(id))
        .findFirst()
        .orElseThrow(() -> Provider.unknown(id));
  }
}

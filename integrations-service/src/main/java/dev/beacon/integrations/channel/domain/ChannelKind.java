package dev.beacon.integrations.channel.domain;

import dev.beacon.identity.error.ApiException;
import java.util.Locale;

/** Where a channel's messages come from. */
public enum ChannelKind {
  TELEGRAM,
  DISCORD;

  /** The id in the API and the database: {@code telegram}, {@code discord}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ChannelKind of(String id) {
    for (ChannelKind kind : values()) {
      if (kind.id().equals(id)) {
        return kind;
      }
    }
    throw ApiException.badRequest("invalid_channel", "kind must be telegram or discord")
        .with("field", "kind");
  }
}

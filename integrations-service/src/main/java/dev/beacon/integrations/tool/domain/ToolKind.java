package dev.beacon.integrations.tool.domain;

import java.util.Locale;

/** Whether a tool only reads, or changes something outside (and so goes through approval). */
public enum ToolKind {
  READ,
  WRITE;

  /** The value in the API: {@code read} or {@code write}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}

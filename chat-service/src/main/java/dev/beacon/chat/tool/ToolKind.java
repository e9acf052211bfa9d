package dev.beacon.chat.tool;

import java.util.Locale;
import java.util.Optional;

/** Whether a tool only reads (runs at once) or changes something outside (may need approval). */
public enum ToolKind {
  READ,
  WRITE;

  /** The value in JSON: {@code read} or {@code write}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<ToolKind> of(String id) {
    return switch (id == null ? "" : id) {
      case "read" -> Optional.of(READ);
      case "write" -> Optional.of(WRITE);
      default -> Optional.empty();
    };
  }
}

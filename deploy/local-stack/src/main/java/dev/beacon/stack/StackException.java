package dev.beacon.stack;

/** A part of the stack failed to start or died; carries the tail of its log for the user. */
final class StackException extends RuntimeException {

  private final String component;
  private final String logTail;

  StackException(String component, String message, String logTail) {
    super(component + ": " + message);
    this.component = component;
    this.logTail = logTail;
  }

  String component() {
    return component;
  }

  String logTail() {
    return logTail;
  }
}

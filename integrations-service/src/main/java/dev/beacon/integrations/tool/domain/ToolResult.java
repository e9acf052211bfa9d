package dev.beacon.integrations.tool.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a tool gave: {@code {"status": "ok", "result": "text"}} or {@code {"status": "error",
 * "error": {"code", "message"}}}. A tool-level failure is a result the model reads, not an HTTP
 * error.
 *
 * @param status {@code ok} or {@code error}
 * @param result the text, when ok
 * @param error what went wrong, when not
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolResult(String status, String result, Error error) {

  /**
   * A tool-level failure.
   *
   * @param code stable, e.g. {@code address_not_allowed}
   * @param message for the model and for people
   */
  public record Error(String code, String message) {}

  public static ToolResult ok(String text) {
    return new ToolResult("ok", text, null);
  }

  public static ToolResult failed(String code, String message) {
    return new ToolResult("error", null, new Error(code, message));
  }
}

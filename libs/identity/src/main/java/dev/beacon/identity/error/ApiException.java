package dev.beacon.identity.error;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A documented refusal: HTTP status, stable machine-readable code, message for people, and
 * optionally fields the code documents and a {@code Retry-After}.
 *
 * <p>An expected outcome, not a bug: it carries no stack trace. Not-found is the same answer for
 * rows that do not exist and rows of another workspace.
 */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String code;
  private final Map<String, Object> details;
  private final Duration retryAfter;

  public ApiException(HttpStatus status, String code, String message) {
    this(status, code, message, Map.of(), null);
  }

  private ApiException(
      HttpStatus status,
      String code,
      String message,
      Map<String, Object> details,
      Duration retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }

  /** 400 with {@code code}. */
  public static ApiException badRequest(String code, String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, code, message);
  }

  /** 403 with {@code code}. */
  public static ApiException forbidden(String code, String message) {
    return new ApiException(HttpStatus.FORBIDDEN, code, message);
  }

  /** 404 with {@code code}. */
  public static ApiException notFound(String code, String message) {
    return new ApiException(HttpStatus.NOT_FOUND, code, message);
  }

  /** 409 with {@code code}. */
  public static ApiException conflict(String code, String message) {
    return new ApiException(HttpStatus.CONFLICT, code, message);
  }

  /** The same refusal with one more documented field in its body. */
  public ApiException with(String field, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(details);
    more.put(field, value);
    return new ApiException(
        status, code, getMessage(), Collections.unmodifiableMap(more), retryAfter);
  }

  /** The same refusal, answered with a {@code Retry-After} of {@code after} (whole seconds). */
  public ApiException retryAfter(Duration after) {
    return new ApiException(status, code, getMessage(), details, after);
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Documented fields beyond {@code code} and {@code message}, in order; usually empty. */
  public Map<String, Object> details() {
    return details;
  }

  /** The {@code Retry-After} to answer with, or {@code null}. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** The body: {@code code}, {@code message}, then the details. */
  public Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", getMessage());
    body.putAll(details);
    return body;
  }
}

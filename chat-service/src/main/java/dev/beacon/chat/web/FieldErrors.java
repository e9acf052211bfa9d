package dev.beacon.chat.web;

import dev.beacon.identity.error.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Field-level validation messages, collected in order, answered as one 400 whose body lists them:
 * {@code {"code", "message", "errors": [{"field", "message"}]}}. The first message per field wins.
 */
public final class FieldErrors {

  private final Map<String, String> errors = new LinkedHashMap<>();

  /** Records that {@code field} {@code message} ("name must not be blank"). */
  public FieldErrors add(String field, String message) {
    errors.putIfAbsent(field, message);
    return this;
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  public boolean has(String field) {
    return errors.containsKey(field);
  }

  /** 400 with {@code code}, a message naming every problem, and the list of them. */
  public ApiException toException(String code) {
    List<Map<String, String>> list = new ArrayList<>();
    errors.forEach(
        (field, message) -> {
          Map<String, String> entry = new LinkedHashMap<>();
          entry.put("field", field);
          entry.put("message", message);
          list.add(entry);
        });
    String summary =
        errors.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining("; "));
    return ApiException.badRequest(code, summary).with("errors", list);
  }
}

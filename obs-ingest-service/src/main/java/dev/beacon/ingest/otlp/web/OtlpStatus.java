package dev.beacon.ingest.otlp.web;

import com.google.protobuf.CodedOutputStream;
import dev.beacon.ingest.otlp.domain.OtlpFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of an OTLP/HTTP error: a {@code google.rpc.Status} whose {@code details} hold one {@code
 * google.rpc.ErrorInfo} with the stable Beacon code as {@code reason}, the same code the JSON
 * intake answers with, and the code's documented fields (as the JSON body's) in its {@code
 * metadata}. Encoded by hand (three small messages) rather than pulling in the google-common-protos
 * artifact.
 */
final class OtlpStatus {

  static final String ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";
  static final String DOMAIN = "beacon.dev";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private OtlpStatus() {}

  static byte[] encode(OtlpFormat format, int httpStatus, String code, String message) {
    return encode(format, httpStatus, code, message, Map.of());
  }

  /**
   * @param metadata the code's documented fields ({@code limit}, {@code plan}, … ), as {@code
   *     ErrorInfo.metadata} strings
   */
  static byte[] encode(
      OtlpFormat format, int httpStatus, String code, String message, Map<String, ?> metadata) {
    int grpcCode = grpcCode(httpStatus);
    if (format == OtlpFormat.JSON) {
      ObjectNode status = JSON.createObjectNode();
      status.put("code", grpcCode);
      status.put("message", message);
      ObjectNode errorInfo =
          status
              .putArray("details")
              .addObject()
              .put("@type", ERROR_INFO_TYPE)
              .put("reason", code)
              .put("domain", DOMAIN);
      if (!metadata.isEmpty()) {
        ObjectNode fields = errorInfo.putObject("metadata");
        metadata.forEach((name, value) -> fields.put(name, String.valueOf(value)));
      }
      return JSON.writeValueAsBytes(status);
    }
    byte[] errorInfo =
        message(
            out -> {
              write(out, 1, code);
              write(out, 2, DOMAIN);
              metadata.forEach(
                  (name, value) ->
                      writeBytes(
                          out,
                          3,
                          message(
                              entry -> {
                                write(entry, 1, name);
                                write(entry, 2, String.valueOf(value));
                              })));
            });
    byte[] any =
        message(
            out -> {
              write(out, 1, ERROR_INFO_TYPE);
              writeBytes(out, 2, errorInfo);
            });
    return message(
        out -> {
          try {
            out.writeInt32(1, grpcCode);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          write(out, 2, message);
          writeBytes(out, 3, any);
        });
  }

  /** The gRPC code that matches an HTTP status, as the OTLP/gRPC mapping would use. */
  static int grpcCode(int httpStatus) {
    return switch (httpStatus) {
      case 401 -> 16; // UNAUTHENTICATED
      case 403 -> 7; // PERMISSION_DENIED
      case 413, 429 -> 8; // RESOURCE_EXHAUSTED
      case 503 -> 14; // UNAVAILABLE
      default -> 3; // INVALID_ARGUMENT
    };
  }

  private static byte[] message(Consumer<CodedOutputStream> fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    fields.accept(out);
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void write(CodedOutputStream out, int field, String value) {
    try {
      out.writeString(field, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeBytes(CodedOutputStream out, int field, byte[] value) {
    try {
      out.writeByteArray(field, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

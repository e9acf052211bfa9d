package dev.beacon.ingest.otlp.domain;

/** The two OTLP/HTTP encodings; an answer uses the encoding of its request. */
public enum OtlpFormat {
  /** {@code application/x-protobuf}: the binary protobuf encoding. */
  PROTOBUF,
  /** {@code application/json}: OTLP's JSON mapping (camelCase names, hex ids). */
  JSON
}

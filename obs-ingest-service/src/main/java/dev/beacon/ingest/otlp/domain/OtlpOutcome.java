package dev.beacon.ingest.otlp.domain;

/**
 * What became of the spans of one export request.
 *
 * @param spans spans in the request
 * @param rejectedSpans spans of which at least one event was rejected; reported as OTLP {@code
 *     partial_success.rejected_spans}
 * @param errorMessage why, for people; {@code null} when nothing was rejected
 */
public record OtlpOutcome(int spans, int rejectedSpans, String errorMessage) {}

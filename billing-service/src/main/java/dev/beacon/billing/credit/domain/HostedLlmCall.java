package dev.beacon.billing.credit.domain;

import java.util.UUID;

/**
 * An {@code llm_call} event made with the platform's own provider keys, reduced to what its debit
 * needs.
 *
 * @param eventId the event's id: the debit's reference, so a redelivered event is debited once
 * @param workspaceId the workspace the server stamped on the event
 * @param provider the provider
 * @param model the model
 * @param inputTokens input tokens including cached ones
 * @param cachedInputTokens the cached part of the input
 * @param outputTokens output tokens including reasoning ones
 */
public record HostedLlmCall(
    UUID eventId,
    String workspaceId,
    String provider,
    String model,
    long inputTokens,
    long cachedInputTokens,
    long outputTokens) {

  /** The value of {@code metadata.billing} that marks an {@code llm_call} as hosted. */
  public static final String HOSTED_MARKER = "hosted";

  String reference() {
    return "llm_call:" + eventId;
  }
}

package dev.beacon.billing.subscription.store;

/** A row of {@code hosted_access}. */
public record HostedAccessRow(
    String workspaceId, boolean hostedLlmAllowed, long revision, long publishedRevision) {}

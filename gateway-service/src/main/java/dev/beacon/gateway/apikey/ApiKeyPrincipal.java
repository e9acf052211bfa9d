package dev.beacon.gateway.apikey;

/** A verified API key with the {@code read} scope: reads its workspace as a viewer. */
public record ApiKeyPrincipal(String keyId, String workspaceId) {}

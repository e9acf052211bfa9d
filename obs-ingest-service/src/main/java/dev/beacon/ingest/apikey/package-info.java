/**
 * Workspace-scoped API keys: their format, storage as SHA-256 hashes, management under {@code
 * /api/obs/keys}, verification for the gateway, and the recent rejections per key.
 */
package dev.beacon.ingest.apikey;

/** {@code GET /api/obs/usage}: the workspace's usage of this month against its plan. */
package dev.beacon.ingest.usage.web;

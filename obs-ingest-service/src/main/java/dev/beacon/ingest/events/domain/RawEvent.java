package dev.beacon.ingest.events.domain;

import tools.jackson.databind.JsonNode;

/**
 * One element of a batch as parsed.
 *
 * @param index position in the batch
 * @param node the JSON value
 * @param offset where it starts in the (decompressed) body
 * @param sizeBytes its size in the (decompressed) body
 */
record RawEvent(int index, JsonNode node, int offset, long sizeBytes) {}

/** R2DBC access to {@code obs_ingest.api_keys} and {@code obs_ingest.api_key_rejections}. */
package dev.beacon.ingest.apikey.store;

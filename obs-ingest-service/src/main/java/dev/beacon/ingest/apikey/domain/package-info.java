/**
 * What an API key is and what can be done with one: the {@code bcn_} format with its checksum,
 * creation, revocation, authentication behind a short-lived cache, and rejection history.
 */
package dev.beacon.ingest.apikey.domain;

/** R2DBC access to {@code monthly_usage}: the atomic reservation, its release and the read. */
package dev.beacon.ingest.usage.store;

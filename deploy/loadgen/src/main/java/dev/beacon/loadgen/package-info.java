/** Load and demo-data generators that drive Beacon through its public ingest API. */
package dev.beacon.loadgen;

/** Settings of the ingest service and the beans shared by its features (JSON, clock). */
package dev.beacon.ingest.config;

/**
 * The local stack behind {@code ./beacon up}: a real KRaft Kafka broker and a real PostgreSQL 17
 * (or external ones), then every Beacon service as its own process, watched until Ctrl-C.
 */
package dev.beacon.stack;

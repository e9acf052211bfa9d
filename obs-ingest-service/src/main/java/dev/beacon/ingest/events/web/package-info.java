/** The HTTP side of intake: API-key authentication, rate limits, bounded bodies, responses. */
package dev.beacon.ingest.events.web;

/**
 * The route table to the services, the forwarded identity, the per-service circuit breaker with its
 * JSON 503 and the per-session rate limit.
 */
package dev.beacon.gateway.routing;

/**
 * Delivery of notifications: the outbox (a row before a send, one row per attempt), the Slack
 * webhook client with retries, 429 handling and a per-webhook rate limit, e-mail, and the test
 * endpoint.
 */
package dev.beacon.alert.delivery;

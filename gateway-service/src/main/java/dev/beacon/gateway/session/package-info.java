/**
 * Browser sessions kept in the `identity.sessions` table, so they survive restarts and work across
 * gateway instances (ADR 0006).
 */
package dev.beacon.gateway.session;

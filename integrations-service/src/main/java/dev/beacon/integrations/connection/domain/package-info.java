/**
 * The authorization-code flow (state, PKCE), the providers' token endpoints, encrypted storage and
 * {@link dev.beacon.integrations.connection.domain.TokenService}, which tool executors ask for a
 * fresh access token.
 */
package dev.beacon.integrations.connection.domain;

/**
 * The authorization-code flow (state, PKCE), the providers' token endpoints, connecting with a
 * credential ({@link dev.beacon.integrations.connection.domain.CredentialService}), encrypted
 * storage and {@link dev.beacon.integrations.connection.domain.TokenService}, which tool executors
 * ask for a fresh access token or a credential connection's credentials.
 */
package dev.beacon.integrations.connection.domain;

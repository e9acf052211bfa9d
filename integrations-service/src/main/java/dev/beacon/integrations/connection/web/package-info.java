/**
 * {@code /api/integrations/providers}, {@code /connections} (listing, connecting with a credential,
 * disconnecting, targets) and the OAuth callback.
 */
package dev.beacon.integrations.connection.web;

/** {@code /api/integrations/providers}, {@code /connections} and the OAuth callback. */
package dev.beacon.integrations.connection.web;

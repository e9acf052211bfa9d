/**
 * The channels API ({@code /api/integrations/channels}) and the two public endpoints Telegram and
 * Discord call.
 */
package dev.beacon.integrations.channel.web;

/** Outbound HTTP to providers for their model lists. */
package dev.beacon.chat.provider.client;

/** SQL for {@code chat.provider_settings}. */
package dev.beacon.chat.provider.store;

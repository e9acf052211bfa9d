/** SQL for {@code chat.external_agents}. */
package dev.beacon.chat.external.store;

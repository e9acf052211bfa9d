/** SQL for {@code chat.agents}. */
package dev.beacon.chat.agent.store;

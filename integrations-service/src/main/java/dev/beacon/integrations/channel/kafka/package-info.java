/** The listener of chat-service's {@code chat.turn-stops.v1}: answers that come after a webhook. */
package dev.beacon.integrations.channel.kafka;

/** The publisher of the turn-stops outbox to {@code chat.turn-stops.v1}. */
package dev.beacon.chat.conversation.kafka;

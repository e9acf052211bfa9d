/**
 * Channels' rules and outside calls: storage with the bot token sealed, verification of Telegram's
 * secret token and Discord's signature, the relay to chat-service and the replies.
 */
package dev.beacon.integrations.channel.domain;

/**
 * Channels: a workspace's Telegram bot or Discord application whose messages are relayed to one
 * chat-service agent, with the agent's answer sent back (ADR 0025). Requests from Telegram and
 * Discord are verified here (secret token, Ed25519 signature); nothing else authenticates them.
 */
package dev.beacon.integrations.channel;

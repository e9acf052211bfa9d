/**
 * The conversations API under {@code /api/chat/conversations}; turns answer as Server-Sent Events.
 */
package dev.beacon.chat.conversation.web;

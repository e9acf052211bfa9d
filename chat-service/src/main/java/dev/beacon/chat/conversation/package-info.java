/**
 * Conversations with an agent and the tool loop of their turns: {@code web} (the API, the answer
 * streamed as Server-Sent Events), {@code domain} (the loop) and {@code store} (conversations and
 * messages in the {@code chat} schema).
 */
package dev.beacon.chat.conversation;

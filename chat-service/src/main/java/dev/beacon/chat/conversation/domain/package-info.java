/**
 * Conversations and the tool loop: a turn streams the model's answer, runs read tools at once, asks
 * for approval of write tools the agent's policy guards, and goes on until the model answers
 * without tools, a bound is reached, or it waits for a decision.
 */
package dev.beacon.chat.conversation.domain;

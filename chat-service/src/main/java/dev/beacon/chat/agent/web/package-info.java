/** HTTP endpoints under {@code /api/chat/agents}. */
package dev.beacon.chat.agent.web;

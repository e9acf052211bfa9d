/**
 * HTTP endpoints under {@code /api/chat/external-agents} and {@code /api/chat/agents/directory}.
 */
package dev.beacon.chat.external.web;

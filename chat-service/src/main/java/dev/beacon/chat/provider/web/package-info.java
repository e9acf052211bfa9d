/** HTTP endpoints under {@code /api/chat/providers}. */
package dev.beacon.chat.provider.web;

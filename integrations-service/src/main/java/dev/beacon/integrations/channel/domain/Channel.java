package dev.beacon.integrations.channel.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A channel without its secrets.
 *
 * @param agentId the chat-service agent its messages go to
 * @param createdBy the member who created it; the relay acts as this member
 * @param botTokenLast4 the bot token's last four characters, for the masked display, or {@code
 *     null} when there is none
 * @param applicationId Discord's application id, or {@code null}
 * @param publicKey Discord's Ed25519 public key (64 hex characters), or {@code null}
 */
public record Channel(
    UUID id,
    String workspaceId,
    ChannelKind kind,
    UUID agentId,
    String createdBy,
    Instant createdAt,
    String botTokenLast4,
    String applicationId,
    String publicKey) {}

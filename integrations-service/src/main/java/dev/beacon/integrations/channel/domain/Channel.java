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
 * @param activity what the channel relayed and replied lately
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
    String publicKey,
    Activity activity) {

  /**
   * The channel's recent traffic, for the Channels page.
   *
   * @param lastMessageAt when a message was last relayed to the agent, or {@code null}
   * @param lastReplyAt when Telegram or Discord last accepted a reply, or {@code null}
   * @param lastError why the last reply that failed was not sent, or {@code null}
   * @param lastErrorAt when it failed, or {@code null}
   */
  public record Activity(
      Instant lastMessageAt, Instant lastReplyAt, String lastError, Instant lastErrorAt) {

    public static final Activity NONE = new Activity(null, null, null, null);

    /**
     * {@code error} when the last reply failed (no reply went out after it), {@code ok} when one
     * was sent, {@code waiting} before the first message.
     */
    public String status() {
      if (lastErrorAt != null && (lastReplyAt == null || lastErrorAt.isAfter(lastReplyAt))) {
        return "error";
      }
      return lastReplyAt != null || lastMessageAt != null ? "ok" : "waiting";
    }
  }
}

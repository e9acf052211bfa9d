-- What the Channels page shows of a channel's traffic: when a message was last relayed to the
-- agent, when Telegram or Discord last took a reply, and the last reply that could not be sent.
ALTER TABLE integrations.channels
    ADD COLUMN last_message_at timestamptz,
    ADD COLUMN last_reply_at   timestamptz,
    ADD COLUMN last_error      text,
    ADD COLUMN last_error_at   timestamptz;

-- A relayed message's turn in chat-service (ADR 0028): where its answers go, and the latest of the
-- turn's stops told to the chat. The relay tells stop 1 from the turn's stream; chat's
-- chat.turn-stops.v1 brings the later ones (after an approval) and stop 1 when the relay did not
-- (it stopped waiting, or the service stopped). A stop is told only by whoever moves told_stop up
-- to it, so it is told once. Rows are deleted pending-turn-ttl after their last change.
CREATE TABLE integrations.channel_turns (
    run_id            uuid        PRIMARY KEY,
    channel_id        uuid        NOT NULL REFERENCES integrations.channels (id) ON DELETE CASCADE,
    conversation_id   uuid        NOT NULL,
    -- Telegram's chat id, or the Discord channel id (null for a Discord DM without one)
    reply_to          text,
    -- Discord's interaction token, sealed with the service's keyset; dropped after 15 minutes
    interaction_token bytea,
    interaction_at    timestamptz,
    trace_id          text,
    told_stop         integer     NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX channel_turns_updated ON integrations.channel_turns (updated_at);
CREATE INDEX channel_turns_interaction ON integrations.channel_turns (interaction_at)
    WHERE interaction_token IS NOT NULL;

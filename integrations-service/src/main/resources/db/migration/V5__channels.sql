-- Channels: a Telegram bot or a Discord application that relays a workspace's messages to one chat
-- agent. The bot token is a Tink AEAD ciphertext bound to (channel id, workspace, kind); Telegram's
-- webhook secret is kept as its SHA-256 only (Beacon compares, never sends it again).
CREATE TABLE integrations.channels (
    id                  uuid        PRIMARY KEY,
    workspace_id        text        NOT NULL,
    kind                text        NOT NULL CHECK (kind IN ('telegram', 'discord')),
    agent_id            uuid        NOT NULL,
    created_by          text        NOT NULL,
    created_at          timestamptz NOT NULL,
    bot_token           bytea,
    bot_token_last4     text,
    webhook_secret_hash text,
    application_id      text,
    public_key          text,
    CHECK (kind <> 'telegram' OR (bot_token IS NOT NULL AND webhook_secret_hash IS NOT NULL)),
    CHECK (kind <> 'discord' OR (application_id IS NOT NULL AND public_key IS NOT NULL))
);
CREATE INDEX channels_workspace ON integrations.channels (workspace_id, created_at);

-- One chat-service conversation per Telegram chat or Discord channel.
CREATE TABLE integrations.channel_conversations (
    channel_id      uuid        NOT NULL REFERENCES integrations.channels (id) ON DELETE CASCADE,
    chat_key        text        NOT NULL,
    conversation_id uuid        NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (channel_id, chat_key)
);

-- Deliveries already taken (Telegram's update_id, Discord's interaction id): a redelivery is
-- answered 200 and not relayed again. Rows older than a day are deleted as new ones come.
CREATE TABLE integrations.channel_deliveries (
    channel_id  uuid        NOT NULL REFERENCES integrations.channels (id) ON DELETE CASCADE,
    delivery_id text        NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (channel_id, delivery_id)
);
CREATE INDEX channel_deliveries_received ON integrations.channel_deliveries (received_at);

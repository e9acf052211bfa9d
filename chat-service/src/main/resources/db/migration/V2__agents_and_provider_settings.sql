-- Workspace agents. An agent's id is the agent_id of every event it causes, so rows are archived,
-- never deleted. A name is unique per workspace among agents that are not archived (case-insensitive).
CREATE TABLE agents (
    id            uuid          PRIMARY KEY,
    workspace_id  text          NOT NULL,
    name          text          NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    description   text          NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
    system_prompt text          NOT NULL DEFAULT '' CHECK (char_length(system_prompt) <= 50000),
    provider      text          NOT NULL,
    model         text          CHECK (char_length(model) <= 200),
    temperature   numeric(3, 2) CHECK (temperature BETWEEN 0 AND 2),
    max_tokens    integer       CHECK (max_tokens BETWEEN 1 AND 1000000),
    -- [{"name": "gmail.send", "requires_approval": true}, ...]
    tools         jsonb         NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(tools) = 'array'),
    archived_at   timestamptz,
    created_by    text          NOT NULL,
    created_at    timestamptz   NOT NULL,
    updated_at    timestamptz   NOT NULL
);

CREATE UNIQUE INDEX agents_workspace_name_uq ON agents (workspace_id, lower(name))
    WHERE archived_at IS NULL;

CREATE INDEX agents_workspace_idx ON agents (workspace_id, created_at DESC);

-- A workspace's settings of one LLM provider. The API key is stored only as Tink AEAD ciphertext
-- bound to (workspace_id, provider); its last four characters are kept for the masked display.
CREATE TABLE provider_settings (
    workspace_id       text        NOT NULL,
    provider           text        NOT NULL,
    api_key_ciphertext bytea,
    api_key_last4      text        CHECK (char_length(api_key_last4) = 4),
    base_url           text        CHECK (char_length(base_url) <= 2048),
    default_model      text        CHECK (char_length(default_model) <= 200),
    updated_by         text        NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, provider)
);

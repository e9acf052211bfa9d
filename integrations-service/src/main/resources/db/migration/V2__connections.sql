-- OAuth connections: one per authorization a member of a workspace granted; usable by the workspace.
-- Tokens are Tink AEAD ciphertexts bound to (connection id, workspace, provider, which token).
CREATE TABLE integrations.connections (
    id            uuid        PRIMARY KEY,
    workspace_id  text        NOT NULL,
    provider      text        NOT NULL,
    account       text,
    scopes        text        NOT NULL,
    connected_by  text        NOT NULL,
    connected_at  timestamptz NOT NULL,
    last_used_at  timestamptz,
    status        text        NOT NULL CHECK (status IN ('ok', 'needs_reauth', 'error')),
    access_token  bytea       NOT NULL,
    refresh_token bytea,
    expires_at    timestamptz
);
CREATE INDEX connections_workspace ON integrations.connections (workspace_id, connected_at);

-- Authorizations under way: the state (stored as its SHA-256) is single use and expires.
CREATE TABLE integrations.oauth_states (
    state_hash    text        PRIMARY KEY,
    workspace_id  text        NOT NULL,
    user_id       text        NOT NULL,
    provider      text        NOT NULL,
    code_verifier text        NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX oauth_states_created ON integrations.oauth_states (created_at);

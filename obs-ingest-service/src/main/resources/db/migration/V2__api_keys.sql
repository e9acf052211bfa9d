-- Workspace-scoped API keys. Only the SHA-256 of the secret is stored; the secret itself is shown
-- once, when the key is created.
CREATE TABLE api_keys (
    id                    uuid        PRIMARY KEY,
    workspace_id          text        NOT NULL,
    name                  text        NOT NULL,
    display_prefix        text        NOT NULL,
    secret_sha256         bytea       NOT NULL UNIQUE,
    scopes                text[]      NOT NULL,
    rate_limit_per_second integer     CHECK (rate_limit_per_second > 0),
    created_by            text,
    created_at            timestamptz NOT NULL DEFAULT now(),
    expires_at            timestamptz,
    last_used_at          timestamptz,
    revoked_at            timestamptz
);

CREATE INDEX api_keys_workspace_idx ON api_keys (workspace_id, created_at DESC);

-- The last rejected events (or requests) per key with their reasons, so that a workspace sees
-- what was dropped. Bounded per key by the service (beacon.ingest.rejections.kept-per-key).
CREATE TABLE api_key_rejections (
    id          bigserial   PRIMARY KEY,
    key_id      uuid        NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    rejected_at timestamptz NOT NULL,
    event_index integer,
    event_id    text,
    code        text        NOT NULL,
    message     text        NOT NULL
);

CREATE INDEX api_key_rejections_key_idx ON api_key_rejections (key_id, id DESC);

-- People, the workspaces they act in and their role there. Emails are stored trimmed and
-- lower-cased; a user exists from the first login or from an invitation, whichever comes first.
CREATE TABLE identity.users (
    id                     uuid        PRIMARY KEY,
    email                  text        NOT NULL UNIQUE,
    personal_workspace_id  uuid,
    created_at             timestamptz NOT NULL DEFAULT now(),
    last_login_at          timestamptz
);

CREATE TABLE identity.workspaces (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE identity.users
    ADD CONSTRAINT users_personal_workspace_fk
    FOREIGN KEY (personal_workspace_id) REFERENCES identity.workspaces (id) ON DELETE SET NULL
    DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE identity.memberships (
    workspace_id  uuid        NOT NULL REFERENCES identity.workspaces (id) ON DELETE CASCADE,
    user_id       uuid        NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
    role          text        NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, user_id)
);

CREATE INDEX memberships_user_idx ON identity.memberships (user_id);

-- Magic-link tokens: only the SHA-256 of a token is stored; a token is consumed by deleting its
-- row, so it works exactly once, on any gateway instance.
CREATE TABLE identity.login_tokens (
    token_hash  text        PRIMARY KEY,
    email       text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

CREATE INDEX login_tokens_expires_idx ON identity.login_tokens (expires_at);

-- Browser sessions: the cookie holds a random id, the table only its SHA-256.
CREATE TABLE identity.sessions (
    id_hash       text        PRIMARY KEY,
    user_id       uuid        NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
    workspace_id  uuid        REFERENCES identity.workspaces (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);

CREATE INDEX sessions_user_idx ON identity.sessions (user_id);
CREATE INDEX sessions_expires_idx ON identity.sessions (expires_at);

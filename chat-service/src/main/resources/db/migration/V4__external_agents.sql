-- Agents that run outside Beacon and send their own events through obs-ingest. Registering one
-- gives the agent_id of its events a name. Rows are archived, never deleted: old events keep
-- their name. A name is unique per workspace among external agents that are not archived
-- (case-insensitive); an agent_id is unique per workspace, archived or not, because it is the id
-- events are attributed by.
CREATE TABLE external_agents (
    id           uuid        PRIMARY KEY,
    workspace_id text        NOT NULL,
    name         text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    agent_id     text        NOT NULL CHECK (agent_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
    description  text        NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
    -- the obs-ingest API key (its id, as the API keys page shows it) the agent sends with, if known
    api_key_id   uuid,
    archived_at  timestamptz,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);

CREATE UNIQUE INDEX external_agents_workspace_name_uq ON external_agents (workspace_id, lower(name))
    WHERE archived_at IS NULL;

CREATE UNIQUE INDEX external_agents_workspace_agent_id_uq ON external_agents (workspace_id, agent_id);

CREATE INDEX external_agents_workspace_idx ON external_agents (workspace_id, created_at);

-- A key may speak for one agent: events sent with it that name no agent_id are stamped with this
-- one, events naming another are rejected (agent_id_mismatch). NULL: the key speaks for any agent.
-- The bounds are those of the event contract's ids ($defs/id: 1 to 128 characters).
ALTER TABLE api_keys
    ADD COLUMN agent_id text CHECK (char_length(agent_id) BETWEEN 1 AND 128);

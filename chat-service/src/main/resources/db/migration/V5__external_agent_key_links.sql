-- An external agent's API key is bound to its agent_id in obs-ingest, and a key speaks for one
-- agent: among the workspace's external agents that are not archived, a key is linked to at most
-- one. Registrations made before this rule that share a key keep it on the oldest only.
UPDATE external_agents e
SET api_key_id = NULL
WHERE e.archived_at IS NULL
  AND e.api_key_id IS NOT NULL
  AND EXISTS (
      SELECT 1 FROM external_agents o
      WHERE o.workspace_id = e.workspace_id
        AND o.api_key_id = e.api_key_id
        AND o.archived_at IS NULL
        AND (o.created_at, o.id) < (e.created_at, e.id));

CREATE UNIQUE INDEX external_agents_workspace_api_key_uq ON external_agents (workspace_id, api_key_id)
    WHERE archived_at IS NULL AND api_key_id IS NOT NULL;

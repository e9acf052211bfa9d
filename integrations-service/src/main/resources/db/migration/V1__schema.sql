-- integrations-service owns the schema "integrations": OAuth connections (tokens encrypted), tool registry.
-- Flyway creates the schema; each feature adds its tables in a migration of its own.
COMMENT ON SCHEMA integrations IS 'integrations-service: OAuth connections (tokens encrypted), tool registry';

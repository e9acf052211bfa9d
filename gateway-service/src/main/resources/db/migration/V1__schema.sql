-- gateway-service owns the schema "identity": users, workspaces, memberships, login tokens, sessions.
-- Flyway creates the schema; each feature adds its tables in a migration of its own.
COMMENT ON SCHEMA identity IS 'gateway-service: users, workspaces, memberships, login tokens, sessions';

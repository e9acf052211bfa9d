-- chat-service owns the schema "chat": agents, conversations, messages, model configs, agent actions.
-- Flyway creates the schema; each feature adds its tables in a migration of its own.
COMMENT ON SCHEMA chat IS 'chat-service: agents, conversations, messages, model configs, agent actions';

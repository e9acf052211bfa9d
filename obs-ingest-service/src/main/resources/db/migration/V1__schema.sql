-- obs-ingest-service owns the schema "obs_ingest": API keys (hashed).
-- Flyway creates the schema; each feature adds its tables in a migration of its own.
COMMENT ON SCHEMA obs_ingest IS 'obs-ingest-service: API keys (hashed)';

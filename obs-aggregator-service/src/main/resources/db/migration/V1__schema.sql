-- obs-aggregator-service owns the schema "obs": event log, runs, pricing, minute and daily metrics.
-- Flyway creates the schema; each feature adds its tables in a migration of its own.
COMMENT ON SCHEMA obs IS 'obs-aggregator-service: event log, runs, pricing, minute and daily metrics';

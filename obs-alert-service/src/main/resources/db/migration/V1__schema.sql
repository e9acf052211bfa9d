-- obs-alert-service owns the schema "obs_alert": rules, rule state, alert events, notifications.
-- Flyway creates the schema; each feature adds its tables in a migration of its own.
COMMENT ON SCHEMA obs_alert IS 'obs-alert-service: rules, rule state, alert events, notifications';

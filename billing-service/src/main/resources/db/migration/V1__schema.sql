-- billing-service owns the schema "billing": plans, subscriptions, credit ledger, Stripe event log.
-- Flyway creates the schema; each feature adds its tables in a migration of its own.
COMMENT ON SCHEMA billing IS 'billing-service: plans, subscriptions, credit ledger, Stripe event log';

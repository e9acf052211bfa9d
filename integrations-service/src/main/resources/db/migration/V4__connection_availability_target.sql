-- The availability a workspace expects of a connection's provider (a percentage, 0 < t <= 100, at
-- most three decimals: 99.5, 99.95, 99.999), which the Integrations page judges the provider's
-- service_call availability against. NULL: no target.
ALTER TABLE integrations.connections
    ADD COLUMN availability_target numeric(6, 3)
        CHECK (availability_target > 0 AND availability_target <= 100);

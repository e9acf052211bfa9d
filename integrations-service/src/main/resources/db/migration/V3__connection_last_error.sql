-- The last error a tool met calling the connection's provider (refused token, rate limit, timeout,
-- provider error), for the Integrations page; a later success does not clear it.
ALTER TABLE integrations.connections
    ADD COLUMN last_error_code    text,
    ADD COLUMN last_error_message text,
    ADD COLUMN last_error_at      timestamptz;

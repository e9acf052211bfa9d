-- Billing notices in the in-app list (ADR 0026): billing-service's notices on billing.notices.v1
-- become notifications of their workspace, once each by the notice's id.
ALTER TABLE obs_alert.notifications
    ADD COLUMN source    text NOT NULL DEFAULT 'alert' CHECK (source IN ('alert', 'billing')),
    -- the billing notice's kind (payment_failed, grace_ending, downgraded_to_free, credits_low,
    -- credits_exhausted); NULL for alert notifications
    ADD COLUMN kind      text,
    -- the billing notice's id; a redelivered notice inserts nothing
    ADD COLUMN notice_id text UNIQUE;

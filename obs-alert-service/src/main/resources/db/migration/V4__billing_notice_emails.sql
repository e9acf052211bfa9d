-- A billing notice addressed to the workspace's billing contact (ADR 0026) is e-mailed through the
-- same outbox as rule deliveries: such a row has no rule and no channel; it names the notification
-- it sends and the address (never logged).
ALTER TABLE obs_alert.deliveries
    ALTER COLUMN rule_id DROP NOT NULL,
    ALTER COLUMN channel_id DROP NOT NULL,
    ADD COLUMN notification_id uuid REFERENCES obs_alert.notifications (id) ON DELETE CASCADE,
    ADD COLUMN target text,
    ADD CONSTRAINT deliveries_subject CHECK (
        (rule_id IS NOT NULL AND channel_id IS NOT NULL)
        OR (rule_id IS NULL AND channel_id IS NULL AND notification_id IS NOT NULL
            AND target IS NOT NULL AND channel_type = 'email'));

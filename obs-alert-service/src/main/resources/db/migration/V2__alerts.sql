-- Alert rules, their channels and per-group state; transitions (alert events); the delivery outbox
-- with one row per attempt; in-app notifications.

CREATE TABLE obs_alert.rules (
    id            uuid        PRIMARY KEY,
    workspace_id  text        NOT NULL,
    name          text        NOT NULL,
    -- metric, filters, group_by, window, comparator, thresholds, min_sample, no_data, renotify, cooldown
    definition    jsonb       NOT NULL,
    enabled       boolean     NOT NULL,
    snoozed_until timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX rules_workspace ON obs_alert.rules (workspace_id, created_at);

-- One row per channel of a rule; target is the webhook URL or e-mail address (never logged).
CREATE TABLE obs_alert.channels (
    id                   uuid    PRIMARY KEY,
    rule_id              uuid    NOT NULL REFERENCES obs_alert.rules (id) ON DELETE CASCADE,
    position             int     NOT NULL,
    type                 text    NOT NULL CHECK (type IN ('slack', 'in_app', 'email')),
    target               text,
    status               text    NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'broken', 'disabled')),
    last_error           text,
    consecutive_failures int     NOT NULL DEFAULT 0
);
CREATE INDEX channels_rule ON obs_alert.channels (rule_id, position);

-- The state of each (rule, group), written before any notification about it.
CREATE TABLE obs_alert.rule_states (
    rule_id          uuid        NOT NULL REFERENCES obs_alert.rules (id) ON DELETE CASCADE,
    group_key        text        NOT NULL,
    state            text        NOT NULL CHECK (state IN ('ok', 'warning', 'critical', 'no_data', 'snoozed')),
    value            numeric,
    since            timestamptz NOT NULL,
    last_notified_at timestamptz,
    resolved_at      timestamptz,
    PRIMARY KEY (rule_id, group_key)
);

-- History: each transition (and each renotification) of a (rule, group).
CREATE TABLE obs_alert.alert_events (
    seq          bigserial   UNIQUE,
    id           uuid        PRIMARY KEY,
    workspace_id text        NOT NULL,
    rule_id      uuid        NOT NULL REFERENCES obs_alert.rules (id) ON DELETE CASCADE,
    rule_name    text        NOT NULL,
    group_key    text        NOT NULL,
    from_state   text        NOT NULL,
    to_state     text        NOT NULL,
    value        numeric,
    threshold    numeric,
    window_name  text        NOT NULL,
    occurred_at  timestamptz NOT NULL
);
CREATE INDEX alert_events_workspace ON obs_alert.alert_events (workspace_id, seq DESC);
CREATE INDEX alert_events_rule ON obs_alert.alert_events (rule_id, seq DESC);

-- The outbox: a notification is a row here before it is a send; pending rows survive restarts.
CREATE TABLE obs_alert.deliveries (
    id              uuid        PRIMARY KEY,
    workspace_id    text        NOT NULL,
    event_id        uuid        REFERENCES obs_alert.alert_events (id) ON DELETE CASCADE,
    rule_id         uuid        NOT NULL REFERENCES obs_alert.rules (id) ON DELETE CASCADE,
    channel_id      uuid        NOT NULL REFERENCES obs_alert.channels (id) ON DELETE CASCADE,
    channel_type    text        NOT NULL,
    message         jsonb       NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'retrying', 'delivered', 'failed')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    error           text,
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz
);
CREATE INDEX deliveries_due ON obs_alert.deliveries (next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX deliveries_event ON obs_alert.deliveries (event_id);

-- One row per attempt to send a delivery.
CREATE TABLE obs_alert.delivery_attempts (
    id           bigserial   PRIMARY KEY,
    delivery_id  uuid        NOT NULL REFERENCES obs_alert.deliveries (id) ON DELETE CASCADE,
    attempt      int         NOT NULL,
    status       text        NOT NULL CHECK (status IN ('delivered', 'failed', 'retrying')),
    status_code  int,
    latency_ms   bigint      NOT NULL,
    error        text,
    at           timestamptz NOT NULL
);
CREATE INDEX delivery_attempts_delivery ON obs_alert.delivery_attempts (delivery_id, attempt);

-- In-app notifications, per workspace.
CREATE TABLE obs_alert.notifications (
    id           uuid        PRIMARY KEY,
    workspace_id text        NOT NULL,
    rule_id      uuid        REFERENCES obs_alert.rules (id) ON DELETE SET NULL,
    severity     text        NOT NULL CHECK (severity IN ('warning', 'critical', 'resolved', 'test')),
    title        text        NOT NULL,
    body         text        NOT NULL,
    link         text,
    created_at   timestamptz NOT NULL,
    read_at      timestamptz
);
CREATE INDEX notifications_workspace ON obs_alert.notifications (workspace_id, created_at DESC);

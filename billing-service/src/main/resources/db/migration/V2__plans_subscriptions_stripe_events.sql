-- Plans with their entitlements, one subscription row per paying workspace, and the log of every
-- verified Stripe event. A workspace without a subscriptions row is on the Free plan.

CREATE TABLE plans (
  id                      text    PRIMARY KEY,
  name                    text    NOT NULL,
  position                integer NOT NULL UNIQUE,
  -- NULL: not sold through Checkout ("contact us")
  price_cents_monthly     bigint  CHECK (price_cents_monthly >= 0),
  retention_days          integer NOT NULL CHECK (retention_days > 0),
  events_per_month        bigint  NOT NULL CHECK (events_per_month > 0),
  alert_rules             integer NOT NULL CHECK (alert_rules >= 0),
  members                 integer NOT NULL CHECK (members > 0),
  api_keys                integer NOT NULL CHECK (api_keys >= 0),
  -- credits per month; one credit is one micro-USD of hosted LLM usage
  hosted_credit_allowance bigint  NOT NULL CHECK (hosted_credit_allowance >= 0)
);

INSERT INTO plans (id, name, position, price_cents_monthly, retention_days, events_per_month,
                   alert_rules, members, api_keys, hosted_credit_allowance) VALUES
  ('free',       'Free',       0, 0,     7,   100000,    3,    3,    2,    1000000),
  ('pro',        'Pro',        1, 1500,  30,  1000000,   20,   10,   10,   5000000),
  ('business',   'Business',   2, 9900,  90,  10000000,  100,  50,   50,   50000000),
  ('enterprise', 'Enterprise', 3, NULL,  365, 100000000, 1000, 1000, 1000, 500000000);

CREATE TABLE subscriptions (
  workspace_id           text        PRIMARY KEY,
  plan_id                text        NOT NULL REFERENCES plans (id),
  status                 text        NOT NULL CHECK (status IN ('active', 'past_due', 'canceled')),
  stripe_customer_id     text,
  stripe_subscription_id text,
  current_period_end     timestamptz,
  grace_until            timestamptz,
  -- the "created" time of the Stripe event whose change was applied last (the convergence rule)
  stripe_changed_at      timestamptz NOT NULL,
  -- raised by every change; the entitlements record carries it, published_revision says which
  -- revision Kafka acknowledged last
  revision               bigint      NOT NULL,
  published_revision     bigint      NOT NULL DEFAULT 0,
  updated_at             timestamptz NOT NULL
);

CREATE INDEX subscriptions_stripe_subscription_idx ON subscriptions (stripe_subscription_id);
CREATE INDEX subscriptions_stripe_customer_idx ON subscriptions (stripe_customer_id);
CREATE INDEX subscriptions_grace_idx ON subscriptions (grace_until) WHERE status = 'past_due';

CREATE TABLE stripe_events (
  id             text        PRIMARY KEY,
  type           text        NOT NULL,
  stripe_created timestamptz NOT NULL,
  received_at    timestamptz NOT NULL,
  -- applied | stale | ignored | unmatched
  outcome        text        NOT NULL,
  workspace_id   text
);

-- Billing notices (ADR 0026): what a workspace is told about its billing (payment failed, grace
-- ending, downgraded, credits low or exhausted). A notice is written in the transaction of the
-- change that caused it and published to billing.notices.v1 after the commit; published_at stays
-- NULL until Kafka acknowledged it, and the sweep publishes what is still NULL (an outbox).

CREATE TABLE notices (
  -- deterministic from what caused it, so a redelivery or a retried transaction inserts nothing
  notice_id    text        PRIMARY KEY,
  workspace_id text        NOT NULL,
  kind         text        NOT NULL CHECK (kind IN ('payment_failed', 'grace_ending',
                             'downgraded_to_free', 'credits_low', 'credits_exhausted')),
  occurred_at  timestamptz NOT NULL,
  -- the record's JSON value exactly as it is published
  payload      text        NOT NULL,
  published_at timestamptz
);

CREATE INDEX notices_unpublished ON notices (workspace_id, occurred_at) WHERE published_at IS NULL;

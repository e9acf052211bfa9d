-- The credit ledger (ADR 0023): append-only, double-entry, exact integers. One credit is one
-- micro-USD of hosted LLM usage. A workspace's balance is the sum of its accounts' entries; no
-- table holds a balance that could be changed.

CREATE TABLE ledger_accounts (
  -- workspace:<id>:allowance, workspace:<id>:purchased, system:allowance, system:purchases,
  -- system:usage, system:refunds
  id           text        PRIMARY KEY,
  -- NULL for the system accounts
  workspace_id text,
  kind         text        NOT NULL CHECK (kind IN ('allowance', 'purchased', 'system')),
  created_at   timestamptz NOT NULL DEFAULT now()
);

INSERT INTO ledger_accounts (id, kind) VALUES
  ('system:allowance', 'system'),
  ('system:purchases', 'system'),
  ('system:usage',     'system'),
  ('system:refunds',   'system');

CREATE TABLE ledger_transactions (
  id                      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id            text        NOT NULL,
  kind                    text        NOT NULL CHECK (kind IN ('grant_allowance', 'expiry',
                                        'grant_purchase', 'debit_usage', 'reversal')),
  -- what caused it, once: llm_call:<event id>, checkout:<session id>, stripe:<event id>,
  -- allowance:<workspace>:<yyyy-mm>, allowance-expiry:<workspace>:<yyyy-mm>
  reference               text        NOT NULL UNIQUE,
  -- for a reversal: the purchase it reverses part of
  reverses_transaction_id bigint      REFERENCES ledger_transactions (id),
  description             text        NOT NULL,
  created_at              timestamptz NOT NULL
);

CREATE INDEX ledger_transactions_workspace_idx ON ledger_transactions (workspace_id, id DESC);
CREATE INDEX ledger_transactions_reverses_idx ON ledger_transactions (reverses_transaction_id)
  WHERE reverses_transaction_id IS NOT NULL;

CREATE TABLE ledger_entries (
  transaction_id bigint NOT NULL REFERENCES ledger_transactions (id),
  account_id     text   NOT NULL REFERENCES ledger_accounts (id),
  -- signed credits; a workspace account's positive amounts are credits it may spend
  amount         bigint NOT NULL CHECK (amount <> 0),
  PRIMARY KEY (transaction_id, account_id)
);

-- the balance of an account is an index-only sum
CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id) INCLUDE (amount);

-- Double entry: at commit, every transaction's entries sum to zero.
CREATE FUNCTION ledger_transaction_sums_to_zero() RETURNS trigger
  LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF (SELECT sum(amount) FROM ledger_entries WHERE transaction_id = NEW.transaction_id) <> 0 THEN
    RAISE EXCEPTION 'ledger transaction % does not sum to zero', NEW.transaction_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_entries_sum_to_zero
  AFTER INSERT ON ledger_entries DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_transaction_sums_to_zero();

-- Append-only: a correction is a new transaction, never a change to an old one.
CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the credit ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_transactions_no_truncate BEFORE TRUNCATE ON ledger_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();

-- billing's resale price of hosted usage, in credits per million tokens. ('*', '*') is the rate of
-- any model without a row of its own; (provider, '*') of any other model of that provider.
CREATE TABLE hosted_rates (
  provider                         text   NOT NULL,
  model                            text   NOT NULL,
  input_credits_per_million        bigint NOT NULL CHECK (input_credits_per_million >= 0),
  cached_input_credits_per_million bigint NOT NULL CHECK (cached_input_credits_per_million >= 0),
  output_credits_per_million       bigint NOT NULL CHECK (output_credits_per_million >= 0),
  PRIMARY KEY (provider, model)
);

INSERT INTO hosted_rates (provider, model, input_credits_per_million,
                          cached_input_credits_per_million, output_credits_per_million) VALUES
  ('*',         '*',                 3600000, 360000,  18000000),
  ('openai',    'gpt-4o',            3000000, 1500000, 12000000),
  ('openai',    'gpt-4o-mini',       180000,  90000,   720000),
  ('openai',    'gpt-4.1',           2400000, 600000,  9600000),
  ('openai',    'gpt-4.1-mini',      480000,  120000,  1920000),
  ('anthropic', 'claude-sonnet-4-5', 3600000, 360000,  18000000),
  ('anthropic', 'claude-haiku-4-5',  1200000, 120000,  6000000),
  ('google',    'gemini-2.5-flash',  360000,  90000,   3000000),
  ('google',    'gemini-2.5-pro',    1500000, 375000,  12000000);

-- Credit packs sold through Checkout (mode=payment); the Stripe price of each comes from the
-- environment.
CREATE TABLE credit_packs (
  id          text    PRIMARY KEY,
  name        text    NOT NULL,
  position    integer NOT NULL UNIQUE,
  price_cents bigint  NOT NULL CHECK (price_cents > 0),
  credits     bigint  NOT NULL CHECK (credits > 0)
);

INSERT INTO credit_packs (id, name, position, price_cents, credits) VALUES
  ('credits_10', '$10 of hosted usage', 0, 1000, 10000000),
  ('credits_50', '$50 of hosted usage', 1, 5000, 50000000);

-- The purchase behind each grant_purchase, so a refund of its payment finds what to reverse.
CREATE TABLE credit_purchases (
  stripe_session_id        text        PRIMARY KEY,
  stripe_payment_intent_id text        UNIQUE,
  workspace_id             text        NOT NULL,
  pack_id                  text        NOT NULL REFERENCES credit_packs (id),
  credits                  bigint      NOT NULL CHECK (credits > 0),
  amount_cents             bigint      NOT NULL CHECK (amount_cents >= 0),
  grant_transaction_id     bigint      NOT NULL REFERENCES ledger_transactions (id),
  created_at               timestamptz NOT NULL
);

-- Whether a workspace may use hosted LLM calls, only for workspaces whose answer has ever been "no"
-- (no row: allowed). Its revision adds to the subscription's in the entitlements record.
CREATE TABLE hosted_access (
  workspace_id       text        PRIMARY KEY,
  hosted_llm_allowed boolean     NOT NULL,
  revision           bigint      NOT NULL,
  published_revision bigint      NOT NULL DEFAULT 0,
  updated_at         timestamptz NOT NULL
);

CREATE INDEX hosted_access_blocked_idx ON hosted_access (workspace_id) WHERE NOT hosted_llm_allowed;

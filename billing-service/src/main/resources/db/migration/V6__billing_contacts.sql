-- The address billing notices are e-mailed to (ADR 0026): set by the workspace's owners and admins
-- on the Billing page, or taken from the e-mail a Checkout collected when the workspace has set
-- none. Without a row, notices are in-app only.
CREATE TABLE contacts (
  workspace_id text        PRIMARY KEY,
  email        text        NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
  -- workspace: set on the Billing page (a Checkout never replaces it); stripe: from a Checkout
  source       text        NOT NULL CHECK (source IN ('workspace', 'stripe')),
  updated_at   timestamptz NOT NULL
);

-- A credit pack paid with a delayed method whose payment then failed is told too.
ALTER TABLE notices DROP CONSTRAINT notices_kind_check;
ALTER TABLE notices ADD CONSTRAINT notices_kind_check CHECK (kind IN ('payment_failed',
  'grace_ending', 'downgraded_to_free', 'credits_low', 'credits_exhausted',
  'credit_payment_failed'));

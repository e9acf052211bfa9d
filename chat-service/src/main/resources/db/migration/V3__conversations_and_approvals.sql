-- A conversation between workspace members and one agent. state says whether a turn runs now
-- (running), waits for a decision on an approval (awaiting_approval) or nothing runs (idle); the
-- conditional update from idle to running is what keeps one turn per conversation.
CREATE TABLE conversations (
    id           uuid        PRIMARY KEY,
    workspace_id text        NOT NULL,
    agent_id     uuid        NOT NULL REFERENCES agents (id),
    title        text        NOT NULL CHECK (char_length(title) <= 200),
    state        text        NOT NULL CHECK (state IN ('idle', 'running', 'awaiting_approval')),
    -- the current or last turn: its run, W3C trace and root span, and how much of the turn's
    -- budget (model calls, tool calls) it has used, so a turn resumed after an approval goes on
    -- as the same run
    last_run_id      uuid,
    run_trace_id     text,
    run_span_id      text,
    run_started_at   timestamptz,
    run_model_calls  integer     NOT NULL DEFAULT 0,
    run_tool_calls   integer     NOT NULL DEFAULT 0,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);

CREATE INDEX conversations_workspace_idx ON conversations (workspace_id, updated_at DESC, id DESC);

-- The messages of a conversation in order (seq). An assistant message carries the tool calls the
-- model asked for and the usage exactly as the provider reported it; a tool message carries one
-- tool's result for one of those calls.
CREATE TABLE messages (
    id                  uuid        PRIMARY KEY,
    conversation_id     uuid        NOT NULL REFERENCES conversations (id),
    seq                 integer     NOT NULL,
    role                text        NOT NULL CHECK (role IN ('user', 'assistant', 'tool')),
    content             text        NOT NULL,
    run_id              uuid        NOT NULL,
    -- assistant: [{"id": "call_1", "name": "demo_send_email", "arguments": {...}}]
    tool_calls          jsonb       NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(tool_calls) = 'array'),
    tool_call_id        text,
    tool_name           text,
    status              text        CHECK (status IN ('ok', 'error', 'rejected', 'expired')),
    provider            text,
    model               text,
    input_tokens        bigint,
    output_tokens       bigint,
    cached_input_tokens bigint,
    reasoning_tokens    bigint,
    error_code          text,
    error_message       text,
    created_at          timestamptz NOT NULL,
    UNIQUE (conversation_id, seq)
);

-- The approval queue: a write tool call that waits for a person. Its id is the action_id of the
-- action events it causes; decided_* say who moved it out of pending and when.
CREATE TABLE approvals (
    id              uuid        PRIMARY KEY,
    workspace_id    text        NOT NULL,
    conversation_id uuid        NOT NULL REFERENCES conversations (id),
    agent_id        uuid        NOT NULL,
    run_id          uuid        NOT NULL,
    -- the run's W3C trace and root span, which the approval's action events join
    run_trace_id    text        NOT NULL,
    run_span_id     text        NOT NULL,
    tool_call_id    text        NOT NULL,
    tool            text        NOT NULL,
    arguments       jsonb       NOT NULL,
    state           text        NOT NULL
        CHECK (state IN ('pending', 'approved', 'rejected', 'expired', 'executed', 'failed')),
    requested_at    timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    decided_by      text,
    decided_at      timestamptz,
    reason          text        CHECK (char_length(reason) <= 1000),
    result          text,
    UNIQUE (conversation_id, run_id, tool_call_id)
);

CREATE INDEX approvals_workspace_idx ON approvals (workspace_id, requested_at DESC);
CREATE INDEX approvals_pending_expiry_idx ON approvals (expires_at) WHERE state = 'pending';

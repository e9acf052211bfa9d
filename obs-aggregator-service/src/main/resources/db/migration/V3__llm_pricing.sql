-- Versioned LLM prices. A row applies to events of its provider whose model matches model_match
-- (exact, case-insensitive, or a full-match Java regex) and whose occurred_at >= effective_from.
-- Built-in rows have workspace_id NULL; a workspace's own rows override them for that workspace.
-- Prices are USD per 1,000,000 tokens, exact NUMERIC. NULL cached price = input price; NULL
-- reasoning price = output price.
CREATE TABLE obs.llm_pricing (
    id                      bigserial PRIMARY KEY,
    workspace_id            text,
    provider                text          NOT NULL,
    model_match             text          NOT NULL,
    match_kind              text          NOT NULL,
    effective_from          timestamptz   NOT NULL,
    input_per_mtok          numeric(20, 9) NOT NULL CHECK (input_per_mtok >= 0),
    output_per_mtok         numeric(20, 9) NOT NULL CHECK (output_per_mtok >= 0),
    cached_input_per_mtok   numeric(20, 9) CHECK (cached_input_per_mtok >= 0),
    reasoning_per_mtok      numeric(20, 9) CHECK (reasoning_per_mtok >= 0),
    currency                text          NOT NULL DEFAULT 'USD' CHECK (currency = 'USD'),
    source                  text          NOT NULL,
    created_at              timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT llm_pricing_match_kind_chk CHECK (match_kind IN ('exact', 'regex'))
);
CREATE INDEX llm_pricing_lookup_idx ON obs.llm_pricing (provider, workspace_id);

-- Built-in list prices (standard tier, text tokens, no batch discount), list of 2025-11-01.
-- effective_from 2024-01-01 makes them apply to all history until a dated correction is added.
INSERT INTO obs.llm_pricing (provider, model_match, match_kind, effective_from, input_per_mtok, output_per_mtok, cached_input_per_mtok, reasoning_per_mtok, source)
VALUES
    -- OpenAI
    ('openai', 'gpt-5',                  'exact', '2024-01-01T00:00:00Z', 1.25,  10.00,  0.125, NULL, 'openai.com/api/pricing list of 2025-11-01'),
    ('openai', 'gpt-5-mini',             'exact', '2024-01-01T00:00:00Z', 0.25,   2.00,  0.025, NULL, 'openai.com/api/pricing list of 2025-11-01'),
    ('openai', 'gpt-5-nano',             'exact', '2024-01-01T00:00:00Z', 0.05,   0.40,  0.005, NULL, 'openai.com/api/pricing list of 2025-11-01'),
    ('openai', 'gpt-4.1',                'exact', '2024-01-01T00:00:00Z', 2.00,   8.00,  0.50,  NULL, 'openai.com/api/pricing list of 2025-11-01'),
    ('openai', 'gpt-4.1-mini',           'exact', '2024-01-01T00:00:00Z', 0.40,   1.60,  0.10,  NULL, 'openai.com/api/pricing list of 2025-11-01'),
    ('openai', 'gpt-4.1-nano',           'exact', '2024-01-01T00:00:00Z', 0.10,   0.40,  0.025, NULL, 'openai.com/api/pricing list of 2025-11-01'),
    ('openai', 'gpt-4o',                 'exact', '2024-01-01T00:00:00Z', 2.50,  10.00,  1.25,  NULL, 'openai.com/api/pricing list of 2025-11-01'),
    ('openai', 'gpt-4o-\d{4}-\d{2}-\d{2}', 'regex', '2024-01-01T00:00:00Z', 2.50, 10.00, 1.25, NULL, 'openai.com/api/pricing list of 2025-11-01 (dated gpt-4o snapshots)'),
    ('openai', 'gpt-4o-mini(-\d{4}-\d{2}-\d{2})?', 'regex', '2024-01-01T00:00:00Z', 0.15, 0.60, 0.075, NULL, 'openai.com/api/pricing list of 2025-11-01'),
    ('openai', 'o3',                     'exact', '2024-01-01T00:00:00Z', 2.00,   8.00,  0.50,  NULL, 'openai.com/api/pricing list of 2025-11-01'),
    ('openai', 'o4-mini',                'exact', '2024-01-01T00:00:00Z', 1.10,   4.40,  0.275, NULL, 'openai.com/api/pricing list of 2025-11-01'),
    ('openai', 'o1',                     'exact', '2024-01-01T00:00:00Z', 15.00, 60.00,  7.50,  NULL, 'openai.com/api/pricing list of 2025-11-01'),
    -- Anthropic (cached = cache read price)
    ('anthropic', 'claude-opus-4-5.*',   'regex', '2024-01-01T00:00:00Z', 5.00,  25.00,  0.50,  NULL, 'anthropic.com/pricing list of 2025-11-01'),
    ('anthropic', 'claude-opus-4(-1)?(-\d{8})?', 'regex', '2024-01-01T00:00:00Z', 15.00, 75.00, 1.50, NULL, 'anthropic.com/pricing list of 2025-11-01'),
    ('anthropic', 'claude-sonnet-4(-5)?(-\d{8})?', 'regex', '2024-01-01T00:00:00Z', 3.00, 15.00, 0.30, NULL, 'anthropic.com/pricing list of 2025-11-01'),
    ('anthropic', 'claude-3-7-sonnet.*', 'regex', '2024-01-01T00:00:00Z', 3.00,  15.00,  0.30,  NULL, 'anthropic.com/pricing list of 2025-11-01'),
    ('anthropic', 'claude-haiku-4-5.*',  'regex', '2024-01-01T00:00:00Z', 1.00,   5.00,  0.10,  NULL, 'anthropic.com/pricing list of 2025-11-01'),
    ('anthropic', 'claude-3-5-haiku.*',  'regex', '2024-01-01T00:00:00Z', 0.80,   4.00,  0.08,  NULL, 'anthropic.com/pricing list of 2025-11-01'),
    -- Google (prompts up to 200k tokens)
    ('google', 'gemini-2.5-pro',         'exact', '2024-01-01T00:00:00Z', 1.25,  10.00,  0.31,  NULL, 'ai.google.dev/pricing list of 2025-11-01 (<=200k prompt)'),
    ('google', 'gemini-2.5-flash',       'exact', '2024-01-01T00:00:00Z', 0.30,   2.50,  0.075, NULL, 'ai.google.dev/pricing list of 2025-11-01'),
    ('google', 'gemini-2.5-flash-lite',  'exact', '2024-01-01T00:00:00Z', 0.10,   0.40,  0.025, NULL, 'ai.google.dev/pricing list of 2025-11-01'),
    ('google', 'gemini-2.0-flash.*',     'regex', '2024-01-01T00:00:00Z', 0.10,   0.40,  0.025, NULL, 'ai.google.dev/pricing list of 2025-11-01'),
    -- Mistral
    ('mistral', 'mistral-large.*',       'regex', '2024-01-01T00:00:00Z', 2.00,   6.00,  NULL,  NULL, 'mistral.ai/pricing list of 2025-11-01'),
    ('mistral', 'mistral-medium.*',      'regex', '2024-01-01T00:00:00Z', 0.40,   2.00,  NULL,  NULL, 'mistral.ai/pricing list of 2025-11-01'),
    ('mistral', 'mistral-small.*',       'regex', '2024-01-01T00:00:00Z', 0.10,   0.30,  NULL,  NULL, 'mistral.ai/pricing list of 2025-11-01'),
    ('mistral', 'codestral.*',           'regex', '2024-01-01T00:00:00Z', 0.30,   0.90,  NULL,  NULL, 'mistral.ai/pricing list of 2025-11-01'),
    -- Groq
    ('groq', 'llama-3.3-70b-versatile',  'exact', '2024-01-01T00:00:00Z', 0.59,   0.79,  NULL,  NULL, 'groq.com/pricing list of 2025-11-01'),
    ('groq', 'llama-3.1-8b-instant',     'exact', '2024-01-01T00:00:00Z', 0.05,   0.08,  NULL,  NULL, 'groq.com/pricing list of 2025-11-01'),
    ('groq', 'openai/gpt-oss-120b',      'exact', '2024-01-01T00:00:00Z', 0.15,   0.75,  NULL,  NULL, 'groq.com/pricing list of 2025-11-01'),
    ('groq', 'openai/gpt-oss-20b',       'exact', '2024-01-01T00:00:00Z', 0.10,   0.50,  NULL,  NULL, 'groq.com/pricing list of 2025-11-01'),
    -- xAI
    ('xai', 'grok-4(-\d{4})?',           'regex', '2024-01-01T00:00:00Z', 3.00,  15.00,  0.75,  NULL, 'docs.x.ai/docs/models list of 2025-11-01'),
    ('xai', 'grok-4-fast.*',             'regex', '2024-01-01T00:00:00Z', 0.20,   0.50,  0.05,  NULL, 'docs.x.ai/docs/models list of 2025-11-01'),
    ('xai', 'grok-3',                    'exact', '2024-01-01T00:00:00Z', 3.00,  15.00,  0.75,  NULL, 'docs.x.ai/docs/models list of 2025-11-01'),
    ('xai', 'grok-3-mini',               'exact', '2024-01-01T00:00:00Z', 0.30,   0.50,  0.075, NULL, 'docs.x.ai/docs/models list of 2025-11-01'),
    -- Cohere
    ('cohere', 'command-a.*',            'regex', '2024-01-01T00:00:00Z', 2.50,  10.00,  NULL,  NULL, 'cohere.com/pricing list of 2025-11-01'),
    ('cohere', 'command-r-plus.*',       'regex', '2024-01-01T00:00:00Z', 2.50,  10.00,  NULL,  NULL, 'cohere.com/pricing list of 2025-11-01'),
    ('cohere', 'command-r(-\d{2}-\d{4})?', 'regex', '2024-01-01T00:00:00Z', 0.15, 0.60,  NULL,  NULL, 'cohere.com/pricing list of 2025-11-01'),
    -- Together AI
    ('together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 'exact', '2024-01-01T00:00:00Z', 0.88, 0.88, NULL, NULL, 'together.ai/pricing list of 2025-11-01'),
    ('together', 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo', 'exact', '2024-01-01T00:00:00Z', 0.18, 0.18, NULL, NULL, 'together.ai/pricing list of 2025-11-01'),
    ('together', 'deepseek-ai/DeepSeek-V3', 'exact', '2024-01-01T00:00:00Z', 1.25,  1.25,  NULL,  NULL, 'together.ai/pricing list of 2025-11-01'),
    ('together', 'Qwen/Qwen2.5-72B-Instruct-Turbo', 'exact', '2024-01-01T00:00:00Z', 1.20, 1.20, NULL, NULL, 'together.ai/pricing list of 2025-11-01');

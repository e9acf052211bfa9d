-- Price list check of 2026-11-25 against the vendors' pages (read with the project's search tool on
-- 2026-11-25). V3's rows stay as they are (applied migrations are never edited); a correction is a
-- new row with effective_from 2026-11-25, so older events keep the price they were costed with and
-- an admin re-cost (POST /api/obs/pricing/recost) applies it to past events if wanted.
-- What was verified, what was not, and where each number comes from: docs/observability/03-metrics.md,
-- section "Price list". "third-party" in a source note means the number was read on a summary page
-- that cites the vendor's page, because the vendor's page itself was not in the searchable corpus.
INSERT INTO obs.llm_pricing (provider, model_match, match_kind, effective_from, input_per_mtok, output_per_mtok, cached_input_per_mtok, reasoning_per_mtok, source)
VALUES
    -- Correction: Groq lists gpt-oss-120b output at $0.60, not $0.75; prompt cache hits $0.075.
    ('groq', 'openai/gpt-oss-120b', 'exact', '2026-11-25T00:00:00Z', 0.15, 0.60, 0.075, NULL,
     'groq.com/pricing as cited by tokenmix.ai/blog/groq-api-access-2026-free-tier-rate-limits (data verified 2026-06-04), read 2026-11-25'),

    -- OpenAI models missing from V3 (third-party summaries of developers.openai.com/api/docs/pricing)
    ('openai', 'gpt-5.5',      'exact', '2026-11-25T00:00:00Z', 5.00, 30.00, 0.50,  NULL,
     'openai.com/api/pricing as listed by morphllm.com/openai-api-pricing (June 2026), third-party, read 2026-11-25'),
    ('openai', 'gpt-5.4',      'exact', '2026-11-25T00:00:00Z', 2.50, 15.00, 0.25,  NULL,
     'openai.com/api/pricing as listed by morphllm.com/openai-api-pricing (June 2026), third-party, read 2026-11-25'),
    ('openai', 'gpt-5.4-mini', 'exact', '2026-11-25T00:00:00Z', 0.75,  4.50, 0.075, NULL,
     'openai.com/api/pricing as listed by morphllm.com/openai-api-pricing (June 2026), third-party, read 2026-11-25'),
    ('openai', 'gpt-5.4-nano', 'exact', '2026-11-25T00:00:00Z', 0.20,  1.25, 0.02,  NULL,
     'openai.com/api/pricing as listed by morphllm.com/openai-api-pricing (June 2026), third-party, read 2026-11-25'),
    ('openai', 'gpt-5.2',      'exact', '2026-11-25T00:00:00Z', 1.75, 14.00, 0.175, NULL,
     'openai.com/api/pricing as listed by nicolalazzari.ai/articles/openai-api-pricing-explained-2026, third-party, read 2026-11-25'),
    ('openai', 'gpt-5.1',      'exact', '2026-11-25T00:00:00Z', 1.25, 10.00, 0.125, NULL,
     'openai.com/api/pricing as listed by deploybase.ai/articles/openai-pricing (March 2026; cached = 10% of input per the same vendor rule), third-party, read 2026-11-25'),

    -- Anthropic 4.6 generation (cache hits are 10% of the input price, as for every Claude model on
    -- docs.anthropic.com/en/docs/about-claude/pricing)
    ('anthropic', 'claude-opus-4-6(-\d{8})?',   'regex', '2026-11-25T00:00:00Z', 5.00, 25.00, 0.50, NULL,
     'anthropic.com/pricing as listed by deploybase.ai/articles/claude-api-pricing (March 2026), third-party, read 2026-11-25'),
    ('anthropic', 'claude-sonnet-4-6(-\d{8})?', 'regex', '2026-11-25T00:00:00Z', 3.00, 15.00, 0.30, NULL,
     'anthropic.com/pricing as listed by deploybase.ai/articles/claude-api-pricing (March 2026), third-party, read 2026-11-25'),

    -- xAI current models, from the vendor's own docs page
    ('xai', 'grok-4\.20(-\d{4})?(-reasoning|-non-reasoning)?', 'regex', '2026-11-25T00:00:00Z', 2.00, 6.00, 0.20, NULL,
     'docs.x.ai/developers/models.md, read 2026-11-25'),
    ('xai', 'grok-4-1-fast(-reasoning|-non-reasoning)?',       'regex', '2026-11-25T00:00:00Z', 0.20, 0.50, 0.05, NULL,
     'docs.x.ai/developers/models.md, read 2026-11-25'),

    -- Google Gemini 3 Pro (prompts up to 200k tokens); the context-cache price was not found, so
    -- cached tokens are priced as input (an upper bound) until a verified row is added
    ('google', 'gemini-3-pro-preview', 'exact', '2026-11-25T00:00:00Z', 2.00, 12.00, NULL, NULL,
     'ai.google.dev/gemini-api/docs/pricing as listed by aifreeapi.com/en/posts/gemini-api-pricing-2026 (January 2026, <=200k prompt), third-party, read 2026-11-25'),

    -- Mistral Large 3 (mistral-large-2512) is priced far below Large 2, which V3's mistral-large.* row
    -- still prices at $2/$6
    ('mistral', 'mistral-large-2512', 'exact', '2026-11-25T00:00:00Z', 0.50, 1.50, NULL, NULL,
     'mistral.ai/pricing as listed by developer.puter.com/tutorials/mistral-api-pricing (June 2026), third-party, read 2026-11-25');

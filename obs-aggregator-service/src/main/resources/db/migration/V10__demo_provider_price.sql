-- The local stack's demo provider (a local script, not a model: docs/chat.md#the-demo-provider-local-stack-only)
-- gets a demo price, so a newcomer's first turns show an exact, non-zero cost on the Overview and
-- the Runs page. No real provider is called "demo"; the price is labelled as a demo in its source.
INSERT INTO obs.llm_pricing (provider, model_match, match_kind, effective_from, input_per_mtok, output_per_mtok, cached_input_per_mtok, reasoning_per_mtok, source)
VALUES
    ('demo', 'beacon-demo', 'exact', '2026-01-01T00:00:00Z', 1.00, 2.00, NULL, NULL,
     'DEMO PRICE: the local stack''s demo provider is a script, not a model; nobody is billed');

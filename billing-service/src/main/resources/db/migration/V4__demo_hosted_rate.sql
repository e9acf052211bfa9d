-- The local stack's demo provider (a local script, not a model: docs/chat.md) counts as hosted
-- there, so a newcomer sees credits spent. Its rate is the aggregator's demo price ($1 / $2 per
-- million tokens) in credits; no real provider is called "demo".
INSERT INTO hosted_rates (provider, model, input_credits_per_million,
                          cached_input_credits_per_million, output_credits_per_million) VALUES
  ('demo', 'beacon-demo', 1000000, 1000000, 2000000);

/** Exact LLM cost: the versioned price table, token normalisation, overrides and re-costing. */
package dev.beacon.aggregator.pricing;

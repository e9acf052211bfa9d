import type { DailyRow, MetricValues } from '../src/api/types';

/** A day's measures: all zero (no durations) except what the test sets. */
export function metricValues(over: Partial<MetricValues> = {}): MetricValues {
  return {
    calls: 0,
    errors: 0,
    error_rate: 0,
    input_tokens: 0,
    output_tokens: 0,
    cached_input_tokens: 0,
    reasoning_tokens: 0,
    cost_nano_usd: 0,
    cost_usd: '0.000000000',
    unpriced_calls: 0,
    avg_ms: null,
    p50_ms: null,
    p95_ms: null,
    p99_ms: null,
    max_ms: null,
    ...over,
  };
}

/** One row of a daily answer. */
export function dailyRow(day: string, group: string | null, over: Partial<MetricValues> = {}): DailyRow {
  return { day, group, metrics: metricValues(over) };
}

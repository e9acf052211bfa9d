/**
 * Totals over the rows of a daily metrics answer (`/api/obs/metrics/daily`): per group, for a set
 * of days, and the top groups. Counts are summed as numbers, cost exactly in nano-USD BigInt, so a
 * total of many days never drifts from the sum the server would give.
 */
import type { DailyRow, MetricValues } from '../api/types';
import { nanoToUsd, usdToNano } from './money';

/** One group's totals over the rows of a daily answer. Cost is summed exactly. */
export interface GroupTotals {
  group: string;
  calls: number;
  errors: number;
  error_rate: number;
  tokens: number;
  cost_usd: string;
}

/** Sums daily rows per group (cost exact, via nano-USD BigInt). */
export function totalsByGroup(rows: DailyRow[]): GroupTotals[] {
  const byGroup = new Map<string, { calls: number; errors: number; tokens: number; nanos: bigint }>();
  for (const row of rows) {
    const key = row.group ?? '';
    const acc = byGroup.get(key) ?? { calls: 0, errors: 0, tokens: 0, nanos: 0n };
    acc.calls += row.metrics.calls;
    acc.errors += row.metrics.errors;
    acc.tokens += row.metrics.input_tokens + row.metrics.output_tokens;
    acc.nanos += usdToNano(row.metrics.cost_usd);
    byGroup.set(key, acc);
  }
  return [...byGroup.entries()].map(([group, acc]) => ({
    group,
    calls: acc.calls,
    errors: acc.errors,
    error_rate: acc.calls === 0 ? 0 : acc.errors / acc.calls,
    tokens: acc.tokens,
    cost_usd: nanoToUsd(acc.nanos),
  }));
}

/** Top groups by cost (exact comparison) or by errors, largest first, at most `limit`. */
export function topGroups(totals: GroupTotals[], by: 'cost' | 'errors', limit = 5): GroupTotals[] {
  const sorted = [...totals].sort((a, b) => {
    if (by === 'cost') {
      const diff = usdToNano(b.cost_usd) - usdToNano(a.cost_usd);
      return diff === 0n ? a.group.localeCompare(b.group) : diff > 0n ? 1 : -1;
    }
    return b.errors - a.errors || b.calls - a.calls || a.group.localeCompare(b.group);
  });
  return sorted.filter((t) => (by === 'cost' ? usdToNano(t.cost_usd) > 0n : t.errors > 0)).slice(0, limit);
}

/** Merges a set of days' measures into one (counts and cost summed exactly; percentiles not mergeable). */
export function mergeDays(rows: DailyRow[]): Pick<MetricValues, 'calls' | 'errors' | 'error_rate' | 'input_tokens' | 'output_tokens' | 'unpriced_calls' | 'cost_usd'> {
  let calls = 0;
  let errors = 0;
  let input = 0;
  let output = 0;
  let unpriced = 0;
  let nanos = 0n;
  for (const row of rows) {
    calls += row.metrics.calls;
    errors += row.metrics.errors;
    input += row.metrics.input_tokens;
    output += row.metrics.output_tokens;
    unpriced += row.metrics.unpriced_calls;
    nanos += usdToNano(row.metrics.cost_usd);
  }
  return {
    calls,
    errors,
    error_rate: calls === 0 ? 0 : errors / calls,
    input_tokens: input,
    output_tokens: output,
    unpriced_calls: unpriced,
    cost_usd: nanoToUsd(nanos),
  };
}

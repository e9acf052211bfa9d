import { describe, expect, it } from 'vitest';
import { mergeDays, topGroups, totalsByGroup, type GroupTotals } from '../src/lib/dailyTotals';
import { dailyRow } from './fixtures';

const rows = [
  dailyRow('2026-11-24', 'support-bot', { calls: 3, errors: 1, input_tokens: 10, output_tokens: 5, cost_usd: '0.100000000' }),
  dailyRow('2026-11-25', 'support-bot', { calls: 2, errors: 0, input_tokens: 1, output_tokens: 1, cost_usd: '0.200000000' }),
  dailyRow('2026-11-25', 'triage', { calls: 10, errors: 4, cost_usd: '0.300000001' }),
  dailyRow('2026-11-25', 'idle', { calls: 1 }),
];

const totals = (group: string, over: Partial<GroupTotals> = {}): GroupTotals => ({
  group,
  calls: 0,
  errors: 0,
  error_rate: 0,
  tokens: 0,
  cost_usd: '0.000000000',
  ...over,
});

describe('totalsByGroup', () => {
  it('sums groups exactly', () => {
    const bot = totalsByGroup(rows).find((t) => t.group === 'support-bot')!;
    expect(bot.cost_usd).toBe('0.300000000');
    expect(bot.calls).toBe(5);
    expect(bot.tokens).toBe(17);
    expect(bot.error_rate).toBeCloseTo(0.2);
  });

  it('gives nothing for no rows', () => {
    expect(totalsByGroup([])).toEqual([]);
  });

  it('counts a group that appears on some days only over the days it has', () => {
    const result = totalsByGroup([
      dailyRow('2026-11-23', 'support-bot', { calls: 1, cost_usd: '0.010000000' }),
      dailyRow('2026-11-24', 'triage', { calls: 4, errors: 1, cost_usd: '0.040000000' }),
      dailyRow('2026-11-25', 'support-bot', { calls: 2, cost_usd: '0.020000000' }),
    ]);
    expect(result).toEqual([
      { group: 'support-bot', calls: 3, errors: 0, error_rate: 0, tokens: 0, cost_usd: '0.030000000' },
      { group: 'triage', calls: 4, errors: 1, error_rate: 0.25, tokens: 0, cost_usd: '0.040000000' },
    ]);
  });

  it('keeps the groups in the order they first appear', () => {
    expect(totalsByGroup(rows).map((t) => t.group)).toEqual(['support-bot', 'triage', 'idle']);
  });

  it('puts rows without a group under the empty group', () => {
    const result = totalsByGroup([dailyRow('2026-11-24', null, { calls: 2 }), dailyRow('2026-11-25', null, { calls: 3 })]);
    expect(result).toEqual([totals('', { calls: 5 })]);
  });

  it('sums cost without float drift', () => {
    const tenths = Array.from({ length: 10 }, (_, i) => dailyRow(`2026-11-${String(i + 10)}`, 'a', { calls: 1, cost_usd: '0.100000000' }));
    expect(totalsByGroup(tenths)[0].cost_usd).toBe('1.000000000');
  });

  it('gives an error rate of zero to a group without calls', () => {
    expect(totalsByGroup([dailyRow('2026-11-25', 'quiet', {})])[0].error_rate).toBe(0);
  });

  it('counts input and output tokens, not cached or reasoning ones again', () => {
    const [t] = totalsByGroup([dailyRow('2026-11-25', 'a', { input_tokens: 100, output_tokens: 20, cached_input_tokens: 80, reasoning_tokens: 10 })]);
    expect(t.tokens).toBe(120);
  });
});

describe('topGroups', () => {
  it('ranks by exact cost and by errors, leaving out zeros', () => {
    const all = totalsByGroup(rows);
    expect(topGroups(all, 'cost').map((t) => t.group)).toEqual(['triage', 'support-bot']);
    expect(topGroups(all, 'errors').map((t) => t.group)).toEqual(['triage', 'support-bot']);
    expect(topGroups(all, 'cost', 1)).toHaveLength(1);
  });

  it('gives nothing for no groups, or when nothing cost or failed', () => {
    expect(topGroups([], 'cost')).toEqual([]);
    expect(topGroups([], 'errors')).toEqual([]);
    expect(topGroups([totals('a', { calls: 3 })], 'cost')).toEqual([]);
    expect(topGroups([totals('a', { calls: 3 })], 'errors')).toEqual([]);
  });

  it('compares costs beyond float precision', () => {
    const ranked = topGroups([totals('a', { cost_usd: '9007199.254740992' }), totals('b', { cost_usd: '9007199.254740993' })], 'cost');
    expect(ranked.map((t) => t.group)).toEqual(['b', 'a']);
  });

  it('breaks ties by name, and errors ties by calls first', () => {
    expect(topGroups([totals('b', { cost_usd: '0.5' }), totals('a', { cost_usd: '0.500000000' })], 'cost').map((t) => t.group)).toEqual(['a', 'b']);
    const failing = [totals('c', { errors: 2, calls: 5 }), totals('a', { errors: 2, calls: 5 }), totals('b', { errors: 2, calls: 9 })];
    expect(topGroups(failing, 'errors').map((t) => t.group)).toEqual(['b', 'a', 'c']);
  });

  it('keeps five by default and leaves its input as it was', () => {
    const many = Array.from({ length: 7 }, (_, i) => totals(`g${i}`, { errors: i + 1 }));
    const before = many.map((t) => t.group);
    expect(topGroups(many, 'errors').map((t) => t.group)).toEqual(['g6', 'g5', 'g4', 'g3', 'g2']);
    expect(many.map((t) => t.group)).toEqual(before);
  });
});

describe('mergeDays', () => {
  it('merges days', () => {
    expect(mergeDays(rows)).toMatchObject({ calls: 16, errors: 5, cost_usd: '0.600000001' });
  });

  it('gives zeros for no days', () => {
    expect(mergeDays([])).toEqual({
      calls: 0,
      errors: 0,
      error_rate: 0,
      input_tokens: 0,
      output_tokens: 0,
      unpriced_calls: 0,
      cost_usd: '0.000000000',
    });
  });

  it('sums the days it is given when days in between are missing', () => {
    const merged = mergeDays([
      dailyRow('2026-11-01', null, { calls: 4, errors: 1, input_tokens: 40, output_tokens: 4, unpriced_calls: 1, cost_usd: '0.000000001' }),
      dailyRow('2026-11-30', null, { calls: 4, errors: 1, input_tokens: 60, output_tokens: 6, unpriced_calls: 2, cost_usd: '1.999999999' }),
    ]);
    expect(merged).toEqual({
      calls: 8,
      errors: 2,
      error_rate: 0.25,
      input_tokens: 100,
      output_tokens: 10,
      unpriced_calls: 3,
      cost_usd: '2.000000000',
    });
  });

  it('leaves percentiles out: they cannot be merged from daily values', () => {
    expect(mergeDays([dailyRow('2026-11-25', null, { calls: 1, p95_ms: 900 })])).not.toHaveProperty('p95_ms');
  });
});

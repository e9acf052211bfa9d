import { describe, expect, it } from 'vitest';
import { formatAgo, formatCount, formatDuration, formatPercent, formatPercentile, formatTokens } from '../src/lib/format';

describe('formatTokens', () => {
  it('is exact below 100k', () => {
    expect(formatTokens(0)).toBe('0');
    expect(formatTokens(3662)).toBe('3,662');
    expect(formatTokens(99_999)).toBe('99,999');
  });
  it('is compact from 100k', () => {
    expect(formatTokens(100_000)).toBe('100.0K');
    expect(formatTokens(1_234_567)).toBe('1.2M');
    expect(formatTokens(999_960)).toBe('1.0M');
    expect(formatTokens(2_500_000_000)).toBe('2.5B');
  });
  it('shows a dash for missing values', () => {
    expect(formatTokens(null)).toBe('—');
    expect(formatTokens(undefined)).toBe('—');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [240, '240 ms'],
    [999, '999 ms'],
    [1000, '1.00 s'],
    [2184, '2.18 s'],
    [59_950, '59.9 s'],
    [185_000, '3m 05s'],
    [3_720_000, '1h 02m'],
    [2 * 86_400_000 + 3 * 3_600_000, '2d 3h'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
  it('shows a dash for missing values', () => {
    expect(formatDuration(null)).toBe('—');
  });
});

describe('formatPercentile', () => {
  it('formats bucketed percentiles as durations and null as a dash', () => {
    expect(formatPercentile(699)).toBe('699 ms');
    expect(formatPercentile(14_999)).toBe('14.9 s');
    expect(formatPercentile(null)).toBe('—');
  });
});

describe('formatPercent and formatCount', () => {
  it('formats ratios', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.2)).toBe('20%');
    expect(formatPercent(0.083)).toBe('8.3%');
    expect(formatPercent(0.0004)).toBe('0.04%');
    expect(formatPercent(0.00001)).toBe('<0.01%');
    expect(formatPercent(1)).toBe('100%');
  });
  it('groups counts', () => {
    expect(formatCount(12_345)).toBe('12,345');
    expect(formatCount(null)).toBe('—');
  });
  it('says how long ago', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(formatAgo('2026-11-25T11:59:50Z', now)).toBe('just now');
    expect(formatAgo('2026-11-25T11:55:00Z', now)).toBe('5 min ago');
    expect(formatAgo('2026-11-25T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAgo('2026-11-22T12:00:00Z', now)).toBe('3 d ago');
  });
});

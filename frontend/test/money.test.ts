import { describe, expect, it } from 'vitest';
import { formatUsd, nanoToUsd, sumUsd, toNano, usdToNano } from '../src/lib/money';

describe('usdToNano / nanoToUsd', () => {
  it('parses decimal strings exactly', () => {
    expect(usdToNano('0.006465000')).toBe(6_465_000n);
    expect(usdToNano('12.5')).toBe(12_500_000_000n);
    expect(usdToNano('3')).toBe(3_000_000_000n);
    expect(usdToNano('-0.000000001')).toBe(-1n);
  });
  it('round-trips beyond float precision', () => {
    const big = '92233720.368547758';
    expect(nanoToUsd(usdToNano(big))).toBe('92233720.368547758');
    expect(nanoToUsd(9_007_199_254_740_993n)).toBe('9007199.254740993');
  });
  it('formats nano integers with nine fraction digits', () => {
    expect(nanoToUsd(6_465_000)).toBe('0.006465000');
    expect(nanoToUsd(0)).toBe('0.000000000');
    expect(nanoToUsd(-1_500_000_000n)).toBe('-1.500000000');
    expect(nanoToUsd('27000000')).toBe('0.027000000');
  });
  it('rejects what is not an amount', () => {
    expect(() => usdToNano('1e-3')).toThrow();
    expect(() => usdToNano('abc')).toThrow();
    expect(() => usdToNano('0.0000000001')).toThrow(/nano/);
    expect(() => toNano(0.5)).toThrow();
    expect(() => toNano(2 ** 60)).toThrow();
  });
  it('sums without float drift', () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004
    expect(sumUsd(['0.100000000', '0.200000000'])).toBe('0.300000000');
    const tenThousandCalls = Array.from({ length: 10_000 }, () => '0.000000007');
    expect(sumUsd(tenThousandCalls)).toBe('0.000070000');
  });
});

describe('formatUsd', () => {
  it('shows cents from a dollar up, grouped', () => {
    expect(formatUsd('1234.567891234')).toBe('$1,234.57');
    expect(formatUsd('1.005000000')).toBe('$1.01');
    expect(formatUsd('1000000')).toBe('$1,000,000.00');
  });
  it('keeps two significant digits below a dollar', () => {
    expect(formatUsd('0.013965000')).toBe('$0.014');
    expect(formatUsd('0.006465000')).toBe('$0.0065');
    expect(formatUsd('0.500000000')).toBe('$0.50');
    expect(formatUsd('0.120000000')).toBe('$0.12');
    expect(formatUsd('0.000000001')).toBe('$0.000000001');
    expect(formatUsd('0.999')).toBe('$1.00');
  });
  it('shows zero and negatives plainly', () => {
    expect(formatUsd('0')).toBe('$0.00');
    expect(formatUsd('-2.5')).toBe('-$2.50');
  });
  it('shows the exact amount on request', () => {
    expect(formatUsd('0.013965000', { exact: true })).toBe('$0.013965');
    expect(formatUsd('1234.500000000', { exact: true })).toBe('$1,234.50');
    expect(formatUsd(123_456_789_012n, { exact: true })).toBe('$123.456789012');
  });
});

import { describe, expect, it } from 'vitest';
import { rangeWindow } from '../src/lib/ranges';
import { toChartSeries } from '../src/components/Dashboard';
import type { Timeseries } from '../src/api/types';

describe('rangeWindow', () => {
  const now = new Date('2026-11-25T10:17:42Z');
  it('uses minute steps for the last hour, including the current minute', () => {
    expect(rangeWindow('1h', now)).toMatchObject({ step: '1m', from: '2026-11-25T09:17:00.000Z', to: '2026-11-25T10:18:00.000Z' });
  });
  it('uses hour steps for 24 h (minute rows are kept 48 h)', () => {
    expect(rangeWindow('24h', now)).toMatchObject({ step: '1h', from: '2026-11-24T10:00:00.000Z', to: '2026-11-25T11:00:00.000Z', fromDay: '2026-11-24', toDay: '2026-11-25' });
  });
  it('uses day steps for 7 and 30 days, ending today', () => {
    expect(rangeWindow('7d', now)).toMatchObject({ step: '1d', fromDay: '2026-11-19', toDay: '2026-11-25' });
    expect(rangeWindow('30d', now)).toMatchObject({ step: '1d', fromDay: '2026-10-27', toDay: '2026-11-25' });
  });
});

describe('toChartSeries', () => {
  const ts: Timeseries = {
    from: '2026-11-25T08:00:00Z',
    to: '2026-11-25T12:00:00Z',
    step: '1h',
    metric: 'calls',
    group_by: null,
    series: [{ group: null, points: [{ time: '2026-11-25T09:00:00Z', value: 7 }, { time: '2026-11-25T11:00:00Z', value: 2 }] }],
  };
  it('zero-fills counts over empty steps', () => {
    const [series] = toChartSeries(ts, true);
    expect(series.points.map(([t, v]) => [new Date(t).toISOString().slice(11, 13), v])).toEqual([
      ['08', 0],
      ['09', 7],
      ['10', 0],
      ['11', 2],
    ]);
  });
  it('leaves gaps for latency (no data is not zero milliseconds)', () => {
    const [series] = toChartSeries({ ...ts, metric: 'p95_ms' }, false);
    expect(series.points).toHaveLength(2);
  });
});

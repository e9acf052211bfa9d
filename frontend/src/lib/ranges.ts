/** Dashboard time ranges and how each maps onto the aggregator's steps and day ranges. */

export type RangeKey = '1h' | '24h' | '7d' | '30d';

export const RANGES: Array<{ key: RangeKey; label: string }> = [
  { key: '1h', label: 'Last hour' },
  { key: '24h', label: 'Last 24 hours' },
  { key: '7d', label: 'Last 7 days' },
  { key: '30d', label: 'Last 30 days' },
];

export interface RangeWindow {
  /** RFC 3339 start, aligned to the step. */
  from: string;
  /** RFC 3339 end (exclusive), one step past now so the current bucket is included. */
  to: string;
  step: '1m' | '1h' | '1d';
  /** First UTC day of the range (for the daily endpoint). */
  fromDay: string;
  /** Last UTC day (today). */
  toDay: string;
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * 1h → 1-minute steps, 24h → 1-hour steps (minute rows are kept 48 h), 7d and 30d → 1-day steps.
 */
export function rangeWindow(key: RangeKey, now: Date = new Date()): RangeWindow {
  const minute = 60_000;
  const hour = 60 * minute;
  const day = 24 * hour;
  const t = now.getTime();
  switch (key) {
    case '1h': {
      const end = Math.floor(t / minute) * minute + minute;
      return win(end - 61 * minute, end, '1m');
    }
    case '24h': {
      const end = Math.floor(t / hour) * hour + hour;
      return win(end - 25 * hour, end, '1h');
    }
    case '7d':
    case '30d': {
      const days = key === '7d' ? 7 : 30;
      const end = Math.floor(t / day) * day + day;
      return win(end - days * day, end, '1d');
    }
  }
}

function win(from: number, to: number, step: RangeWindow['step']): RangeWindow {
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    step,
    fromDay: utcDay(new Date(from)),
    toDay: utcDay(new Date(to - 1)),
  };
}

/** Display formatting for counts, tokens, durations, percentiles, rates and times. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count with thousands separators ("12,345"); "—" when absent. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return integer.format(value);
}

/**
 * Token counts: exact with separators below 100,000 ("18,502"), then compact with one decimal
 * ("1.2M", "350.4K") — the exact value belongs in a title attribute.
 */
export function formatTokens(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const abs = Math.abs(value);
  if (abs < 100_000) return integer.format(value);
  const units: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size) {
      const scaled = Math.round((value / size) * 10) / 10;
      // 999.96K rounds to 1000.0K: move up a unit instead
      if (Math.abs(scaled) >= 1000 && size < 1e12) {
        const up = units[units.findIndex(([s]) => s === size) - 1];
        return `${(Math.round((value / up[0]) * 10) / 10).toFixed(1)}${up[1]}`;
      }
      return `${scaled.toFixed(1)}${suffix}`;
    }
  }
  return integer.format(value);
}

/**
 * A duration in milliseconds: "0 ms", "240 ms", "2.18 s", "59.9 s", "3m 05s", "1h 02m", "2d 3h".
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(Math.floor(ms / 10) / 100).toFixed(2)} s`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 3600) {
    const m = Math.floor(totalSeconds / 60);
    const s = totalSeconds % 60;
    return `${m}m ${String(s).padStart(2, '0')}s`;
  }
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 24 * 60) {
    const h = Math.floor(totalMinutes / 60);
    const m = totalMinutes % 60;
    return `${h}h ${String(m).padStart(2, '0')}m`;
  }
  const totalHours = Math.floor(totalMinutes / 60);
  return `${Math.floor(totalHours / 24)}d ${totalHours % 24}h`;
}

/**
 * A latency percentile from the API ("p95_ms"). The API reads percentiles from log-scale
 * buckets (exact to within one bucket) and gives null when nothing had a duration.
 */
export function formatPercentile(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return formatDuration(ms);
}

/** A ratio 0..1 as a percentage: "0%", "8.3%", "0.04%", "100%". */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '—';
  const pct = ratio * 100;
  if (pct === 0) return '0%';
  if (pct >= 10 || Number.isInteger(pct)) return `${Math.round(pct * 10) / 10}%`;
  if (pct >= 1) return `${pct.toFixed(1)}%`;
  if (pct >= 0.01) return `${pct.toFixed(2)}%`;
  return '<0.01%';
}

/** An instant as a short local date-time ("Nov 25, 09:15:30"). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

/** How long ago an instant was, relative to `now`: "just now", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const seconds = Math.round((now - t) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

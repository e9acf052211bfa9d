/**
 * The metrics dashboard shared by Overview (whole workspace) and Agent detail (one agent):
 * headline numbers, four time-series charts and the top lists. Every block is its own panel
 * with its own query, loading and error state.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useDaily, useSummary, useTimeseries, type MetricFilter } from '../api/hooks';
import type { DailyRow, MetricValues, Timeseries } from '../api/types';
import { mergeDays, topGroups, totalsByGroup, type GroupTotals } from '../lib/dailyTotals';
import { formatUsd, nanoToUsd, usdToNano } from '../lib/money';
import { formatCount, formatPercent, formatPercentile, formatTokens } from '../lib/format';
import { RANGES, rangeWindow, utcDay, type RangeKey } from '../lib/ranges';
import { DataTable, type Column } from './DataTable';
import { AgentName } from './AgentName';
import { Panel } from './Panel';
import { SendFirstEvent } from './EmptyState';
import type { ChartSeries } from './Chart';

const loadChart = () => import('./Chart');
const Chart = lazy(loadChart);
// start fetching the chart library with the data, not after it
if (typeof window !== 'undefined') void loadChart();

export function useRange(): [RangeKey, (r: RangeKey) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.get('range');
  const range: RangeKey = RANGES.some((r) => r.key === value) ? (value as RangeKey) : '24h';
  const set = (r: RangeKey) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('range', r);
        return next;
      },
      { replace: true },
    );
  return [range, set];
}

export function RangePicker({ value, onChange }: { value: RangeKey; onChange: (r: RangeKey) => void }) {
  return (
    <div className="segmented" role="group" aria-label="Time range">
      {RANGES.map((r) => (
        <button key={r.key} type="button" aria-pressed={value === r.key} title={r.label} onClick={() => onChange(r.key)}>
          {r.key}
        </button>
      ))}
    </div>
  );
}

function Kpi({ label, value, sub, testId, exact }: { label: string; value: string; sub?: string; testId: string; exact?: string }) {
  return (
    <div className="panel" data-testid={testId} data-exact={exact}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value" title={exact ? `$${exact}` : undefined}>
        {value}
      </div>
      {sub && <div className="kpi-sub">{sub}</div>}
    </div>
  );
}

interface Headline {
  today: Pick<MetricValues, 'calls' | 'errors' | 'error_rate' | 'input_tokens' | 'output_tokens' | 'unpriced_calls' | 'cost_usd'> & { p95_ms: number | null };
  yesterdayCost: string;
  monthCost: string;
  projected?: string;
}

function Headlines({ data }: { data: Headline }) {
  const t = data.today;
  return (
    <div className="grid kpis" data-testid="kpis">
      <Kpi testId="kpi-today-cost" label="Cost today" value={formatUsd(t.cost_usd)} exact={t.cost_usd} sub={`Yesterday ${formatUsd(data.yesterdayCost)}`} />
      <Kpi testId="kpi-yesterday-cost" label="Cost yesterday" value={formatUsd(data.yesterdayCost)} exact={data.yesterdayCost} />
      <Kpi
        testId="kpi-month-cost"
        label="Month to date"
        value={formatUsd(data.monthCost)}
        exact={data.monthCost}
        sub={data.projected ? `Projected month end ${formatUsd(data.projected)}` : undefined}
      />
      <Kpi testId="kpi-today-calls" label="Calls today" value={formatCount(t.calls)} sub={`${formatCount(t.errors)} ${t.errors === 1 ? 'error' : 'errors'}`} />
      <Kpi
        testId="kpi-today-tokens"
        label="Tokens today"
        value={formatTokens(t.input_tokens + t.output_tokens)}
        sub={`${formatTokens(t.input_tokens)} in · ${formatTokens(t.output_tokens)} out`}
      />
      <Kpi testId="kpi-error-rate" label="Error rate today" value={formatPercent(t.error_rate)} />
      <Kpi testId="kpi-p95" label="p95 latency today" value={formatPercentile(t.p95_ms)} />
      <Kpi
        testId="kpi-unpriced"
        label="Unpriced calls today"
        value={formatCount(t.unpriced_calls)}
        sub={t.unpriced_calls > 0 ? 'No price matched: add a pricing row' : 'Every LLM call was priced'}
      />
    </div>
  );
}

function WorkspaceHeadlines({ onLoaded }: { onLoaded: (ready: boolean, empty: boolean) => void }) {
  const summary = useSummary();
  const d = summary.data;
  useEffect(() => {
    onLoaded(!!d, !!d && d.month_to_date.calls === 0 && d.yesterday.calls === 0 && d.trailing7_day_average_cost_nano_usd === 0);
  }, [d, onLoaded]);
  if (summary.error || !d) {
    return <Panel id="summary" title="Today" loading={summary.isPending} error={summary.error} onRetry={() => summary.refetch()} />;
  }
  return (
    <Headlines
      data={{
        today: d.today_totals,
        yesterdayCost: d.yesterday.cost_usd,
        monthCost: d.month_to_date.cost_usd,
        projected: d.projected_month_end_cost_usd,
      }}
    />
  );
}

function AgentHeadlines({ agent, onLoaded }: { agent: string; onLoaded: (ready: boolean, empty: boolean) => void }) {
  const now = new Date();
  const today = utcDay(now);
  const yesterday = utcDay(new Date(now.getTime() - 86_400_000));
  const monthStart = `${today.slice(0, 8)}01`;
  const from = monthStart < yesterday ? monthStart : yesterday;
  const daily = useDaily({ from, to: today, agent });
  const rows = daily.data?.rows;
  useEffect(() => onLoaded(!!rows, !!rows && rows.length === 0), [rows, onLoaded]);
  if (daily.error || !rows) {
    return <Panel id="summary" title="Today" loading={daily.isPending} error={daily.error} onRetry={() => daily.refetch()} />;
  }
  const todayRow = rows.filter((r: DailyRow) => r.day === today);
  return (
    <Headlines
      data={{
        today: { ...mergeDays(todayRow), p95_ms: todayRow[0]?.metrics.p95_ms ?? null },
        yesterdayCost: mergeDays(rows.filter((r) => r.day === yesterday)).cost_usd,
        monthCost: mergeDays(rows.filter((r) => r.day >= monthStart)).cost_usd,
      }}
    />
  );
}

const STEP_MS = { '1m': 60_000, '1h': 3_600_000, '1d': 86_400_000 } as const;

/** Chart series from a time-series answer; counts are zero-filled over empty steps, latency is not. */
export function toChartSeries(ts: Timeseries, zeroFill: boolean): ChartSeries[] {
  const step = STEP_MS[ts.step];
  return ts.series.map((s) => {
    const byTime = new Map(s.points.map((p) => [new Date(p.time).getTime(), p.value]));
    const points: Array<[number, number | null]> = [];
    if (zeroFill) {
      const start = Math.ceil(new Date(ts.from).getTime() / step) * step;
      const end = new Date(ts.to).getTime();
      for (let t = start; t < end; t += step) points.push([t, byTime.get(t) ?? 0]);
      // points the grid missed (unaligned from/to) are kept too
      for (const [t, v] of byTime) if (t < start || t >= end) points.push([t, v]);
      points.sort((a, b) => a[0] - b[0]);
    } else {
      for (const [t, v] of byTime) points.push([t, v]);
    }
    return { name: s.group ?? 'all', points };
  });
}

const usdAxis = (v: number) => formatUsd(nanoToUsd(BigInt(Math.round(v))));

const CHARTS = [
  { metric: 'cost_nano_usd', title: 'Cost', kind: 'bar' as const, format: usdAxis, zeroFill: true, integer: false },
  { metric: 'calls', title: 'Calls', kind: 'bar' as const, format: (v: number) => formatCount(v), zeroFill: true, integer: true },
  { metric: 'errors', title: 'Errors', kind: 'bar' as const, format: (v: number) => formatCount(v), zeroFill: true, integer: true },
  { metric: 'p95_ms', title: 'Latency (p95)', kind: 'line' as const, format: (v: number) => formatPercentile(v), zeroFill: false, integer: false },
];

function SeriesPanel({
  spec,
  range,
  filter,
  onReady,
}: {
  spec: (typeof CHARTS)[number];
  range: RangeKey;
  filter: MetricFilter;
  onReady: (key: string, ready: boolean) => void;
}) {
  const win = useMemo(() => rangeWindow(range), [range]);
  const ts = useTimeseries({ metric: spec.metric, step: win.step, from: win.from, to: win.to, ...filter });
  const series = useMemo(() => (ts.data ? toChartSeries(ts.data, spec.zeroFill) : []), [ts.data, spec.zeroFill]);
  const ready = !!ts.data;
  useEffect(() => onReady(spec.metric, ready), [spec.metric, ready, onReady]);
  const hasData = series.some((s) => s.points.some((p) => p[1] !== null && p[1] !== 0));
  return (
    <Panel
      id={`chart-${spec.metric}`}
      title={spec.title}
      hint={`${RANGES.find((r) => r.key === range)?.label} · per ${win.step === '1m' ? 'minute' : win.step === '1h' ? 'hour' : 'day'}`}
      loading={ts.isPending}
      error={ts.error}
      onRetry={() => ts.refetch()}
      ready={ready}
    >
      <Suspense fallback={<div className="chart skeleton" />}>
        {hasData ? (
          <Chart
            series={series}
            kind={spec.kind}
            format={spec.format}
            integer={spec.integer}
            range={[new Date(win.from).getTime(), new Date(win.to).getTime()]}
            label={`${spec.title} over the ${RANGES.find((r) => r.key === range)?.label.toLowerCase()}`} />
        ) : (
          <p className="panel-message">No {spec.title.toLowerCase()} in this range.</p>
        )}
      </Suspense>
    </Panel>
  );
}

const TOPS = [
  { groupBy: 'agent', title: 'Agents' },
  { groupBy: 'model', title: 'Models' },
  { groupBy: 'tool', title: 'Tools' },
] as const;

/** A group's name linking to what it is: the agent's page, or the events of that tool or model. */
function groupLink(groupBy: string, group: string) {
  if (groupBy === 'agent') return <AgentName id={group} />;
  if (groupBy === 'tool') return <Link to={`/events?type=tool_call&tool=${encodeURIComponent(group)}`}>{group}</Link>;
  const [provider, ...model] = group.split('/');
  return <Link to={`/events?type=llm_call&provider=${encodeURIComponent(provider)}&model=${encodeURIComponent(model.join('/'))}`}>{group}</Link>;
}

/** The columns of a top panel's lists; `noun` heads the group column ("Agent", "Model", "Tool"). */
function topColumns(groupBy: string, noun: string) {
  const group: Column<GroupTotals> = { id: 'group', header: noun, className: 'truncate', cell: (t) => groupLink(groupBy, t.group), sortValue: (t) => t.group };
  const cost: Column<GroupTotals> = {
    id: 'cost',
    header: 'Cost',
    numeric: true,
    cellProps: (t) => ({ title: `$${t.cost_usd}`, 'data-exact': t.cost_usd }),
    cell: (t) => formatUsd(t.cost_usd),
    sortValue: (t) => usdToNano(t.cost_usd),
  };
  const calls: Column<GroupTotals> = { id: 'calls', header: 'Calls', numeric: true, cell: (t) => formatCount(t.calls), sortValue: (t) => t.calls };
  const errors: Column<GroupTotals> = { id: 'errors', header: 'Errors', numeric: true, cell: (t) => formatCount(t.errors), sortValue: (t) => t.errors };
  const rate: Column<GroupTotals> = { id: 'rate', header: 'Rate', numeric: true, cell: (t) => formatPercent(t.error_rate), sortValue: (t) => t.error_rate };
  return { byCost: [group, cost, calls], byCalls: [group, calls], byErrors: [group, errors, rate] };
}

function TopPanel({
  groupBy,
  title,
  range,
  filter,
  onReady,
}: {
  groupBy: string;
  title: string;
  range: RangeKey;
  filter: MetricFilter;
  onReady: (key: string, ready: boolean) => void;
}) {
  const win = useMemo(() => rangeWindow(range), [range]);
  const daily = useDaily({ from: win.fromDay, to: win.toDay, group_by: groupBy, ...filter });
  const totals = useMemo(() => (daily.data ? totalsByGroup(daily.data.rows) : []), [daily.data]);
  const ready = !!daily.data;
  useEffect(() => onReady(`top-${groupBy}`, ready), [groupBy, ready, onReady]);
  // tools carry no cost of their own: rank them by calls instead
  const costless = groupBy === 'tool';
  const byCost = useMemo(
    () => (costless ? [...totals].sort((a, b) => b.calls - a.calls || a.group.localeCompare(b.group)).slice(0, 5) : topGroups(totals, 'cost')),
    [costless, totals],
  );
  const byErrors = useMemo(() => topGroups(totals, 'errors'), [totals]);
  const columns = useMemo(() => topColumns(groupBy, title.slice(0, -1)), [groupBy, title]);
  return (
    <Panel
      id={`top-${groupBy}`}
      title={`Top ${title.toLowerCase()}`}
      hint={win.fromDay === win.toDay ? `on ${win.toDay}` : `${win.fromDay} – ${win.toDay}`}
      loading={daily.isPending}
      error={daily.error}
      onRetry={() => daily.refetch()}
      ready={ready}
    >
      <h3>{costless ? 'By calls' : 'By cost'}</h3>
      <DataTable
        testId={`top-${groupBy}-${costless ? 'calls' : 'cost'}`}
        columns={costless ? columns.byCalls : columns.byCost}
        rows={byCost}
        rowKey={(t) => t.group}
        wrap={false}
        empty={<p className="muted small">{costless ? 'No tool calls.' : 'No cost recorded.'}</p>}
      />
      <h3>By errors</h3>
      <DataTable
        testId={`top-${groupBy}-errors`}
        columns={columns.byErrors}
        rows={byErrors}
        rowKey={(t) => t.group}
        wrap={false}
        empty={<p className="muted small">No errors. </p>}
      />
    </Panel>
  );
}

export function Dashboard({ agent }: { agent?: string }) {
  const [range, setRange] = useRange();
  const filter: MetricFilter = useMemo(() => (agent ? { agent } : {}), [agent]);
  const tops = agent ? TOPS.filter((t) => t.groupBy !== 'agent') : TOPS;
  const keys = ['headline', ...CHARTS.map((c) => c.metric), ...tops.map((t) => `top-${t.groupBy}`)];
  const [readyKeys, setReadyKeys] = useState<Record<string, boolean>>({});
  const [empty, setEmpty] = useState(false);
  const report = useCallback(
    (key: string, ready: boolean) => setReadyKeys((prev) => (prev[key] === ready ? prev : { ...prev, [key]: ready })),
    [],
  );
  const onHeadline = useCallback(
    (ready: boolean, isEmpty: boolean) => {
      setEmpty(isEmpty);
      report('headline', ready);
    },
    [report],
  );
  const allReady = keys.every((k) => readyKeys[k]);
  return (
    <div className="stack" data-ready={allReady ? 'true' : 'false'} data-testid="dashboard">
      {empty && !agent && <SendFirstEvent />}
      <div className="row" style={{ justifyContent: 'flex-end' }}>
        <RangePicker value={range} onChange={setRange} />
      </div>
      {agent ? <AgentHeadlines agent={agent} onLoaded={onHeadline} /> : <WorkspaceHeadlines onLoaded={onHeadline} />}
      <div className="grid two">
        {CHARTS.map((c) => (
          <SeriesPanel key={c.metric} spec={c} range={range} filter={filter} onReady={report} />
        ))}
      </div>
      <div className="grid three">
        {tops.map((t) => (
          <TopPanel key={t.groupBy} groupBy={t.groupBy} title={t.title} range={range} filter={filter} onReady={report} />
        ))}
      </div>
    </div>
  );
}

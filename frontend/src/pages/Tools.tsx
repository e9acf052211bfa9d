import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTools } from '../api/hooks';
import type { ToolScore } from '../api/types';
import { DataTable, type Column } from '../components/DataTable';
import { Panel } from '../components/Panel';
import { formatCount, formatPercent, formatPercentile } from '../lib/format';
import { utcDay } from '../lib/ranges';

const TOOL_COLUMNS: Column<ToolScore>[] = [
  {
    id: 'name',
    header: 'Tool / operation',
    cell: (t) =>
      t.type === 'tool_call' ? (
        <Link to={`/events?type=tool_call&tool=${encodeURIComponent(t.name)}`}>{t.name}</Link>
      ) : (
        <Link to={`/events?type=service_call`}>{t.name}</Link>
      ),
    sortValue: (t) => t.name,
  },
  { id: 'kind', header: 'Kind', cell: (t) => (t.type === 'tool_call' ? 'tool' : 'service'), sortValue: (t) => t.type },
  { id: 'calls', header: 'Calls', numeric: true, cell: (t) => formatCount(t.calls), sortValue: (t) => t.calls },
  { id: 'errors', header: 'Errors', numeric: true, cell: (t) => formatCount(t.errors), sortValue: (t) => t.errors },
  {
    id: 'error-rate',
    header: 'Error rate',
    numeric: true,
    cell: (t) => <span className={t.error_rate >= 0.05 ? 'badge error' : t.error_rate > 0 ? 'badge warning' : 'badge ok'}>{formatPercent(t.error_rate)}</span>,
    sortValue: (t) => t.error_rate,
  },
  { id: 'p50', header: 'p50', numeric: true, cell: (t) => formatPercentile(t.p50_ms), sortValue: (t) => t.p50_ms },
  { id: 'p95', header: 'p95', numeric: true, cell: (t) => formatPercentile(t.p95_ms), sortValue: (t) => t.p95_ms },
  { id: 'agents', header: 'Agents affected', numeric: true, cell: (t) => formatCount(t.agents_affected), sortValue: (t) => t.agents_affected },
];

const WINDOWS = [
  { days: 1, label: 'Today' },
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
];

export default function Tools() {
  const [days, setDays] = useState(7);
  const params = useMemo(() => {
    const now = new Date();
    return { from: utcDay(new Date(now.getTime() - (days - 1) * 86_400_000)), to: utcDay(now) };
  }, [days]);
  const tools = useTools(params);
  const rows = tools.data ?? [];
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Tools</h1>
          <p>Reliability of the tools and services your agents call, worst first.</p>
        </div>
        <div className="segmented" role="group" aria-label="Time range">
          {WINDOWS.map((w) => (
            <button key={w.days} type="button" aria-pressed={days === w.days} onClick={() => setDays(w.days)}>
              {w.label}
            </button>
          ))}
        </div>
      </div>
      <Panel id="tools" title="Scorecard" hint={`${params.from} – ${params.to}`} loading={tools.isPending} error={tools.error} onRetry={() => tools.refetch()} ready={!!tools.data}>
        <DataTable
          testId="tools-table"
          columns={TOOL_COLUMNS}
          rows={rows}
          rowKey={(t) => `${t.type}:${t.name}`}
          empty={<p className="panel-message">No tool or service calls in this range. Tool calls are events of type tool_call; the SDKs record them.</p>}
        />
      </Panel>
    </div>
  );
}

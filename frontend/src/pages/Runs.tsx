import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { useRuns } from '../api/hooks';
import type { Run } from '../api/types';
import { DataTable, type Column } from '../components/DataTable';
import { AgentName } from '../components/AgentName';
import { Panel } from '../components/Panel';
import { formatUsd, usdToNano } from '../lib/money';
import { formatCount, formatDuration, formatTime, formatTokens } from '../lib/format';

const RUN_COLUMNS: Column<Run>[] = [
  {
    id: 'run',
    header: 'Run',
    className: 'mono truncate',
    cell: (r) => <Link to={`/runs/${encodeURIComponent(r.run_id)}`}>{r.run_id}</Link>,
    sortValue: (r) => r.run_id,
  },
  {
    id: 'agent',
    header: 'Agent',
    cell: (r) => (r.agent_id ? <AgentName id={r.agent_id} /> : '—'),
    sortValue: (r) => r.agent_id,
  },
  { id: 'status', header: 'Status', cell: (r) => <span className={`badge ${r.status}`}>{r.status}</span>, sortValue: (r) => r.status },
  {
    id: 'started',
    header: 'Started',
    cell: (r) => formatTime(r.started_at ?? r.first_event_at),
    sortValue: (r) => Date.parse(r.started_at ?? r.first_event_at),
  },
  { id: 'duration', header: 'Duration', numeric: true, cell: (r) => formatDuration(r.duration_ms), sortValue: (r) => r.duration_ms },
  { id: 'events', header: 'Events', numeric: true, cell: (r) => formatCount(r.events), sortValue: (r) => r.events },
  { id: 'errors', header: 'Errors', numeric: true, cell: (r) => formatCount(r.errors), sortValue: (r) => r.errors },
  {
    id: 'tokens',
    header: 'Tokens',
    numeric: true,
    cell: (r) => formatTokens(r.input_tokens + r.output_tokens),
    sortValue: (r) => r.input_tokens + r.output_tokens,
  },
  {
    id: 'cost',
    header: 'Cost',
    numeric: true,
    cell: (r) => formatUsd(r.cost_usd),
    cellProps: (r) => ({ 'data-exact': r.cost_usd, title: `$${r.cost_usd}` }),
    sortValue: (r) => usdToNano(r.cost_usd),
  },
];

export function RunsTable({ agent, status, title = 'Runs' }: { agent?: string; status?: string; title?: string }) {
  const runs = useRuns({ agent, status });
  const items = useMemo(() => runs.data?.pages.flatMap((p) => p.items) ?? [], [runs.data]);
  return (
    <Panel id="runs" title={title} loading={runs.isPending} error={runs.error} onRetry={() => runs.refetch()} ready={!!runs.data}>
      <DataTable
        testId="runs-table"
        columns={RUN_COLUMNS}
        rows={items}
        rowKey={(r) => r.run_id}
        rowProps={(r) => ({ 'data-run-id': r.run_id })}
        empty={<p className="panel-message">No runs yet. Runs appear when events carry a run_id (the SDKs’ startRun / start_run set it).</p>}
      />
      {runs.hasNextPage && (
        <div className="row" style={{ marginTop: 10 }}>
          <button type="button" onClick={() => runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
            {runs.isFetchingNextPage ? 'Loading…' : 'Load older runs'}
          </button>
        </div>
      )}
    </Panel>
  );
}

export default function Runs() {
  const [agent, setAgent] = useState('');
  const [status, setStatus] = useState('');
  const [applied, setApplied] = useState<{ agent?: string; status?: string }>({});
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Runs</h1>
          <p>One row per agent run: how long it took, what it cost, whether it failed.</p>
        </div>
      </div>
      <form
        className="panel row"
        aria-label="Run filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ agent: agent.trim() || undefined, status: status || undefined });
        }}
      >
        <label>
          Agent
          <input value={agent} onChange={(e) => setAgent(e.target.value)} />
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any</option>
            <option value="running">running</option>
            <option value="ok">ok</option>
            <option value="error">error</option>
          </select>
        </label>
        <button type="submit" className="primary" style={{ alignSelf: 'flex-end' }}>
          Apply
        </button>
      </form>
      <RunsTable agent={applied.agent} status={applied.status} />
    </div>
  );
}

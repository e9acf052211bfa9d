import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useRuns } from '../api/hooks';
import { Panel } from '../components/Panel';
import { formatUsd } from '../lib/money';
import { formatCount, formatDuration, formatTime, formatTokens } from '../lib/format';

export function RunsTable({ agent, status, title = 'Runs' }: { agent?: string; status?: string; title?: string }) {
  const runs = useRuns({ agent, status });
  const items = runs.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Panel id="runs" title={title} loading={runs.isPending} error={runs.error} onRetry={() => runs.refetch()} ready={!!runs.data}>
      {items.length === 0 ? (
        <p className="panel-message">No runs yet. Runs appear when events carry a run_id (the SDKs’ startRun / start_run set it).</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="runs-table">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Agent</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col" className="num">
                  Events
                </th>
                <th scope="col" className="num">
                  Errors
                </th>
                <th scope="col" className="num">
                  Tokens
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.run_id} data-run-id={r.run_id}>
                  <td className="mono truncate">
                    <Link to={`/runs/${encodeURIComponent(r.run_id)}`}>{r.run_id}</Link>
                  </td>
                  <td>{r.agent_id ? <Link to={`/agents/${encodeURIComponent(r.agent_id)}`}>{r.agent_id}</Link> : '—'}</td>
                  <td>
                    <span className={`badge ${r.status}`}>{r.status}</span>
                  </td>
                  <td>{formatTime(r.started_at ?? r.first_event_at)}</td>
                  <td className="num">{formatDuration(r.duration_ms)}</td>
                  <td className="num">{formatCount(r.events)}</td>
                  <td className="num">{formatCount(r.errors)}</td>
                  <td className="num">{formatTokens(r.input_tokens + r.output_tokens)}</td>
                  <td className="num" data-exact={r.cost_usd} title={`$${r.cost_usd}`}>
                    {formatUsd(r.cost_usd)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
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

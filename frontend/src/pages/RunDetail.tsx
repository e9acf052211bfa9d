import { Link, useParams } from 'react-router-dom';
import { useRun } from '../api/hooks';
import { Panel } from '../components/Panel';
import { formatUsd } from '../lib/money';
import { formatCount, formatDuration, formatTime, formatTokens } from '../lib/format';
import { describe } from './Events';

export default function RunDetail() {
  const { runId } = useParams();
  const run = useRun(runId);
  const r = run.data?.run;
  const events = run.data?.events ?? [];
  const start = r ? new Date(r.started_at ?? r.first_event_at).getTime() : 0;
  // the timeline spans from the run's start to the end of its last step
  const end = events.reduce((max, e) => {
    const t = new Date(e.occurred_at).getTime() + (e.type === 'run_end' ? 0 : e.duration_ms ?? 0);
    return Math.max(max, t);
  }, r?.ended_at ? new Date(r.ended_at).getTime() : start + 1);
  const span = Math.max(1, end - start);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <p className="small">
            <Link to="/runs">Runs</Link> / run
          </p>
          <h1 className="mono">{runId}</h1>
          {r && (
            <p>
              {r.agent_id && (
                <>
                  Agent <Link to={`/agents/${encodeURIComponent(r.agent_id)}`}>{r.agent_id}</Link> ·{' '}
                </>
              )}
              <span className={`badge ${r.status}`}>{r.status}</span> · started {formatTime(r.started_at ?? r.first_event_at)}
            </p>
          )}
        </div>
      </div>
      {r && (
        <div className="grid kpis">
          <div className="panel">
            <div className="kpi-label">Duration</div>
            <div className="kpi-value">{formatDuration(r.duration_ms)}</div>
          </div>
          <div className="panel">
            <div className="kpi-label">Events</div>
            <div className="kpi-value">{formatCount(r.events)}</div>
            <div className="kpi-sub">{formatCount(r.errors)} {r.errors === 1 ? 'error' : 'errors'}</div>
          </div>
          <div className="panel">
            <div className="kpi-label">Tokens</div>
            <div className="kpi-value">{formatTokens(r.input_tokens + r.output_tokens)}</div>
            <div className="kpi-sub">
              {formatTokens(r.input_tokens)} in · {formatTokens(r.output_tokens)} out
            </div>
          </div>
          <div className="panel" data-testid="run-cost" data-exact={r.cost_usd}>
            <div className="kpi-label">Cost</div>
            <div className="kpi-value" title={`$${r.cost_usd}`}>
              {formatUsd(r.cost_usd)}
            </div>
          </div>
        </div>
      )}
      <Panel id="timeline" title="Timeline" hint={r ? `${events.length} steps` : undefined} loading={run.isPending} error={run.error} onRetry={() => run.refetch()} ready={!!r}>
        {events.length === 0 ? (
          <p className="panel-message">This run has no events.</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="run-timeline">
              <thead>
                <tr>
                  <th scope="col">Offset</th>
                  <th scope="col">Step</th>
                  <th scope="col" style={{ width: '30%' }}>
                    <span className="visually-hidden">Position in the run</span>
                  </th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col" className="num">
                    Tokens
                  </th>
                  <th scope="col" className="num">
                    Cost
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => {
                  const offset = new Date(e.occurred_at).getTime() - start;
                  const duration = e.type === 'run_end' || e.type === 'run_start' ? 0 : e.duration_ms ?? 0;
                  const left = Math.min(100, Math.max(0, (offset / span) * 100));
                  const width = Math.min(100 - left, (duration / span) * 100);
                  return (
                    <tr key={e.event_id}>
                      <td className="num mono">+{formatDuration(Math.max(0, offset))}</td>
                      <td>
                        <Link to={`/events/${e.event_id}`}>{e.type}</Link> <span className="muted">{describe(e)}</span>
                        {e.error_message && <div className="small" style={{ color: 'var(--crit)' }}>{e.error_message}</div>}
                      </td>
                      <td>
                        <div className="timeline-bar-track" aria-hidden="true">
                          <div className={`timeline-bar ${e.status === 'error' ? 'error' : e.type}`} style={{ left: `${left}%`, width: `${width}%` }} />
                        </div>
                      </td>
                      <td className="num">{e.duration_ms !== null ? formatDuration(e.duration_ms) : '—'}</td>
                      <td className="num">
                        {e.input_tokens !== null || e.output_tokens !== null ? formatTokens((e.input_tokens ?? 0) + (e.output_tokens ?? 0)) : '—'}
                      </td>
                      <td className="num" data-exact={e.cost_usd}>
                        {e.type === 'llm_call' ? formatUsd(e.cost_usd) : '—'}
                      </td>
                      <td>{e.status ? <span className={`badge ${e.status}`}>{e.status}</span> : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </div>
  );
}

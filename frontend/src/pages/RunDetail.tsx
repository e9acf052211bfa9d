import { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useRun } from '../api/hooks';
import type { ObsEvent } from '../api/types';
import { DataTable, type Column } from '../components/DataTable';
import { AgentName } from '../components/AgentName';
import { Panel } from '../components/Panel';
import { formatUsd, usdToNano } from '../lib/money';
import { formatCount, formatDuration, formatTime, formatTokens } from '../lib/format';
import { describe, eventTokens } from './Events';

const offsetMs = (e: ObsEvent, start: number) => new Date(e.occurred_at).getTime() - start;

/** The run's steps, each at its offset from the run's start with a bar as long as it took (`span`: the run's length). */
function timelineColumns(start: number, span: number): Column<ObsEvent>[] {
  return [
    {
      id: 'offset',
      header: 'Offset',
      className: 'num mono',
      cell: (e) => `+${formatDuration(Math.max(0, offsetMs(e, start)))}`,
      sortValue: (e) => offsetMs(e, start),
    },
    {
      id: 'step',
      header: 'Step',
      cell: (e) => (
        <>
          <Link to={`/events/${e.event_id}`}>{e.type}</Link> <span className="muted">{describe(e)}</span>
          {e.error_message && <div className="small" style={{ color: 'var(--crit)' }}>{e.error_message}</div>}
        </>
      ),
      sortValue: (e) => e.type,
    },
    {
      id: 'position',
      header: <span className="visually-hidden">Position in the run</span>,
      headerStyle: { width: '30%' },
      cell: (e) => {
        const offset = offsetMs(e, start);
        const duration = e.type === 'run_end' || e.type === 'run_start' ? 0 : e.duration_ms ?? 0;
        const left = Math.min(100, Math.max(0, (offset / span) * 100));
        const width = Math.min(100 - left, (duration / span) * 100);
        return (
          <div className="timeline-bar-track" aria-hidden="true">
            <div className={`timeline-bar ${e.status === 'error' ? 'error' : e.type}`} style={{ left: `${left}%`, width: `${width}%` }} />
          </div>
        );
      },
    },
    {
      id: 'duration',
      header: 'Duration',
      numeric: true,
      cell: (e) => (e.duration_ms !== null ? formatDuration(e.duration_ms) : '—'),
      sortValue: (e) => e.duration_ms,
    },
    {
      id: 'tokens',
      header: 'Tokens',
      numeric: true,
      cell: (e) => {
        const tokens = eventTokens(e);
        return tokens === null ? '—' : formatTokens(tokens);
      },
      sortValue: eventTokens,
    },
    {
      id: 'cost',
      header: 'Cost',
      numeric: true,
      cellProps: (e) => ({ 'data-exact': e.cost_usd }),
      cell: (e) => (e.type === 'llm_call' ? formatUsd(e.cost_usd) : '—'),
      sortValue: (e) => (e.type === 'llm_call' ? usdToNano(e.cost_usd) : null),
    },
    { id: 'status', header: 'Status', cell: (e) => (e.status ? <span className={`badge ${e.status}`}>{e.status}</span> : '—'), sortValue: (e) => e.status },
  ];
}

export default function RunDetail() {
  const { runId } = useParams();
  const run = useRun(runId);
  const r = run.data?.run;
  const events = run.data?.events ?? [];
  // chat-service's turns carry their conversation in the run_start event's metadata
  const conversationId = events.find((e) => e.type === 'run_start' && typeof e.metadata?.conversation_id === 'string')?.metadata?.conversation_id as
    | string
    | undefined;
  const start = r ? new Date(r.started_at ?? r.first_event_at).getTime() : 0;
  // the timeline spans from the run's start to the end of its last step
  const end = events.reduce((max, e) => {
    const t = new Date(e.occurred_at).getTime() + (e.type === 'run_end' ? 0 : e.duration_ms ?? 0);
    return Math.max(max, t);
  }, r?.ended_at ? new Date(r.ended_at).getTime() : start + 1);
  const span = Math.max(1, end - start);
  const columns = useMemo(() => timelineColumns(start, span), [start, span]);
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
                  Agent <AgentName id={r.agent_id} /> ·{' '}
                </>
              )}
              {conversationId && (
                <>
                  <Link to={`/chat/${encodeURIComponent(conversationId)}`} data-testid="run-conversation">
                    Conversation
                  </Link>{' '}
                  ·{' '}
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
        <DataTable
          testId="run-timeline"
          columns={columns}
          rows={events}
          rowKey={(e) => e.event_id}
          empty={<p className="panel-message">This run has no events.</p>}
        />
      </Panel>
    </div>
  );
}

import { useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useEvents, type EventFilters } from '../api/hooks';
import { Panel } from '../components/Panel';
import { formatUsd } from '../lib/money';
import { formatDuration, formatTime, formatTokens } from '../lib/format';
import type { ObsEvent } from '../api/types';

const FIELDS: Array<keyof EventFilters> = ['type', 'agent', 'status', 'provider', 'model', 'tool', 'run_id', 'from', 'to', 'q'];
const TYPES = ['llm_call', 'tool_call', 'action', 'service_call', 'run_start', 'run_end', 'custom'];

export function describe(e: ObsEvent): string {
  switch (e.type) {
    case 'llm_call':
      return `${e.provider ?? '?'}/${e.model ?? '?'}`;
    case 'tool_call':
      return e.tool_name ?? e.subject ?? 'tool';
    case 'action':
      return `${e.action_kind ?? 'action'} → ${e.action_state ?? '?'}`;
    case 'service_call':
      return `${e.service_name ?? '?'}.${e.service_operation ?? '?'}`;
    default:
      return e.subject ?? '';
  }
}

/** datetime-local value (local time, no zone) ↔ RFC 3339 */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export default function Events() {
  const [params, setParams] = useSearchParams();
  const filters: EventFilters = useMemo(() => {
    const f: EventFilters = {};
    for (const key of FIELDS) {
      const v = params.get(key);
      if (v) f[key] = v;
    }
    return f;
  }, [params]);
  const [draft, setDraft] = useState<EventFilters>(filters);
  const events = useEvents(filters);
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const key of FIELDS) {
      const v = draft[key]?.trim();
      if (v) next.set(key, v);
    }
    setParams(next);
  };
  const set = (key: keyof EventFilters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Events</h1>
          <p>Every LLM call, tool call, action and run boundary, newest first.</p>
        </div>
        <a className="button" href={`/api/obs/export?format=csv&${new URLSearchParams(filters as Record<string, string>)}`}>
          Export CSV
        </a>
      </div>
      <form className="panel" onSubmit={apply} aria-label="Event filters">
        <div className="form-grid">
          <label>
            Type
            <select value={draft.type ?? ''} onChange={set('type')}>
              <option value="">Any</option>
              {TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            Status
            <select value={draft.status ?? ''} onChange={set('status')}>
              <option value="">Any</option>
              <option value="ok">ok</option>
              <option value="error">error</option>
            </select>
          </label>
          <label>
            Agent
            <input value={draft.agent ?? ''} onChange={set('agent')} placeholder="support-bot" />
          </label>
          <label>
            Provider
            <input value={draft.provider ?? ''} onChange={set('provider')} placeholder="openai" />
          </label>
          <label>
            Model
            <input value={draft.model ?? ''} onChange={set('model')} placeholder="gpt-4o" />
          </label>
          <label>
            Tool
            <input value={draft.tool ?? ''} onChange={set('tool')} placeholder="slack.post_message" />
          </label>
          <label>
            Run id
            <input value={draft.run_id ?? ''} onChange={set('run_id')} />
          </label>
          <label>
            From
            <input type="datetime-local" value={toLocalInput(draft.from)} onChange={(e) => setDraft((d) => ({ ...d, from: fromLocalInput(e.target.value) }))} />
          </label>
          <label>
            To
            <input type="datetime-local" value={toLocalInput(draft.to)} onChange={(e) => setDraft((d) => ({ ...d, to: fromLocalInput(e.target.value) }))} />
          </label>
          <label>
            Error text
            <input type="search" value={draft.q ?? ''} onChange={set('q')} placeholder="timeout" />
          </label>
          <div className="row">
            <button type="submit" className="primary">
              Apply
            </button>
            <button
              type="button"
              onClick={() => {
                setDraft({});
                setParams(new URLSearchParams());
              }}
            >
              Clear
            </button>
          </div>
        </div>
      </form>
      <Panel
        id="events"
        title="Events"
        hint={events.data ? `${items.length}${events.hasNextPage ? '+' : ''} shown` : undefined}
        loading={events.isPending}
        error={events.error}
        onRetry={() => events.refetch()}
        ready={!!events.data}
      >
        {items.length === 0 ? (
          <p className="panel-message">
            No events match. {Object.keys(filters).length > 0 ? 'Try fewer filters.' : <Link to="/overview">See how to send one.</Link>}
          </p>
        ) : (
          <div className="table-wrap">
            <table data-testid="events-table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Type</th>
                  <th scope="col">Agent</th>
                  <th scope="col">What</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col" className="num">
                    Tokens
                  </th>
                  <th scope="col" className="num">
                    Cost
                  </th>
                  <th scope="col">Run</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr key={e.event_id} data-event-id={e.event_id}>
                    <td>
                      <Link to={`/events/${e.event_id}`} aria-label={`Event ${e.event_id} at ${formatTime(e.occurred_at)}`}>
                        {formatTime(e.occurred_at)}
                      </Link>
                    </td>
                    <td>{e.type}</td>
                    <td>{e.agent_id ? <Link to={`/agents/${encodeURIComponent(e.agent_id)}`}>{e.agent_id}</Link> : '—'}</td>
                    <td className="truncate" title={e.error_message ?? undefined}>
                      {describe(e)}
                      {e.error_message && <div className="small" style={{ color: 'var(--crit)' }}>{e.error_message}</div>}
                    </td>
                    <td>{e.status ? <span className={`badge ${e.status}`}>{e.status}</span> : '—'}</td>
                    <td className="num">{formatDuration(e.duration_ms)}</td>
                    <td className="num">
                      {e.input_tokens !== null || e.output_tokens !== null ? formatTokens((e.input_tokens ?? 0) + (e.output_tokens ?? 0)) : '—'}
                    </td>
                    <td className="num" data-exact={e.cost_usd} title={`$${e.cost_usd}`}>
                      {e.type === 'llm_call' ? (e.pricing_status === 'unpriced' ? <span className="badge warning">unpriced</span> : formatUsd(e.cost_usd)) : '—'}
                    </td>
                    <td>
                      {e.run_id ? (
                        <Link className="mono" to={`/runs/${encodeURIComponent(e.run_id)}`} title={e.run_id}>
                          {e.run_id.length > 14 ? `${e.run_id.slice(0, 14)}…` : e.run_id}
                        </Link>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {events.hasNextPage && (
          <div className="row" style={{ marginTop: 10 }}>
            <button type="button" onClick={() => events.fetchNextPage()} disabled={events.isFetchingNextPage}>
              {events.isFetchingNextPage ? 'Loading…' : 'Load older events'}
            </button>
          </div>
        )}
      </Panel>
    </div>
  );
}

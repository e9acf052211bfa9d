import { useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useEvents, type EventFilters } from '../api/hooks';
import { DataTable, type Column } from '../components/DataTable';
import { Panel } from '../components/Panel';
import { formatUsd, usdToNano } from '../lib/money';
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

/** Tokens of a call, or null when the event has no token counts. */
export function eventTokens(e: ObsEvent): number | null {
  return e.input_tokens !== null || e.output_tokens !== null ? (e.input_tokens ?? 0) + (e.output_tokens ?? 0) : null;
}

const EVENT_COLUMNS: Column<ObsEvent>[] = [
  {
    id: 'time',
    header: 'Time',
    cell: (e) => (
      <Link to={`/events/${e.event_id}`} aria-label={`Event ${e.event_id} at ${formatTime(e.occurred_at)}`}>
        {formatTime(e.occurred_at)}
      </Link>
    ),
    sortValue: (e) => Date.parse(e.occurred_at),
  },
  { id: 'type', header: 'Type', cell: (e) => e.type, sortValue: (e) => e.type },
  {
    id: 'agent',
    header: 'Agent',
    cell: (e) => (e.agent_id ? <Link to={`/agents/${encodeURIComponent(e.agent_id)}`}>{e.agent_id}</Link> : '—'),
    sortValue: (e) => e.agent_id,
  },
  {
    id: 'what',
    header: 'What',
    className: 'truncate',
    cellProps: (e) => ({ title: e.error_message ?? undefined }),
    cell: (e) => (
      <>
        {describe(e)}
        {e.error_message && <div className="small" style={{ color: 'var(--crit)' }}>{e.error_message}</div>}
      </>
    ),
    sortValue: describe,
  },
  { id: 'status', header: 'Status', cell: (e) => (e.status ? <span className={`badge ${e.status}`}>{e.status}</span> : '—'), sortValue: (e) => e.status },
  { id: 'duration', header: 'Duration', numeric: true, cell: (e) => formatDuration(e.duration_ms), sortValue: (e) => e.duration_ms },
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
    cellProps: (e) => ({ 'data-exact': e.cost_usd, title: `$${e.cost_usd}` }),
    cell: (e) => (e.type === 'llm_call' ? (e.pricing_status === 'unpriced' ? <span className="badge warning">unpriced</span> : formatUsd(e.cost_usd)) : '—'),
    sortValue: (e) => (e.type === 'llm_call' && e.pricing_status !== 'unpriced' ? usdToNano(e.cost_usd) : null),
  },
  {
    id: 'run',
    header: 'Run',
    cell: (e) =>
      e.run_id ? (
        <Link className="mono" to={`/runs/${encodeURIComponent(e.run_id)}`} title={e.run_id}>
          {e.run_id.length > 14 ? `${e.run_id.slice(0, 14)}…` : e.run_id}
        </Link>
      ) : (
        '—'
      ),
    sortValue: (e) => e.run_id,
  },
];

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
  const items = useMemo(() => events.data?.pages.flatMap((p) => p.items) ?? [], [events.data]);

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
        <DataTable
          testId="events-table"
          columns={EVENT_COLUMNS}
          rows={items}
          rowKey={(e) => e.event_id}
          rowProps={(e) => ({ 'data-event-id': e.event_id })}
          empty={
            <p className="panel-message">
              No events match. {Object.keys(filters).length > 0 ? 'Try fewer filters.' : <Link to="/overview">See how to send one.</Link>}
            </p>
          }
        />
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

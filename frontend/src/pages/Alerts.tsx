import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { useAlertEvents, useAlertRules } from '../api/hooks';
import { DataTable, type Column } from '../components/DataTable';
import { Panel } from '../components/Panel';
import { formatTime } from '../lib/format';
import type { AlertChannel, AlertEvent, AlertRule } from '../api/types';

const COMPARATORS: Record<string, string> = { gt: '>', gte: '≥', lt: '<', lte: '≤' };

export function channelLabel(c: AlertChannel): string {
  switch (c.type) {
    case 'slack':
      return `Slack ${c.webhook_url}`;
    case 'email':
      return `Email ${c.to}`;
    default:
      return 'In-app';
  }
}

function worstState(rule: AlertRule): string {
  const order = ['critical', 'warning', 'no_data', 'snoozed', 'ok'];
  const states = rule.states ?? [];
  for (const s of order) if (states.some((st) => st.state === s)) return s;
  return rule.enabled ? 'ok' : 'disabled';
}

/** How bad a rule's state is, for sorting: the worst sorts last ascending, first descending. */
const SEVERITY: Record<string, number> = { disabled: 0, ok: 1, snoozed: 2, no_data: 3, warning: 4, critical: 5 };

const RULE_COLUMNS: Column<AlertRule>[] = [
  {
    id: 'rule',
    header: 'Rule',
    cell: (r) => (
      <>
        <Link to={`/alerts/${r.id}`}>{r.name}</Link>
        {!r.enabled && <span className="badge" style={{ marginLeft: 6 }}>disabled</span>}
        {r.snoozed_until && <span className="badge" style={{ marginLeft: 6 }}>snoozed</span>}
      </>
    ),
    sortValue: (r) => r.name,
  },
  {
    id: 'condition',
    header: 'Condition',
    className: 'small',
    cell: (r) => (
      <>
        {r.metric} over {r.window} {COMPARATORS[r.comparator]} {r.warning_threshold ?? '—'} (warning) / {r.critical_threshold ?? '—'} (critical)
        {r.group_by && ` · per ${r.group_by}`}
      </>
    ),
  },
  {
    id: 'state',
    header: 'State',
    cell: (r) => {
      const state = worstState(r);
      return <span className={`badge ${state}`}>{state}</span>;
    },
    sortValue: (r) => SEVERITY[worstState(r)],
  },
  {
    id: 'channels',
    header: 'Channels',
    cell: (r) =>
      r.channels.map((c, i) => (
        <div key={i} className="small">
          {channelLabel(c)}{' '}
          {c.status && c.status !== 'ok' && (
            <span className={`badge ${c.status}`} title={c.last_error ?? undefined}>
              {c.status}
            </span>
          )}
        </div>
      )),
  },
];

const HISTORY_COLUMNS: Column<AlertEvent>[] = [
  { id: 'when', header: 'When', cell: (e) => formatTime(e.occurred_at), sortValue: (e) => Date.parse(e.occurred_at) },
  {
    id: 'rule',
    header: 'Rule',
    cell: (e) => (
      <>
        <Link to={`/alerts/${e.rule_id}`}>{e.rule_name}</Link>
        {e.group && <span className="muted"> · {e.group}</span>}
      </>
    ),
    sortValue: (e) => e.rule_name,
  },
  {
    id: 'change',
    header: 'Change',
    cell: (e) => (
      <>
        <span className={`badge ${e.from_state}`}>{e.from_state}</span> → <span className={`badge ${e.to_state}`}>{e.to_state}</span>
      </>
    ),
  },
  {
    id: 'value',
    header: 'Value',
    numeric: true,
    cell: (e) => (
      <>
        {e.value ?? '—'} {e.threshold && <span className="muted small">(threshold {e.threshold})</span>}
      </>
    ),
    sortValue: (e) => (e.value === null ? null : Number(e.value)),
  },
  {
    id: 'deliveries',
    header: 'Deliveries',
    className: 'small',
    cell: (e) =>
      e.deliveries.map((d, i) => (
        <div key={i}>
          {d.channel}: <span className={`badge ${d.status === 'delivered' ? 'ok' : d.status}`}>{d.status}</span>
          {d.error && <span className="muted"> {d.error}</span>}
        </div>
      )),
  },
];

export default function Alerts() {
  const rules = useAlertRules();
  const history = useAlertEvents(undefined, 50);
  const events = useMemo(() => history.data?.pages.flatMap((p) => p.events) ?? [], [history.data]);
  const broken = (rules.data ?? []).filter((r) => r.channels.some((c) => c.status === 'broken'));
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Alerts</h1>
          <p>Rules on cost, errors and latency that notify Slack, email or this app.</p>
        </div>
        <Link to="/alerts/new" className="button primary">
          New rule
        </Link>
      </div>
      {broken.length > 0 && (
        <div className="callout danger" role="alert" data-testid="broken-channels">
          <strong>
            {broken.length} rule{broken.length > 1 ? 's have' : ' has'} a broken channel.
          </strong>{' '}
          Notifications are not reaching it: {broken.map((r) => r.name).join(', ')}. Open the rule to see the last error and fix the channel.
        </div>
      )}
      <Panel id="rules" title="Rules" loading={rules.isPending} error={rules.error} onRetry={() => rules.refetch()} ready={!!rules.data}>
        <DataTable
          testId="rules-table"
          columns={RULE_COLUMNS}
          rows={rules.data ?? []}
          rowKey={(r) => r.id}
          rowProps={(r) => ({ 'data-rule-id': r.id })}
          empty={
            <p className="panel-message">
              No rules yet. <Link to="/alerts/new">Create one</Link> — for example “cost today above $20”.
            </p>
          }
        />
      </Panel>
      <Panel id="alert-history" title="History" loading={history.isPending} error={history.error} onRetry={() => history.refetch()} ready={!!history.data}>
        <DataTable
          testId="alert-history"
          columns={HISTORY_COLUMNS}
          rows={events}
          rowKey={(e) => e.id}
          empty={<p className="panel-message">No alert has fired yet.</p>}
        />
        {history.hasNextPage && (
          <button type="button" onClick={() => history.fetchNextPage()} disabled={history.isFetchingNextPage}>
            Load older
          </button>
        )}
      </Panel>
    </div>
  );
}

import { Link } from 'react-router-dom';
import { useAlertEvents, useAlertRules } from '../api/hooks';
import { Panel } from '../components/Panel';
import { formatTime } from '../lib/format';
import type { AlertChannel, AlertRule } from '../api/types';

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

export default function Alerts() {
  const rules = useAlertRules();
  const history = useAlertEvents(undefined, 50);
  const events = history.data?.pages.flatMap((p) => p.events) ?? [];
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
        {rules.data && rules.data.length === 0 ? (
          <p className="panel-message">
            No rules yet. <Link to="/alerts/new">Create one</Link> — for example “cost today above $20”.
          </p>
        ) : (
          <div className="table-wrap">
            <table data-testid="rules-table">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Condition</th>
                  <th scope="col">State</th>
                  <th scope="col">Channels</th>
                </tr>
              </thead>
              <tbody>
                {(rules.data ?? []).map((r) => {
                  const state = worstState(r);
                  return (
                    <tr key={r.id} data-rule-id={r.id}>
                      <td>
                        <Link to={`/alerts/${r.id}`}>{r.name}</Link>
                        {!r.enabled && <span className="badge" style={{ marginLeft: 6 }}>disabled</span>}
                        {r.snoozed_until && <span className="badge" style={{ marginLeft: 6 }}>snoozed</span>}
                      </td>
                      <td className="small">
                        {r.metric} over {r.window} {COMPARATORS[r.comparator]} {r.warning_threshold ?? '—'} (warning) / {r.critical_threshold ?? '—'} (critical)
                        {r.group_by && ` · per ${r.group_by}`}
                      </td>
                      <td>
                        <span className={`badge ${state}`}>{state}</span>
                      </td>
                      <td>
                        {r.channels.map((c, i) => (
                          <div key={i} className="small">
                            {channelLabel(c)}{' '}
                            {c.status && c.status !== 'ok' && (
                              <span className={`badge ${c.status}`} title={c.last_error ?? undefined}>
                                {c.status}
                              </span>
                            )}
                          </div>
                        ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      <Panel id="alert-history" title="History" loading={history.isPending} error={history.error} onRetry={() => history.refetch()} ready={!!history.data}>
        {events.length === 0 ? (
          <p className="panel-message">No alert has fired yet.</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="alert-history">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Change</th>
                  <th scope="col" className="num">
                    Value
                  </th>
                  <th scope="col">Deliveries</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id}>
                    <td>{formatTime(e.occurred_at)}</td>
                    <td>
                      <Link to={`/alerts/${e.rule_id}`}>{e.rule_name}</Link>
                      {e.group && <span className="muted"> · {e.group}</span>}
                    </td>
                    <td>
                      <span className={`badge ${e.from_state}`}>{e.from_state}</span> → <span className={`badge ${e.to_state}`}>{e.to_state}</span>
                    </td>
                    <td className="num">
                      {e.value ?? '—'} {e.threshold && <span className="muted small">(threshold {e.threshold})</span>}
                    </td>
                    <td className="small">
                      {e.deliveries.map((d, i) => (
                        <div key={i}>
                          {d.channel}: <span className={`badge ${d.status === 'delivered' ? 'ok' : d.status}`}>{d.status}</span>
                          {d.error && <span className="muted"> {d.error}</span>}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {history.hasNextPage && (
          <button type="button" onClick={() => history.fetchNextPage()} disabled={history.isFetchingNextPage}>
            Load older
          </button>
        )}
      </Panel>
    </div>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useAlertRule, useDeleteAlertRule, usePreviewAlertRule, useSaveAlertRule, useTestAlertRule } from '../api/hooks';
import { DataTable, type Column } from '../components/DataTable';
import { Panel } from '../components/Panel';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatTime } from '../lib/format';
import type { AlertChannel, AlertRule, AlertRuleDraft, PreviewResult } from '../api/types';

const METRICS: Array<{ value: AlertRuleDraft['metric']; label: string }> = [
  { value: 'cost_usd', label: 'Cost (USD)' },
  { value: 'projected_month_cost_usd', label: 'Projected month cost (USD)' },
  { value: 'tokens', label: 'Tokens' },
  { value: 'calls', label: 'Calls' },
  { value: 'errors', label: 'Errors' },
  { value: 'error_rate', label: 'Error rate (0–1)' },
  { value: 'latency_p95_ms', label: 'p95 latency (ms)' },
  { value: 'no_events', label: 'No events' },
];

type Firing = PreviewResult['firings'][number];

const FIRING_SEVERITY: Record<Firing['state'], number> = { resolved: 0, warning: 1, critical: 2 };
const decimalOrNull = (text: string | null) => (text === null || text === '' ? null : Number(text));

const FIRING_COLUMNS: Column<Firing>[] = [
  { id: 'at', header: 'At', cell: (f) => formatTime(f.at), sortValue: (f) => Date.parse(f.at) },
  { id: 'group', header: 'Group', cell: (f) => f.group || '—', sortValue: (f) => f.group || null },
  {
    id: 'state',
    header: 'State',
    cell: (f) => <span className={`badge ${f.state === 'resolved' ? 'ok' : f.state}`}>{f.state}</span>,
    sortValue: (f) => FIRING_SEVERITY[f.state],
  },
  { id: 'value', header: 'Value', numeric: true, cell: (f) => f.value, sortValue: (f) => decimalOrNull(f.value) },
  { id: 'threshold', header: 'Threshold', numeric: true, cell: (f) => f.threshold, sortValue: (f) => decimalOrNull(f.threshold) },
];

export const EMPTY_DRAFT: AlertRuleDraft = {
  name: '',
  metric: 'cost_usd',
  filters: { agent: null, provider: null, model: null, tool: null, type: null, service: null },
  group_by: null,
  window: 'day',
  comparator: 'gt',
  warning_threshold: null,
  critical_threshold: null,
  min_sample: 0,
  no_data: 'ignore',
  channels: [{ type: 'in_app' }],
  renotify_minutes: 60,
  cooldown_minutes: 5,
  enabled: true,
  snoozed_until: null,
};

/** What the form edits, from a saved rule (server-only fields dropped). */
export function draftOf(rule: AlertRule): AlertRuleDraft {
  const { id: _id, states: _s, created_at: _c, updated_at: _u, ...draft } = rule;
  void _id;
  void _s;
  void _c;
  void _u;
  return { ...EMPTY_DRAFT, ...draft, filters: { ...EMPTY_DRAFT.filters, ...draft.filters } };
}

/** Client-side checks before sending; the server has the final word (its 400 codes are shown too). */
export function validateDraft(d: AlertRuleDraft): string | null {
  if (!d.name.trim()) return 'Give the rule a name.';
  const decimal = /^-?\d+(\.\d+)?$/;
  if (d.metric !== 'no_events' && !d.warning_threshold && !d.critical_threshold) return 'Set a warning or a critical threshold (or both).';
  for (const t of [d.warning_threshold, d.critical_threshold]) if (t && !decimal.test(t)) return `“${t}” is not a number.`;
  if (d.channels.length === 0) return 'Pick at least one channel.';
  for (const c of d.channels) {
    if (c.type === 'email' && !/^[^@\s]+@[^@\s]+$/.test(c.to)) return 'The email channel needs an address.';
    if (c.type === 'slack' && !c.webhook_url.startsWith('https://hooks.slack.com/') && !c.webhook_url.includes('…'))
      return 'A Slack webhook URL starts with https://hooks.slack.com/.';
  }
  return null;
}

/** The draft as sent: empty thresholds and filters become null. */
function normalise(d: AlertRuleDraft): AlertRuleDraft {
  const blank = (v: string | null) => (v && v.trim() ? v.trim() : null);
  return {
    ...d,
    name: d.name.trim(),
    warning_threshold: blank(d.warning_threshold),
    critical_threshold: blank(d.critical_threshold),
    filters: {
      agent: blank(d.filters.agent),
      provider: blank(d.filters.provider),
      model: blank(d.filters.model),
      tool: blank(d.filters.tool),
      type: blank(d.filters.type),
      service: blank(d.filters.service ?? null),
    },
    channels: d.channels.map((c) => {
      // status / last_error are the server's; a masked Slack URL is sent back unchanged (the server keeps the stored one)
      const { status: _st, last_error: _le, ...rest } = c as AlertChannel & { status?: unknown; last_error?: unknown };
      void _st;
      void _le;
      return rest as AlertChannel;
    }),
  };
}

export default function AlertEditor() {
  const { ruleId } = useParams();
  const navigate = useNavigate();
  const existing = useAlertRule(ruleId);
  const save = useSaveAlertRule();
  const remove = useDeleteAlertRule();
  const preview = usePreviewAlertRule();
  const test = useTestAlertRule();
  const [draft, setDraft] = useState<AlertRuleDraft>(EMPTY_DRAFT);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (existing.data) setDraft(draftOf(existing.data));
  }, [existing.data]);

  const set = <K extends keyof AlertRuleDraft>(key: K, value: AlertRuleDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setFilter = (key: keyof AlertRuleDraft['filters'], value: string) => setDraft((d) => ({ ...d, filters: { ...d.filters, [key]: value || null } }));
  const channel = (type: AlertChannel['type']) => draft.channels.find((c) => c.type === type);
  const toggleChannel = (type: AlertChannel['type'], on: boolean) =>
    setDraft((d) => ({
      ...d,
      channels: on
        ? [...d.channels.filter((c) => c.type !== type), type === 'slack' ? { type, webhook_url: '' } : type === 'email' ? { type, to: '' } : { type }]
        : d.channels.filter((c) => c.type !== type),
    }));
  const updateChannel = (type: 'slack' | 'email', value: string) =>
    setDraft((d) => ({
      ...d,
      channels: d.channels.map((c) => (c.type === type ? (type === 'slack' ? { ...c, webhook_url: value } : { ...c, to: value }) : c)),
    }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const invalid = validateDraft(draft);
    setProblem(invalid);
    if (invalid) return;
    save.mutate({ id: ruleId, draft: normalise(draft) }, { onSuccess: (rule) => navigate(`/alerts/${rule.id}`, { replace: true }) });
  };
  const runPreview = () => {
    const invalid = validateDraft({ ...draft, name: draft.name || 'preview' });
    setProblem(invalid);
    if (!invalid) preview.mutate(normalise({ ...draft, name: draft.name || 'preview' }));
  };

  if (ruleId && existing.isPending) return <Panel id="rule" title="Rule" loading />;
  if (ruleId && existing.error) return <Panel id="rule" title="Rule" error={existing.error} onRetry={() => existing.refetch()} />;

  const slack = channel('slack');
  const email = channel('email');
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <p className="small">
            <Link to="/alerts">Alerts</Link> / {ruleId ? 'edit rule' : 'new rule'}
          </p>
          <h1>{ruleId ? draft.name || 'Rule' : 'New alert rule'}</h1>
        </div>
        {ruleId && (
          <div className="row">
            <button type="button" onClick={() => test.mutate(ruleId)} disabled={test.isPending} data-testid="test-rule">
              {test.isPending ? 'Sending…' : 'Send test notification'}
            </button>
            <button type="button" className="danger" onClick={() => remove.mutate(ruleId, { onSuccess: () => navigate('/alerts') })}>
              Delete
            </button>
          </div>
        )}
      </div>
      {existing.data && existing.data.channels.some((c) => c.status === 'broken') && (
        <div className="callout danger" role="alert">
          A channel of this rule is broken:{' '}
          {existing.data.channels
            .filter((c) => c.status === 'broken')
            .map((c) => `${c.type}: ${c.last_error ?? 'unknown error'}`)
            .join('; ')}
        </div>
      )}
      {test.data && (
        <div className="callout" role="status" data-testid="test-results">
          {test.data.results.map((r, i) => (
            <div key={i}>
              {r.channel}: <span className={`badge ${r.status === 'delivered' ? 'ok' : 'failed'}`}>{r.status}</span>
              {r.status_code !== null && ` HTTP ${r.status_code}`}
              {r.latency_ms !== null && ` in ${r.latency_ms} ms`}
              {r.error && ` — ${r.error}`}
            </div>
          ))}
        </div>
      )}
      {test.error && (
        <div className="callout danger" role="alert">
          <ErrorMessage error={test.error} />
        </div>
      )}
      <form className="panel stack" onSubmit={submit} aria-label="Alert rule" noValidate>
        <div className="form-grid">
          <label style={{ gridColumn: 'span 2' }}>
            Name
            <input name="rule-name" value={draft.name} onChange={(e) => set('name', e.target.value)} required placeholder="Daily budget" />
          </label>
          <label>
            Metric
            <select name="metric" value={draft.metric} onChange={(e) => set('metric', e.target.value as AlertRuleDraft['metric'])}>
              {METRICS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Window
            <select name="window" value={draft.window} onChange={(e) => set('window', e.target.value as AlertRuleDraft['window'])}>
              <option value="5m">last 5 minutes</option>
              <option value="15m">last 15 minutes</option>
              <option value="1h">last hour</option>
              <option value="24h">last 24 hours</option>
              <option value="day">today (UTC)</option>
              <option value="month">this month (UTC)</option>
            </select>
          </label>
          <label>
            Comparator
            <select name="comparator" value={draft.comparator} onChange={(e) => set('comparator', e.target.value as AlertRuleDraft['comparator'])}>
              <option value="gt">above (&gt;)</option>
              <option value="gte">at or above (≥)</option>
              <option value="lt">below (&lt;)</option>
              <option value="lte">at or below (≤)</option>
            </select>
          </label>
          <label>
            Warning threshold
            <input name="warning" inputMode="decimal" value={draft.warning_threshold ?? ''} onChange={(e) => set('warning_threshold', e.target.value || null)} placeholder="10.00" />
          </label>
          <label>
            Critical threshold
            <input name="critical" inputMode="decimal" value={draft.critical_threshold ?? ''} onChange={(e) => set('critical_threshold', e.target.value || null)} placeholder="20.00" />
          </label>
          <label>
            Per
            <select value={draft.group_by ?? ''} onChange={(e) => set('group_by', (e.target.value || null) as AlertRuleDraft['group_by'])}>
              <option value="">whole workspace</option>
              <option value="agent">agent</option>
              <option value="model">model</option>
              <option value="provider">provider</option>
              <option value="tool">tool</option>
              <option value="service">outside service</option>
            </select>
          </label>
          <label>
            Minimum sample
            <input type="number" min={0} value={draft.min_sample} onChange={(e) => set('min_sample', Number(e.target.value) || 0)} />
          </label>
          <label>
            When there is no data
            <select value={draft.no_data} onChange={(e) => set('no_data', e.target.value as AlertRuleDraft['no_data'])}>
              <option value="ignore">ignore</option>
              <option value="ok">treat as OK</option>
              <option value="alert">alert</option>
            </select>
          </label>
        </div>
        <fieldset className="stack" style={{ border: '1px solid var(--border)', borderRadius: 8 }}>
          <legend>Only events matching (optional)</legend>
          <div className="form-grid">
            {(['agent', 'provider', 'model', 'tool', 'service', 'type'] as const).map((k) => (
              <label key={k}>
                {k[0].toUpperCase() + k.slice(1)}
                <input value={draft.filters[k] ?? ''} onChange={(e) => setFilter(k, e.target.value)} />
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="stack" style={{ border: '1px solid var(--border)', borderRadius: 8 }}>
          <legend>Notify</legend>
          <label className="inline">
            <input type="checkbox" name="channel-in-app" checked={!!channel('in_app')} onChange={(e) => toggleChannel('in_app', e.target.checked)} /> In this app
            (Notifications)
          </label>
          <label className="inline">
            <input type="checkbox" checked={!!slack} onChange={(e) => toggleChannel('slack', e.target.checked)} /> Slack
          </label>
          {slack && slack.type === 'slack' && (
            <label>
              Slack incoming webhook URL
              <input value={slack.webhook_url} onChange={(e) => updateChannel('slack', e.target.value)} placeholder="https://hooks.slack.com/services/T…/B…/…" />
              {slack.status === 'broken' && <span className="badge broken">broken: {slack.last_error}</span>}
            </label>
          )}
          <label className="inline">
            <input type="checkbox" checked={!!email} onChange={(e) => toggleChannel('email', e.target.checked)} /> Email
          </label>
          {email && email.type === 'email' && (
            <label>
              Email address
              <input type="email" value={email.to} onChange={(e) => updateChannel('email', e.target.value)} />
            </label>
          )}
          <div className="form-grid">
            <label>
              Re-notify every (minutes)
              <input type="number" min={0} value={draft.renotify_minutes} onChange={(e) => set('renotify_minutes', Number(e.target.value) || 0)} />
            </label>
            <label>
              Cool-down (minutes)
              <input type="number" min={0} value={draft.cooldown_minutes} onChange={(e) => set('cooldown_minutes', Number(e.target.value) || 0)} />
            </label>
            <label className="inline">
              <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Enabled
            </label>
          </div>
        </fieldset>
        {(problem || save.error) && (
          <p className="panel-message error" role="alert" data-testid="rule-error">
            {problem ?? <ErrorMessage error={save.error} />}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : ruleId ? 'Save rule' : 'Create rule'}
          </button>
          <button type="button" onClick={runPreview} disabled={preview.isPending}>
            {preview.isPending ? 'Backtesting…' : 'Preview on past data'}
          </button>
        </div>
      </form>
      {(preview.data || preview.error) && (
        <Panel
          id="preview"
          title="Backtest"
          hint={preview.data ? `${formatTime(preview.data.from)} – ${formatTime(preview.data.to)}` : undefined}
          error={preview.error}
          ready={!!preview.data}
        >
          <DataTable
            testId="preview-firings"
            columns={FIRING_COLUMNS}
            rows={preview.data?.firings ?? []}
            rowKey={(_, i) => String(i)}
            wrap={false}
            caption="Times this rule would have fired"
            empty={<p className="panel-message">This rule would not have fired in this period.</p>}
          />
        </Panel>
      )}
    </div>
  );
}

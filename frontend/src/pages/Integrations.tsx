import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useMe, useSaveAlertRule } from '../api/hooks';
import {
  attains,
  providerHealth,
  targetThousandths,
  useAuthorize,
  useConnectCredential,
  useConnections,
  useCredentialProviders,
  useDisconnect,
  useHealthScorecards,
  useIntegrationProviders,
  useIntegrationTools,
  useSetAvailabilityTarget,
  type Connection,
  type CredentialProvider,
  type IntegrationProvider,
  type IntegrationTool,
  type ProviderHealth,
} from '../api/integrations';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel, errorText } from '../components/Panel';
import { EMPTY_DRAFT } from './AlertEditor';
import { formatAgo, formatCount, formatPercentile, formatTime } from '../lib/format';

/** The environment variables that configure a provider (docs/integrations.md, Configuration). */
export function providerEnv(provider: string): [string, string] {
  const key = provider.toUpperCase();
  return [`BEACON_INTEGRATIONS_${key}_CLIENT_ID`, `BEACON_INTEGRATIONS_${key}_CLIENT_SECRET`];
}

/** errorText, plus what an operator does about the codes of the connect and disconnect calls. */
export function integrationErrorText(error: unknown, provider?: string): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'provider_not_configured': {
        const [id, secret] = providerEnv(provider ?? '<PROVIDER>');
        return `This provider is not configured: an operator sets ${id} and ${secret}. (${error.code})`;
      }
      case 'encryption_unconfigured':
        return 'Connections cannot be stored: integrations-service has no encryption keyset (BEACON_INTEGRATIONS_KEYSET is not set). Ask an operator to configure it. (encryption_unconfigured)';
      case 'forbidden_role':
        return 'Viewers cannot connect or disconnect integrations. (forbidden_role)';
      case 'connection_not_found':
        return 'This connection no longer exists; the list has been refreshed. (connection_not_found)';
      case 'invalid_availability_target':
        return 'The target must be a percentage above 0 and at most 100 with at most three decimals, such as 99.5. (invalid_availability_target)';
      case 'credential_refused':
        return `${error.message} Check the key (and, for Binance, its permissions and IP restriction), then connect again. (credential_refused)`;
      case 'invalid_credential':
        return `${error.message} (invalid_credential)`;
      case 'provider_unavailable':
        return `${error.message} Nothing was stored; try again in a moment. (provider_unavailable)`;
    }
  }
  return errorText(error);
}

const STATUS_TEXT: Record<Connection['status'], string> = { ok: 'ok', needs_reauth: 'needs reconnect', error: 'error' };
const STATUS_CLASS: Record<Connection['status'], string> = { ok: 'ok', needs_reauth: 'warning', error: 'error' };

function ProviderCard({ provider, canWrite, connect }: { provider: IntegrationProvider; canWrite: boolean; connect: ReturnType<typeof useAuthorize> }) {
  const [id, secret] = providerEnv(provider.id);
  const pending = connect.isPending && connect.variables === provider.id;
  return (
    <li className="stack" data-provider={provider.id} style={{ borderBottom: '1px solid var(--border)', paddingBottom: 10 }}>
      <div className="row">
        <strong>{provider.display_name}</strong>
        {provider.configured ? <span className="badge ok">configured</span> : <span className="badge">not configured</span>}
        {canWrite && provider.configured && (
          <button type="button" className="primary" onClick={() => connect.mutate(provider.id)} disabled={connect.isPending} aria-label={`Connect ${provider.display_name}`}>
            {pending ? 'Redirecting…' : 'Connect'}
          </button>
        )}
      </div>
      <div className="small muted mono">{provider.scopes.join(' ')}</div>
      {!provider.configured && (
        <p className="small" data-testid={`provider-${provider.id}-unconfigured`}>
          Not configured on this server: an operator sets <code>{id}</code> and <code>{secret}</code>.
        </p>
      )}
    </li>
  );
}

/** How each credential field is labelled in the connect form. */
const FIELD_LABELS: Record<string, string> = { api_key: 'API key', api_secret: 'Secret key', bot_token: 'Bot token' };

/** Where a person gets the credential each credential provider takes (docs/integrations.md). */
const CREDENTIAL_HELP: Record<string, string> = {
  binance:
    'An HMAC API key from Binance’s API Management. Reading the account needs only the default permission; binance.place_order needs “Enable Spot & Margin Trading” (and every order waits for an approval here). Beacon checks the key with a signed account read before it keeps it.',
  telegram: 'A bot token from @BotFather (/newbot). Beacon checks it with getMe; the bot can then write to chats that started it, groups it is in and channels it administers.',
  brave: 'A Brave Search API key (api-dashboard.search.brave.com). Beacon checks it with one search, which counts against its quota.',
};

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

/**
 * A credential provider with its connect form: one password input per field of its credential.
 * What is typed is sent once, to integrations-service, and cleared after a connect; nothing is
 * shown back.
 */
function CredentialProviderCard({
  provider,
  canWrite,
  open,
  setOpen,
  onConnected,
}: {
  provider: CredentialProvider;
  canWrite: boolean;
  open: boolean;
  setOpen: (open: boolean) => void;
  onConnected: (provider: string) => void;
}) {
  const connect = useConnectCredential();
  const empty = () => Object.fromEntries(provider.fields.map((f) => [f, '']));
  const [values, setValues] = useState<Record<string, string>>(empty);
  const [local, setLocal] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const missing = provider.fields.find((f) => values[f].trim() === '');
    if (missing) {
      setLocal(`${fieldLabel(missing)} is required.`);
      return;
    }
    setLocal(null);
    const fields = Object.fromEntries(provider.fields.map((f) => [f, values[f].trim()]));
    connect.mutate(
      { provider: provider.id, fields },
      {
        onSuccess: () => {
          setValues(empty());
          setOpen(false);
          onConnected(provider.id);
        },
      },
    );
  };
  return (
    <li className="stack" data-provider={provider.id} style={{ borderBottom: '1px solid var(--border)', paddingBottom: 10 }}>
      <div className="row">
        <strong>{provider.display_name}</strong>
        <span className="badge">{provider.fields.map(fieldLabel).join(' + ')}</span>
        {canWrite && !open && (
          <button type="button" className="primary" onClick={() => setOpen(true)} aria-label={`Connect ${provider.display_name}`}>
            Connect
          </button>
        )}
      </div>
      {provider.platform_credential && (
        <p className="small" data-testid={`provider-${provider.id}-platform`}>
          Beacon has a key of its own: its tools work for every workspace. Connect your own key to use it instead.
        </p>
      )}
      {canWrite && open && (
        <form className="stack" onSubmit={submit} aria-label={`Connect ${provider.display_name} with a credential`} autoComplete="off">
          <p className="small muted">{CREDENTIAL_HELP[provider.id] ?? ''}</p>
          {provider.fields.map((field, i) => (
            <label key={field} className="small">
              {fieldLabel(field)}{' '}
              <input
                type="password"
                name={field}
                value={values[field]}
                onChange={(e) => setValues({ ...values, [field]: e.target.value })}
                autoComplete="off"
                autoFocus={i === 0}
                spellCheck={false}
                size={40}
                aria-label={`${provider.display_name} ${fieldLabel(field)}`}
              />
            </label>
          ))}
          <span className="row">
            <button type="submit" className="primary" disabled={connect.isPending}>
              {connect.isPending ? 'Checking…' : `Connect ${provider.display_name}`}
            </button>
            <button
              type="button"
              disabled={connect.isPending}
              onClick={() => {
                setValues(empty());
                setLocal(null);
                connect.reset();
                setOpen(false);
              }}
            >
              Cancel
            </button>
          </span>
          {(local || connect.error) && (
            <span className="small" role="alert" style={{ color: 'var(--crit)' }} data-testid={`credential-error-${provider.id}`}>
              {local ?? integrationErrorText(connect.error, provider.id)}
            </span>
          )}
        </form>
      )}
    </li>
  );
}

function DisconnectButton({ connection, label }: { connection: Connection; label: string }) {
  const disconnect = useDisconnect();
  const [confirming, setConfirming] = useState(false);
  return (
    <span className="row">
      {!confirming ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)} aria-label={`Disconnect ${label}`}>
          Disconnect
        </button>
      ) : (
        <>
          <button type="button" className="danger" onClick={() => disconnect.mutate(connection.id)} disabled={disconnect.isPending} aria-label={`Confirm disconnecting ${label}`}>
            {disconnect.isPending ? 'Disconnecting…' : 'Confirm disconnect'}
          </button>
          <button type="button" onClick={() => setConfirming(false)} disabled={disconnect.isPending}>
            Cancel
          </button>
        </>
      )}
      {disconnect.error && (
        <span className="small" role="alert" style={{ color: 'var(--crit)' }}>
          {integrationErrorText(disconnect.error)}
        </span>
      )}
    </span>
  );
}

/**
 * numerator / denominator as a percentage with two decimals, rounded `down` (availability never
 * shows 100.00% with an error) or `up` (an error rate never shows 0.00% with an error).
 */
export function formatShare(numerator: number, denominator: number, round: 'down' | 'up'): string {
  const exact = (numerator * 10_000) / denominator;
  const hundredths = round === 'down' ? Math.floor(exact) : Math.ceil(exact);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}%`;
}

/** The tools a connection brings: its provider's listed tools whose required scopes it granted. */
export function toolsOf(connection: Connection, tools: IntegrationTool[]): IntegrationTool[] {
  if (connection.status !== 'ok') return [];
  return tools.filter((t) => t.integration === connection.provider && (t.required_scopes ?? []).every((scope) => connection.scopes.includes(scope)));
}

function HealthTable({ connection, windows }: { connection: Connection; windows: ReturnType<typeof useHealthScorecards> }) {
  const target = connection.availability_target ?? null;
  return (
    <table className="small" data-testid="health-table">
      <caption className="visually-hidden">Health of {connection.provider} over today, 7 and 30 days</caption>
      <thead>
        <tr>
          <th scope="col">Window</th>
          <th scope="col">Calls</th>
          <th scope="col">Error rate</th>
          <th scope="col">p95</th>
          <th scope="col">Availability</th>
          {target !== null && <th scope="col">Target {target}%</th>}
        </tr>
      </thead>
      <tbody>
        {windows.map(({ window, result }) => {
          if (result.isPending) {
            return (
              <tr key={window.id} data-window={window.id}>
                <th scope="row">{window.label}</th>
                <td colSpan={target !== null ? 5 : 4} className="muted">
                  loading…
                </td>
              </tr>
            );
          }
          if (result.error || !result.data) {
            return (
              <tr key={window.id} data-window={window.id}>
                <th scope="row">{window.label}</th>
                <td colSpan={target !== null ? 5 : 4} role="alert">
                  {integrationErrorText(result.error)}
                </td>
              </tr>
            );
          }
          const health: ProviderHealth = providerHealth(result.data, connection.provider);
          const met = target === null ? null : attains(health, target);
          return (
            <tr key={window.id} data-window={window.id}>
              <th scope="row">{window.label}</th>
              <td data-cell="calls">{formatCount(health.calls)}</td>
              {health.calls === 0 ? (
                <td colSpan={3} className="muted" data-cell="no-calls">
                  no calls
                </td>
              ) : (
                <>
                  <td data-cell="error-rate" title={`${health.errors} of ${health.calls} calls failed`}>
                    {formatShare(health.errors, health.calls, 'up')}
                  </td>
                  <td data-cell="p95" title={health.operations > 1 ? 'the highest p95 of its operations: the provider’s own p95 is at most this' : undefined}>
                    {health.p95Ms === null ? '—' : `${health.operations > 1 ? '≤ ' : ''}${formatPercentile(health.p95Ms)}`}
                  </td>
                  <td data-cell="availability">{formatShare(health.calls - health.errors, health.calls, 'down')}</td>
                </>
              )}
              {target !== null && (
                <td data-cell="attainment">
                  {met === null ? <span className="muted">no calls</span> : met ? <span className="badge ok">met</span> : <span className="badge error">missed</span>}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function TargetForm({ connection, label }: { connection: Connection; label: string }) {
  const save = useSetAvailabilityTarget();
  const [draft, setDraft] = useState(connection.availability_target ?? '');
  const [local, setLocal] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = draft.trim();
    if (targetThousandths(value) === null) {
      setLocal('The target must be a percentage above 0 and at most 100 with at most three decimals, such as 99.5.');
      return;
    }
    setLocal(null);
    save.mutate({ id: connection.id, target: value });
  };
  return (
    <form className="row" onSubmit={submit} aria-label={`Availability target of ${label}`}>
      <label className="small">
        Availability target (%){' '}
        <input value={draft} onChange={(e) => setDraft(e.target.value)} inputMode="decimal" placeholder="99.5" size={8} aria-label={`Availability target of ${label} (%)`} />
      </label>
      <button type="submit" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : 'Save target'}
      </button>
      {connection.availability_target && (
        <button
          type="button"
          disabled={save.isPending}
          onClick={() => {
            setDraft('');
            setLocal(null);
            save.mutate({ id: connection.id, target: null });
          }}
        >
          Clear target
        </button>
      )}
      {(local || save.error) && (
        <span className="small" role="alert" style={{ color: 'var(--crit)' }} data-testid="target-error">
          {local ?? integrationErrorText(save.error)}
        </span>
      )}
    </form>
  );
}

/**
 * The error rate above which an availability target (thousandths of a percent) is missed, as an exact
 * decimal string: 99.5 % → "0.005".
 */
export function errorRateThreshold(targetThousandthsOfPercent: number): string {
  const missing = 100_000 - targetThousandthsOfPercent;
  if (missing <= 0) return '0';
  const digits = String(missing).padStart(5, '0');
  return `0.${digits}`.replace(/0+$/, '');
}

/** One click to an alert rule on this provider's service calls, at the connection's target. */
function TargetAlert({ connection, label }: { connection: Connection; label: string }) {
  const save = useSaveAlertRule();
  const target = connection.availability_target;
  const thousandths = target ? targetThousandths(target) : null;
  if (!target || thousandths === null) return null;
  const create = () =>
    save.mutate({
      draft: {
        ...EMPTY_DRAFT,
        name: `${label}: availability below ${target}%`,
        metric: 'error_rate',
        window: '24h',
        comparator: 'gt',
        critical_threshold: errorRateThreshold(thousandths),
        min_sample: 10,
        filters: { ...EMPTY_DRAFT.filters, service: connection.provider },
        channels: [{ type: 'in_app' }],
      },
    });
  return (
    <div className="row small" data-testid="target-alert">
      {save.data ? (
        <span role="status">
          Alert rule created: <Link to={`/alerts/${encodeURIComponent(save.data.id)}`}>{save.data.name}</Link> (error rate over 24 h above {save.data.critical_threshold}, in-app; add Slack or
          e-mail there).
        </span>
      ) : (
        <button type="button" onClick={create} disabled={save.isPending}>
          {save.isPending ? 'Creating…' : 'Alert me when it misses the target'}
        </button>
      )}
      {save.error && (
        <span role="alert" data-testid="target-alert-error">
          <ErrorMessage error={save.error} />
        </span>
      )}
    </div>
  );
}

function ConnectionHealth({
  connection,
  label,
  statusBadge,
  windows,
  tools,
  toolsReady,
  canWrite,
}: {
  connection: Connection;
  label: string;
  statusBadge: ReactNode;
  windows: ReturnType<typeof useHealthScorecards>;
  tools: IntegrationTool[];
  toolsReady: boolean;
  canWrite: boolean;
}) {
  const brought = toolsOf(connection, tools);
  return (
    <li className="stack" data-testid={`connection-health-${connection.id}`} style={{ borderBottom: '1px solid var(--border)', paddingBottom: 10 }}>
      <div className="row">
        <strong>{label}</strong>
        {statusBadge}
      </div>
      <div className="small" data-testid="last-error">
        Last error:{' '}
        {connection.last_error ? (
          <>
            <span className="mono">{connection.last_error.code}</span> — {connection.last_error.message}{' '}
            <span className="muted" title={connection.last_error.at}>
              ({formatTime(connection.last_error.at)}, {formatAgo(connection.last_error.at)})
            </span>
          </>
        ) : (
          <span className="muted">none</span>
        )}
      </div>
      <HealthTable connection={connection} windows={windows} />
      {canWrite ? (
        <>
          <TargetForm key={connection.availability_target ?? ''} connection={connection} label={label} />
          <TargetAlert key={`alert-${connection.availability_target ?? ''}`} connection={connection} label={label} />
        </>
      ) : (
        <div className="small">Availability target: {connection.availability_target ? `${connection.availability_target}%` : 'none'}</div>
      )}
      <div className="small" data-testid="connection-tools">
        Tools:{' '}
        {!toolsReady ? (
          <span className="muted">loading…</span>
        ) : brought.length > 0 ? (
          brought.map((t, i) => (
            <span key={t.name}>
              {i > 0 && ', '}
              <code>{t.name}</code>
            </span>
          ))
        ) : (
          <span className="muted">{connection.status === 'ok' ? 'none (its granted scopes cover no tool)' : 'none until it is connected again'}</span>
        )}
      </div>
    </li>
  );
}

const toolColumns: ReadonlyArray<Column<IntegrationTool>> = [
  { id: 'name', header: 'Tool', cell: (t) => t.name, className: 'mono', sortValue: (t) => t.name },
  { id: 'integration', header: 'Integration', cell: (t) => t.integration, sortValue: (t) => t.integration },
  { id: 'kind', header: 'Kind', cell: (t) => <span className="badge">{t.kind}</span>, sortValue: (t) => t.kind },
  { id: 'description', header: 'Description', cell: (t) => t.description, className: 'small' },
];

/** What the OAuth callback's refusal codes (docs/integrations.md) mean to the person connecting. */
const CALLBACK_ERRORS: Record<string, string> = {
  authorization_denied: 'access was not granted at the provider. Connect again and allow it.',
  invalid_state: 'the sign-in link expired or was already used. Start again with Connect.',
  invalid_request: 'the provider sent no authorization code. Start again with Connect.',
  token_exchange_failed: 'the provider refused to issue a token. Try again, or check the app registration.',
  provider_not_configured: 'this provider is not configured on this Beacon.',
  encryption_unconfigured: 'this Beacon cannot store tokens yet (no keyset configured).',
};

export default function Integrations() {
  const me = useMe();
  const providers = useIntegrationProviders();
  const credentialProviders = useCredentialProviders();
  const connections = useConnections();
  const tools = useIntegrationTools();
  const scorecards = useHealthScorecards();
  const connect = useAuthorize();
  const [params, setParams] = useSearchParams();
  const canWrite = me.data !== undefined && me.data.role !== 'viewer';
  const [credentialForm, setCredentialForm] = useState<string | null>(null);
  const credentialIds = new Set((credentialProviders.data ?? []).map((p) => p.id));
  const names = new Map([...(providers.data ?? []), ...(credentialProviders.data ?? [])].map((p) => [p.id, p.display_name] as const));
  const nameOf = (id: string) => names.get(id) ?? id;
  const connected = params.get('connected');
  const failed = params.get('error');
  const failedProvider = params.get('provider');

  const labelOf = (c: Connection) => `${nameOf(c.provider)}${c.account ? ` (${c.account})` : ''}`;
  const statusBadge = (c: Connection) => (
    <span className={`badge ${STATUS_CLASS[c.status] ?? ''}`} data-status={c.status}>
      {STATUS_TEXT[c.status] ?? c.status}
    </span>
  );
  const connectionColumns: Column<Connection>[] = [
    { id: 'provider', header: 'Provider', cell: (c) => nameOf(c.provider), sortValue: (c) => nameOf(c.provider) },
    { id: 'account', header: 'Account', cell: (c) => c.account ?? '—', sortValue: (c) => c.account },
    {
      id: 'status',
      header: 'Status',
      cell: statusBadge,
      sortValue: (c) => c.status,
    },
    { id: 'scopes', header: 'Scopes', cell: (c) => c.scopes.join(' '), className: 'mono small' },
    {
      id: 'connected_by',
      header: 'Connected by',
      cell: (c) => (c.connected_by && c.connected_by === me.data?.user.id ? 'you' : (c.connected_by ?? '—')),
      className: 'mono small',
    },
    { id: 'connected_at', header: 'Connected', cell: (c) => formatTime(c.connected_at), sortValue: (c) => c.connected_at, cellProps: (c) => ({ title: c.connected_at }) },
    { id: 'last_used_at', header: 'Last used', cell: (c) => (c.last_used_at ? formatAgo(c.last_used_at) : 'never'), sortValue: (c) => c.last_used_at, cellProps: (c) => ({ title: c.last_used_at ?? '' }) },
    {
      id: 'last_error',
      header: 'Last error',
      cell: (c) => (c.last_error ? `${c.last_error.code}, ${formatAgo(c.last_error.at)}` : 'none'),
      sortValue: (c) => c.last_error?.at ?? null,
      className: 'small',
      cellProps: (c) => ({ title: c.last_error ? `${c.last_error.message} (${c.last_error.at})` : '' }),
    },
  ];
  if (canWrite) {
    connectionColumns.push({
      id: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      cell: (c) => {
        const label = labelOf(c);
        return (
          <span className="row">
            {c.status === 'needs_reauth' && (
              <button
                type="button"
                className="primary"
                // a credential provider is reconnected with a new key in its form, an OAuth one through its consent page
                onClick={() => (credentialIds.has(c.provider) ? setCredentialForm(c.provider) : connect.mutate(c.provider))}
                disabled={connect.isPending}
                aria-label={`Reconnect ${label}`}
              >
                Reconnect
              </button>
            )}
            <DisconnectButton connection={c} label={label} />
          </span>
        );
      },
    });
  }
  const needsReauth = (connections.data ?? []).filter((c) => c.status === 'needs_reauth');

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Integrations</h1>
          <p>
            Connections belong to the workspace: every member and agent of it may use them. Google, Slack, GitHub, Notion, Todoist, Dropbox and Spotify connect through their consent page; Binance, Telegram and Brave Search with a key
            or token pasted here, which Beacon checks with the provider, stores encrypted and never shows again.
          </p>
          <p className="small" data-testid="channels-link">
            Telegram bots and Discord applications that talk to an agent are on the <Link to="/channels">Channels</Link> page.
          </p>
          {me.data?.role === 'viewer' && (
            <p className="small" data-testid="read-only">
              As a viewer you can see the connections but not connect or disconnect them.
            </p>
          )}
        </div>
      </div>
      {connected && (
        <div className="callout" role="status" data-testid="connected-banner">
          <p>
            {nameOf(connected)} is connected. Its connection is listed below.{' '}
            <button
              type="button"
              onClick={() => {
                const next = new URLSearchParams(params);
                next.delete('connected');
                setParams(next, { replace: true });
              }}
            >
              Dismiss
            </button>
          </p>
        </div>
      )}
      {failed && (
        <div className="callout danger" role="alert" data-testid="callback-error">
          <p>
            Connecting {failedProvider ? nameOf(failedProvider) : 'the provider'} did not finish: {CALLBACK_ERRORS[failed] ?? `the callback was refused (${failed}).`}{' '}
            <button
              type="button"
              onClick={() => {
                const next = new URLSearchParams(params);
                next.delete('error');
                next.delete('provider');
                setParams(next, { replace: true });
              }}
            >
              Dismiss
            </button>
          </p>
        </div>
      )}
      {connect.error && (
        <div className="callout danger" role="alert" data-testid="connect-error">
          Connecting {nameOf(String(connect.variables))} failed: {integrationErrorText(connect.error, connect.variables)}
        </div>
      )}
      {needsReauth.length > 0 && (
        <div className="callout warn" role="alert" data-testid="reauth-banner">
          {needsReauth.map((c) => `${nameOf(c.provider)}${c.account ? ` (${c.account})` : ''}`).join(', ')}{' '}
          {needsReauth.length === 1 ? 'needs' : 'need'} to be connected again: the provider no longer accepts the stored grant.
        </div>
      )}
      <Panel id="integration-providers" title="Providers" loading={providers.isPending} error={providers.error} onRetry={() => providers.refetch()} ready={!!providers.data}>
        <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {(providers.data ?? []).map((p) => (
            <ProviderCard key={p.id} provider={p} canWrite={canWrite} connect={connect} />
          ))}
          {(credentialProviders.data ?? []).map((p) => (
            <CredentialProviderCard
              key={p.id}
              provider={p}
              canWrite={canWrite}
              open={credentialForm === p.id}
              setOpen={(open) => setCredentialForm(open ? p.id : null)}
              onConnected={(id) => {
                const next = new URLSearchParams(params);
                next.set('connected', id);
                setParams(next, { replace: true });
              }}
            />
          ))}
        </ul>
        <p className="small muted">
          Register Beacon's redirect URI with each provider: <code>{'<BEACON_PUBLIC_URL>/api/integrations/oauth/<provider>/callback'}</code>.
        </p>
      </Panel>
      <Panel id="integration-connections" title="Connections" loading={connections.isPending} error={connections.error} onRetry={() => connections.refetch()} ready={!!connections.data}>
        <DataTable
          testId="connections-table"
          columns={connectionColumns}
          rows={connections.data ?? []}
          rowKey={(c) => c.id}
          rowProps={(c) => ({ 'data-connection-id': c.id })}
          empty={<p className="muted">No connections yet.{canWrite ? ' Connect a configured provider above.' : ''}</p>}
          caption="Connections of this workspace"
        />
      </Panel>
      <Panel
        id="integration-health"
        title="Health, targets and tools per connection"
        hint="service calls to the provider, from the reliability scorecard"
        loading={connections.isPending}
        error={connections.error}
        onRetry={() => connections.refetch()}
        ready={!!connections.data}
      >
        <p className="small muted">
          Calls, error rate, p95 and availability (calls that did not fail, over all calls) count every call Beacon&apos;s tools made to the provider in whole UTC days up to now — per provider, so two
          connections to one provider show the same numbers. With a target set, one click makes an <Link to="/alerts">alert rule</Link> on the provider&apos;s service calls (its error rate over 24 h above what the target allows).
        </p>
        {(connections.data ?? []).length === 0 ? (
          <p className="muted">No connections yet.</p>
        ) : (
          <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {(connections.data ?? []).map((c) => (
              <ConnectionHealth key={c.id} connection={c} label={labelOf(c)} statusBadge={statusBadge(c)} windows={scorecards} tools={tools.data ?? []} toolsReady={!!tools.data} canWrite={canWrite} />
            ))}
          </ul>
        )}
      </Panel>
      <Panel id="integration-tools" title="Tools" hint="what this workspace's agents can call" loading={tools.isPending} error={tools.error} onRetry={() => tools.refetch()} ready={!!tools.data}>
        <DataTable testId="integration-tools-table" columns={toolColumns} rows={tools.data ?? []} rowKey={(t) => t.name} empty={<p className="muted">No tools.</p>} caption="Tools of this workspace" />
      </Panel>
    </div>
  );
}

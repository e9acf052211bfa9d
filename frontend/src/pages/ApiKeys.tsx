import { useMemo, useState, type FormEvent } from 'react';
import { useApiKeys, useCreateApiKey, useMe, useRevokeApiKey } from '../api/hooks';
import { DataTable, type Column } from '../components/DataTable';
import { Panel, errorText } from '../components/Panel';
import { ErrorMessage } from '../components/ErrorMessage';
import { CopyButton } from '../components/CopyButton';
import { snippets } from '../components/EmptyState';
import { formatAgo, formatTime } from '../lib/format';
import type { ApiKey } from '../api/types';

function NewKey({ created, onDone }: { created: ApiKey; onDone: () => void }) {
  const curl = snippets(window.location.origin, created.secret)['curl'];
  return (
    <div className="callout warn stack" role="status" aria-live="polite" data-testid="new-key">
      <h2>Key “{created.name}” created</h2>
      <p>
        <strong>Copy the secret now.</strong> It is shown only this once; Beacon stores just a hash of it.
      </p>
      <div className="row">
        <code className="secret" data-testid="new-key-secret">
          {created.secret}
        </code>
        <CopyButton text={created.secret ?? ''} label="Copy key" />
      </div>
      <h3>Send a first event with it</h3>
      <pre tabIndex={0}>
        <code>{curl}</code>
      </pre>
      <div className="row">
        <CopyButton text={curl} label="Copy curl" />
        <button type="button" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </div>
  );
}

function RevokeButton({ apiKey }: { apiKey: ApiKey }) {
  const revoke = useRevokeApiKey();
  const [confirming, setConfirming] = useState(false);
  if (apiKey.revoked) return <span className="badge error">revoked</span>;
  if (!confirming) {
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)} aria-label={`Revoke key ${apiKey.name}`}>
        Revoke
      </button>
    );
  }
  return (
    <span className="row">
      <button type="button" className="danger" onClick={() => revoke.mutate(apiKey.id)} disabled={revoke.isPending} aria-label={`Confirm revoking key ${apiKey.name}`}>
        {revoke.isPending ? 'Revoking…' : 'Confirm revoke'}
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {revoke.error && <span role="alert" className="small" style={{ color: 'var(--crit)' }}>{errorText(revoke.error)}</span>}
    </span>
  );
}

const dateOrNull = (iso: string | undefined) => (iso ? Date.parse(iso) : null);

function keyColumns(canWrite: boolean): Column<ApiKey>[] {
  return [
    { id: 'name', header: 'Name', cell: (k) => k.name, sortValue: (k) => k.name },
    { id: 'prefix', header: 'Prefix', className: 'mono', cell: (k) => `${k.prefix}…`, sortValue: (k) => k.prefix },
    { id: 'scopes', header: 'Scopes', cell: (k) => k.scopes.join(', '), sortValue: (k) => k.scopes.join(', ') },
    { id: 'created', header: 'Created', cell: (k) => formatTime(k.created_at), sortValue: (k) => Date.parse(k.created_at) },
    { id: 'last-used', header: 'Last used', cell: (k) => (k.last_used_at ? formatAgo(k.last_used_at) : 'never'), sortValue: (k) => dateOrNull(k.last_used_at) },
    { id: 'expires', header: 'Expires', cell: (k) => (k.expires_at ? formatTime(k.expires_at) : 'never'), sortValue: (k) => dateOrNull(k.expires_at) },
    {
      id: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      cell: (k) => (canWrite ? <RevokeButton apiKey={k} /> : k.revoked ? <span className="badge error">revoked</span> : null),
    },
  ];
}

export default function ApiKeys() {
  const keys = useApiKeys();
  const me = useMe();
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<{ ingest: boolean; read: boolean; tools: boolean }>({ ingest: true, read: false, tools: false });
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<ApiKey | null>(null);
  const canWrite = me.data?.role !== 'viewer';
  const columns = useMemo(() => keyColumns(canWrite), [canWrite]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const chosen = (Object.keys(scopes) as Array<keyof typeof scopes>).filter((s) => scopes[s]);
    create.mutate(
      { name: name.trim(), scopes: chosen, ...(expires ? { expires_at: new Date(`${expires}T23:59:59Z`).toISOString() } : {}) },
      {
        onSuccess: (key) => {
          setCreated(key);
          setName('');
        },
      },
    );
  };

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>API keys</h1>
          <p>Keys let agents send events (ingest), scripts read metrics (read) and outside agents call this workspace's tools over MCP (tools). Each key belongs to this workspace only.</p>
        </div>
      </div>
      {created && <NewKey created={created} onDone={() => setCreated(null)} />}
      {canWrite && (
        <form className="panel stack" onSubmit={submit} aria-labelledby="create-key-title">
          <h2 id="create-key-title">Create a key</h2>
          <div className="form-grid">
            <label>
              Name
              <input name="key-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="prod agents" />
            </label>
            <fieldset className="row" style={{ border: 'none', padding: 0, margin: 0 }}>
              <legend className="kpi-label">Scopes</legend>
              <label className="inline">
                <input type="checkbox" checked={scopes.ingest} onChange={(e) => setScopes((s) => ({ ...s, ingest: e.target.checked }))} /> ingest
              </label>
              <label className="inline">
                <input type="checkbox" checked={scopes.read} onChange={(e) => setScopes((s) => ({ ...s, read: e.target.checked }))} /> read
              </label>
              <label className="inline">
                <input type="checkbox" checked={scopes.tools} onChange={(e) => setScopes((s) => ({ ...s, tools: e.target.checked }))} /> tools
              </label>
            </fieldset>
            <label>
              Expires (optional)
              <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
            </label>
            <div>
              <button type="submit" className="primary" disabled={!name.trim() || create.isPending || (!scopes.ingest && !scopes.read && !scopes.tools)}>
                {create.isPending ? 'Creating…' : 'Create key'}
              </button>
            </div>
          </div>
          {create.error && (
            <p className="panel-message error" role="alert" data-testid="create-key-error">
              <ErrorMessage error={create.error} />
            </p>
          )}
        </form>
      )}
      <Panel id="keys" title="Keys" loading={keys.isPending} error={keys.error} onRetry={() => keys.refetch()} ready={!!keys.data}>
        <DataTable
          testId="keys-table"
          columns={columns}
          rows={keys.data ?? []}
          rowKey={(k) => k.id}
          rowProps={(k) => ({ 'data-key-id': k.id, 'data-key-name': k.name })}
          empty={<p className="panel-message">No keys yet. Create one above to start sending events.</p>}
        />
      </Panel>
    </div>
  );
}

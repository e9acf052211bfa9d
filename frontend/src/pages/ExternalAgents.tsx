/**
 * External agents on the Agents settings page: agents that run outside Beacon and send their own
 * events. Registering one gives its agent_id a name in the obs pages and, optionally, ties it to
 * the API key it sends with. Archived, never deleted, like the workspace's own agents.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useArchiveExternalAgent, useExternalAgents, useSaveExternalAgent, type ExternalAgent, type ExternalAgentDraft } from '../api/chat';
import { DataTable, type Column } from '../components/DataTable';
import { FieldError, fieldErrors } from '../components/FieldError';
import { Panel, errorText } from '../components/Panel';
import { formatAgo } from '../lib/format';

const EMPTY: ExternalAgentDraft = { name: '', agent_id: '', description: '', api_key_id: null };

function ExternalAgentForm({ agent, onDone }: { agent: ExternalAgent | null; onDone: () => void }) {
  const save = useSaveExternalAgent();
  const [draft, setDraft] = useState<ExternalAgentDraft>(
    agent ? { name: agent.name, agent_id: agent.agent_id, description: agent.description ?? '', api_key_id: agent.api_key_id } : EMPTY,
  );
  const errors = fieldErrors(save.error);
  const set = <K extends keyof ExternalAgentDraft>(key: K, value: ExternalAgentDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const keyId = draft.api_key_id?.trim();
    save.mutate(
      { id: agent?.id, draft: { name: draft.name.trim(), agent_id: draft.agent_id.trim(), description: draft.description.trim(), api_key_id: keyId ? keyId : null } },
      { onSuccess: onDone },
    );
  };

  return (
    <form className="panel stack" onSubmit={submit} aria-labelledby="external-agent-form-title">
      <h2 id="external-agent-form-title">{agent ? `Edit external agent “${agent.name}”` : 'Register an external agent'}</h2>
      <div className="form-grid">
        <label>
          Display name
          <input name="external-name" value={draft.name} onChange={(e) => set('name', e.target.value)} required maxLength={100} />
          <FieldError errors={errors} field="name" />
        </label>
        <label>
          Agent id in its events
          <input name="external-agent-id" className="mono" value={draft.agent_id} onChange={(e) => set('agent_id', e.target.value)} required maxLength={200} placeholder="support-bot" />
          <FieldError errors={errors} field="agent_id" />
        </label>
        <label>
          API key id (optional)
          <input name="external-api-key" className="mono" value={draft.api_key_id ?? ''} onChange={(e) => set('api_key_id', e.target.value)} maxLength={100} placeholder="id from API keys: its events get this agent" />
          <FieldError errors={errors} field="api_key_id" />
        </label>
      </div>
      <label>
        Description
        <input name="external-description" value={draft.description} onChange={(e) => set('description', e.target.value)} maxLength={2000} />
        <FieldError errors={errors} field="description" />
      </label>
      <p className="small muted" style={{ margin: 0 }}>
        The agent id is the <span className="mono">agent_id</span> the agent sends in its events; the key id is one of the <Link to="/keys">API keys</Link> it sends them with.
      </p>
      <div className="row">
        <button type="submit" className="primary" disabled={!draft.name.trim() || !draft.agent_id.trim() || save.isPending}>
          {save.isPending ? 'Saving…' : agent ? 'Save external agent' : 'Register agent'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      {save.error && (
        <p className="panel-message error" role="alert">
          {errorText(save.error)}
        </p>
      )}
    </form>
  );
}

function ArchiveExternalButton({ agent }: { agent: ExternalAgent }) {
  const archive = useArchiveExternalAgent();
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)} aria-label={`Archive external agent ${agent.name}`}>
        Archive
      </button>
    );
  }
  return (
    <span className="row">
      <button type="button" className="danger" onClick={() => archive.mutate(agent.id)} disabled={archive.isPending} aria-label={`Confirm archiving external agent ${agent.name}`}>
        {archive.isPending ? 'Archiving…' : 'Confirm archive'}
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {archive.error && <span role="alert" className="small" style={{ color: 'var(--crit)' }}>{errorText(archive.error)}</span>}
    </span>
  );
}

function columns(canWrite: boolean, onEdit: (a: ExternalAgent) => void): Column<ExternalAgent>[] {
  return [
    {
      id: 'name',
      header: 'Name',
      cell: (a) => (
        <>
          <Link to={`/agents/${encodeURIComponent(a.agent_id)}`}>{a.name}</Link> {a.archived && <span className="badge">archived</span>}
          {a.description && <div className="small muted">{a.description}</div>}
        </>
      ),
      sortValue: (a) => a.name,
    },
    { id: 'agent_id', header: 'Agent id', className: 'mono', cell: (a) => a.agent_id, sortValue: (a) => a.agent_id },
    { id: 'key', header: 'API key', className: 'mono', cell: (a) => a.api_key_id ?? '—', sortValue: (a) => a.api_key_id },
    { id: 'updated', header: 'Updated', cell: (a) => formatAgo(a.updated_at), sortValue: (a) => Date.parse(a.updated_at) },
    {
      id: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      cell: (a) =>
        canWrite && !a.archived ? (
          <span className="row">
            <button type="button" onClick={() => onEdit(a)} aria-label={`Edit external agent ${a.name}`}>
              Edit
            </button>
            <ArchiveExternalButton agent={a} />
          </span>
        ) : null,
    },
  ];
}

export function ExternalAgents({ canWrite }: { canWrite: boolean }) {
  const agents = useExternalAgents();
  const [editing, setEditing] = useState<ExternalAgent | 'new' | null>(null);
  const cols = useMemo(() => columns(canWrite, (a) => setEditing(a)), [canWrite]);
  return (
    <>
      {canWrite && editing !== null && (
        <ExternalAgentForm key={editing === 'new' ? 'new' : editing.id} agent={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
      )}
      <Panel
        id="external-agents"
        title="External agents"
        hint="agents outside Beacon that send their own events"
        loading={agents.isPending}
        error={agents.error}
        onRetry={() => agents.refetch()}
        ready={!!agents.data}
        actions={
          canWrite &&
          editing === null && (
            <button type="button" onClick={() => setEditing('new')}>
              Register external agent
            </button>
          )
        }
      >
        <DataTable
          testId="external-agents-table"
          columns={cols}
          rows={agents.data ?? []}
          rowKey={(a) => a.id}
          empty={<p className="panel-message">No external agents registered. Their events still show, under the raw agent id.</p>}
        />
      </Panel>
    </>
  );
}

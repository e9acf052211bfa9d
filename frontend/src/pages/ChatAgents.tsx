import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useMe } from '../api/hooks';
import {
  DEMO_PROVIDER,
  useArchiveAgent,
  useAvailableTools,
  useChatAgents,
  useChatProviders,
  useSaveAgent,
  type AgentDraft,
  type ChatAgent,
} from '../api/chat';
import { DataTable, type Column } from '../components/DataTable';
import { DemoBadge } from '../components/Demo';
import { FieldError, fieldErrors } from '../components/FieldError';
import { Panel, errorText } from '../components/Panel';
import { formatAgo } from '../lib/format';
import { ExternalAgents } from './ExternalAgents';

const EMPTY: AgentDraft = { name: '', description: '', system_prompt: '', provider: 'openai', model: null, temperature: null, max_tokens: null, tools: [] };

function toDraft(a: ChatAgent): AgentDraft {
  return {
    name: a.name,
    description: a.description ?? '',
    system_prompt: a.system_prompt ?? '',
    provider: a.provider,
    model: a.model,
    temperature: a.temperature,
    max_tokens: a.max_tokens,
    tools: a.tools.map((t) => ({ ...t })),
  };
}

function AgentForm({ agent, onDone }: { agent: ChatAgent | null; onDone: () => void }) {
  const providers = useChatProviders();
  const available = useAvailableTools();
  const known = new Map((available.data ?? []).map((t) => [t.name, t]));
  // a write tool picked from the list asks for approval unless the author unticks it
  const named = (i: number, name: string) =>
    set(
      'tools',
      draft.tools.map((t, j) =>
        j === i ? { ...t, name, requires_approval: known.get(name)?.kind === 'write' && t.name !== name ? true : t.requires_approval } : t,
      ),
    );
  const save = useSaveAgent();
  const [draft, setDraft] = useState<AgentDraft>(agent ? toDraft(agent) : EMPTY);
  const errors = fieldErrors(save.error);
  const set = <K extends keyof AgentDraft>(key: K, value: AgentDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const models = providers.data?.find((p) => p.id === draft.provider)?.models ?? [];
  const num = (text: string) => (text.trim() === '' ? null : Number(text));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { id: agent?.id, draft: { ...draft, name: draft.name.trim(), model: draft.model?.trim() ? draft.model.trim() : null } },
      { onSuccess: onDone },
    );
  };

  return (
    <form className="panel stack" onSubmit={submit} aria-labelledby="agent-form-title">
      <h2 id="agent-form-title">{agent ? `Edit agent “${agent.name}”` : 'Create an agent'}</h2>
      <div className="form-grid">
        <label>
          Name
          <input name="agent-name" value={draft.name} onChange={(e) => set('name', e.target.value)} required maxLength={100} />
          <FieldError errors={errors} field="name" />
        </label>
        <label>
          Provider
          <select name="agent-provider" value={draft.provider} onChange={(e) => set('provider', e.target.value)}>
            {(providers.data ?? [{ id: draft.provider, display_name: draft.provider }]).map((p) => (
              <option key={p.id} value={p.id}>
                {p.display_name}
              </option>
            ))}
          </select>
          <FieldError errors={errors} field="provider" />
        </label>
        <label>
          Model
          <input name="agent-model" list="agent-models" value={draft.model ?? ''} onChange={(e) => set('model', e.target.value)} maxLength={200} placeholder="provider's default model" />
          {models.length > 0 && (
            <datalist id="agent-models">
              {models.map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
          )}
          <FieldError errors={errors} field="model" />
        </label>
        <label>
          Temperature
          <input name="agent-temperature" type="number" min={0} max={2} step={0.01} value={draft.temperature ?? ''} onChange={(e) => set('temperature', num(e.target.value))} />
          <FieldError errors={errors} field="temperature" />
        </label>
        <label>
          Max tokens
          <input name="agent-max-tokens" type="number" min={1} max={1000000} step={1} value={draft.max_tokens ?? ''} onChange={(e) => set('max_tokens', num(e.target.value))} />
          <FieldError errors={errors} field="max_tokens" />
        </label>
      </div>
      <label>
        Description
        <input name="agent-description" value={draft.description} onChange={(e) => set('description', e.target.value)} maxLength={2000} />
        <FieldError errors={errors} field="description" />
      </label>
      <label>
        System prompt
        <textarea name="agent-system-prompt" rows={5} value={draft.system_prompt} onChange={(e) => set('system_prompt', e.target.value)} maxLength={50000} />
        <FieldError errors={errors} field="system_prompt" />
      </label>
      <fieldset className="stack">
        <legend className="kpi-label">Tools</legend>
        {draft.tools.map((tool, i) => (
          <div className="row" key={i}>
            <input aria-label={`Tool ${i + 1} name`} list="available-tools" value={tool.name} onChange={(e) => named(i, e.target.value)} maxLength={64} />
            {known.get(tool.name) && (
              <span className="small muted" data-testid={`tool-kind-${i}`}>
                {known.get(tool.name)!.kind} · {known.get(tool.name)!.integration}
              </span>
            )}
            <label className="inline">
              <input type="checkbox" checked={tool.requires_approval} onChange={(e) => set('tools', draft.tools.map((t, j) => (j === i ? { ...t, requires_approval: e.target.checked } : t)))} /> requires approval
            </label>
            <button type="button" onClick={() => set('tools', draft.tools.filter((_, j) => j !== i))} aria-label={`Remove tool ${i + 1}`}>
              Remove
            </button>
            <FieldError errors={errors} field={`tools[${i}].name`} />
          </div>
        ))}
        <FieldError errors={errors} field="tools" />
        <datalist id="available-tools">
          {(available.data ?? []).map((t) => (
            <option key={t.name} value={t.name}>
              {t.description}
            </option>
          ))}
        </datalist>
        <div>
          <button type="button" onClick={() => set('tools', [...draft.tools, { name: '', requires_approval: false }])}>
            Add tool
          </button>
        </div>
      </fieldset>
      <div className="row">
        <button type="submit" className="primary" disabled={!draft.name.trim() || save.isPending}>
          {save.isPending ? 'Saving…' : agent ? 'Save agent' : 'Create agent'}
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

function ArchiveButton({ agent }: { agent: ChatAgent }) {
  const archive = useArchiveAgent();
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)} aria-label={`Archive agent ${agent.name}`}>
        Archive
      </button>
    );
  }
  return (
    <span className="row">
      <button type="button" className="danger" onClick={() => archive.mutate(agent.id)} disabled={archive.isPending} aria-label={`Confirm archiving agent ${agent.name}`}>
        {archive.isPending ? 'Archiving…' : 'Confirm archive'}
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {archive.error && <span role="alert" className="small" style={{ color: 'var(--crit)' }}>{errorText(archive.error)}</span>}
    </span>
  );
}

function columns(canWrite: boolean, onEdit: (a: ChatAgent) => void): Column<ChatAgent>[] {
  return [
    {
      id: 'name',
      header: 'Name',
      cell: (a) => (
        <>
          <Link to={`/agents/${encodeURIComponent(a.id)}`}>{a.name}</Link> {a.archived && <span className="badge">archived</span>}
        </>
      ),
      sortValue: (a) => a.name,
    },
    {
      id: 'provider',
      header: 'Provider',
      cell: (a) => (a.provider === DEMO_PROVIDER ? <>{a.provider} <DemoBadge /></> : a.provider),
      sortValue: (a) => a.provider,
    },
    { id: 'model', header: 'Model', className: 'mono', cell: (a) => a.model ?? 'default', sortValue: (a) => a.model },
    { id: 'tools', header: 'Tools', numeric: true, cell: (a) => a.tools.length, sortValue: (a) => a.tools.length },
    { id: 'updated', header: 'Updated', cell: (a) => formatAgo(a.updated_at), sortValue: (a) => Date.parse(a.updated_at) },
    {
      id: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      cell: (a) =>
        canWrite && !a.archived ? (
          <span className="row">
            <button type="button" onClick={() => onEdit(a)} aria-label={`Edit agent ${a.name}`}>
              Edit
            </button>
            <ArchiveButton agent={a} />
          </span>
        ) : null,
    },
  ];
}

export default function ChatAgents() {
  const me = useMe();
  const [includeArchived, setIncludeArchived] = useState(false);
  const agents = useChatAgents(includeArchived);
  const [editing, setEditing] = useState<ChatAgent | 'new' | null>(null);
  const canWrite = me.data !== undefined && me.data.role !== 'viewer';
  const cols = useMemo(() => columns(canWrite, (a) => setEditing(a)), [canWrite]);

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Agents</h1>
          <p>The workspace's chat agents. An agent's id is the agent_id of its events; agents are archived, never deleted.</p>
          {me.data?.role === 'viewer' && (
            <p className="small" data-testid="read-only">
              As a viewer you can see the agents but not change them.
            </p>
          )}
        </div>
        {canWrite && editing === null && (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            New agent
          </button>
        )}
      </div>
      {canWrite && editing !== null && (
        <AgentForm key={editing === 'new' ? 'new' : editing.id} agent={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
      )}
      <Panel
        id="chat-agents"
        title="Agents"
        loading={agents.isPending}
        error={agents.error}
        onRetry={() => agents.refetch()}
        ready={!!agents.data}
        actions={
          <label className="inline">
            <input type="checkbox" checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} /> show archived
          </label>
        }
      >
        <DataTable testId="chat-agents-table" columns={cols} rows={agents.data ?? []} rowKey={(a) => a.id} empty="No agents yet." />
      </Panel>
      <ExternalAgents canWrite={canWrite} />
    </div>
  );
}

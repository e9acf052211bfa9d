import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useMe } from '../api/hooks';
import { useChatAgents } from '../api/chat';
import { endpointOf, useChannels, useCreateChannel, useDeleteChannel, type Channel, type ChannelKind, type NewChannel } from '../api/channels';
import { CopyButton } from '../components/CopyButton';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorMessage } from '../components/ErrorMessage';
import { FieldError, fieldErrors } from '../components/FieldError';
import { Panel, errorText } from '../components/Panel';
import { formatAgo, formatTime } from '../lib/format';

const KIND_NAME: Record<ChannelKind, string> = { telegram: 'Telegram', discord: 'Discord' };
const STATUS_CLASS: Record<string, string> = { ok: 'ok', error: 'error', waiting: '' };
const STATUS_TEXT: Record<string, string> = { ok: 'ok', error: 'reply failed', waiting: 'no message yet' };

/** errorText, plus what an owner does about the codes of the create and delete calls (docs/integrations.md, Channels). */
export function channelErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'channels_unconfigured':
        return 'Channels cannot relay messages on this server: integrations-service does not know chat-service’s address (BEACON_CHAT_SERVICE_URL). Ask an operator to set it. (channels_unconfigured)';
      case 'encryption_unconfigured':
        return 'A bot token cannot be stored: integrations-service has no encryption keyset (BEACON_INTEGRATIONS_KEYSET). Ask an operator to configure it. (encryption_unconfigured)';
      case 'forbidden_role':
        return 'Only the workspace’s owners and admins create and delete channels. (forbidden_role)';
      case 'channel_not_found':
        return 'This channel no longer exists; the list has been refreshed. (channel_not_found)';
      case 'telegram_unavailable':
      case 'discord_unavailable':
      case 'chat_unavailable':
        return `${error.message} Nothing was created; try again. (${error.code})`;
    }
  }
  return errorText(error);
}

/** The fields the form shows an error beside; another field's error is shown under the form. */
const FORM_FIELDS = ['agent_id', 'application_id', 'public_key', 'bot_token'];

/** A failed call in words: what to do about the channel codes, the shared wording otherwise. */
function ChannelError({ error }: { error: unknown }) {
  const text = channelErrorText(error);
  return text === errorText(error) ? <ErrorMessage error={error} /> : <>{text}</>;
}

function DeleteButton({ channel, label }: { channel: Channel; label: string }) {
  const remove = useDeleteChannel();
  const [confirming, setConfirming] = useState(false);
  return (
    <span className="row">
      {!confirming ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)} aria-label={`Delete ${label}`}>
          Delete
        </button>
      ) : (
        <>
          <button type="button" className="danger" onClick={() => remove.mutate(channel.id)} disabled={remove.isPending} aria-label={`Confirm deleting ${label}`}>
            {remove.isPending ? 'Deleting…' : 'Confirm delete'}
          </button>
          <button type="button" onClick={() => setConfirming(false)} disabled={remove.isPending}>
            Cancel
          </button>
        </>
      )}
      {remove.error && (
        <span className="small" role="alert" style={{ color: 'var(--crit)' }}>
          <ChannelError error={remove.error} />
        </span>
      )}
    </span>
  );
}

/** What to do at the provider with a channel just made: the one step Beacon cannot do itself. */
function Created({ channel, onDone }: { channel: Channel; onDone: () => void }) {
  const url = endpointOf(channel);
  return (
    <div className="callout ok stack" role="status" aria-live="polite" data-testid="channel-created">
      <h2>{KIND_NAME[channel.kind]} channel created</h2>
      {channel.kind === 'telegram' ? (
        <p>Beacon registered this webhook with Telegram. Write to the bot: its messages now reach the agent.</p>
      ) : (
        <p>
          Paste this URL into the application’s <strong>Interactions Endpoint URL</strong> in Discord’s developer portal; Discord checks it with a signed PING at once. Then ask with{' '}
          <code>/ask message: …</code>.
        </p>
      )}
      <div className="row">
        <code className="mono" data-testid="created-endpoint">
          {url}
        </code>
        <CopyButton text={url} label="Copy URL" />
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function CreateForm({ agents, onCreated }: { agents: { id: string; name: string }[]; onCreated: (channel: Channel) => void }) {
  const create = useCreateChannel();
  const [kind, setKind] = useState<ChannelKind>('telegram');
  const [agentId, setAgentId] = useState('');
  const [botToken, setBotToken] = useState('');
  const [applicationId, setApplicationId] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const errors = fieldErrors(create.error);
  const agent = agentId || agents[0]?.id || '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: NewChannel =
      kind === 'telegram'
        ? { kind, agent_id: agent, bot_token: botToken.trim() }
        : {
            kind,
            agent_id: agent,
            application_id: applicationId.trim(),
            public_key: publicKey.trim(),
            ...(botToken.trim() ? { bot_token: botToken.trim() } : {}),
          };
    create.mutate(body, {
      onSuccess: (channel) => {
        // the secrets leave the page with the request: nothing of them stays in its state
        setBotToken('');
        setApplicationId('');
        setPublicKey('');
        onCreated(channel);
      },
    });
  };
  if (agents.length === 0) {
    return (
      <p className="muted" data-testid="no-agents">
        A channel relays to one of the workspace’s chat agents, and it has none yet. <Link to="/settings/agents">Create an agent</Link> first.
      </p>
    );
  }
  return (
    <form className="stack" onSubmit={submit} aria-label="New channel" autoComplete="off">
      <div className="form-grid">
        <label>
          Kind
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as ChannelKind);
              setBotToken('');
              create.reset();
            }}
          >
            <option value="telegram">Telegram bot</option>
            <option value="discord">Discord application</option>
          </select>
        </label>
        <label>
          Agent
          <select value={agent} onChange={(e) => setAgentId(e.target.value)}>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
          <FieldError errors={errors} field="agent_id" />
        </label>
        {kind === 'discord' && (
          <>
            <label>
              Application ID
              <input value={applicationId} onChange={(e) => setApplicationId(e.target.value)} inputMode="numeric" required placeholder="1098765432109876543" />
              <FieldError errors={errors} field="application_id" />
            </label>
            <label>
              Public key
              <input value={publicKey} onChange={(e) => setPublicKey(e.target.value)} required placeholder="64 hex characters" spellCheck={false} />
              <FieldError errors={errors} field="public_key" />
            </label>
          </>
        )}
        <label>
          {kind === 'telegram' ? 'Bot token' : 'Bot token (optional)'}
          <input
            type="password"
            value={botToken}
            onChange={(e) => setBotToken(e.target.value)}
            required={kind === 'telegram'}
            autoComplete="new-password"
            spellCheck={false}
            placeholder={kind === 'telegram' ? '123456789:AA…' : 'registers /ask, posts late answers'}
          />
          <FieldError errors={errors} field="bot_token" />
        </label>
        <div>
          <button type="submit" className="primary" disabled={create.isPending || !agent}>
            {create.isPending ? 'Creating…' : 'Create channel'}
          </button>
        </div>
      </div>
      {kind === 'telegram' ? (
        <p className="small muted">
          Make a bot with <a href="https://t.me/BotFather">@BotFather</a> (<code>/newbot</code>) and paste its token. Beacon registers its webhook with Telegram and keeps the token encrypted; it is never
          shown again.
        </p>
      ) : (
        <p className="small muted">
          From the application in Discord’s developer portal: its Application ID and Public Key. With the bot’s token Beacon registers the <code>/ask</code> command and can post an answer that comes
          more than 15 minutes after the question (an approval decided later); install the app with the <code>bot</code> scope for that. The token is kept encrypted and never shown again.
        </p>
      )}
      {create.error && !FORM_FIELDS.some((field) => errors[field]) && (
        <div className="callout danger" role="alert" data-testid="create-error">
          <ChannelError error={create.error} />
        </div>
      )}
    </form>
  );
}

export default function Channels() {
  const me = useMe();
  const channels = useChannels();
  const agents = useChatAgents(true);
  const [created, setCreated] = useState<Channel | null>(null);
  const manages = me.data?.role === 'owner' || me.data?.role === 'admin';
  const names = new Map((agents.data ?? []).map((a) => [a.id, a.archived ? `${a.name} (archived)` : a.name]));
  const usable = (agents.data ?? []).filter((a) => !a.archived).map((a) => ({ id: a.id, name: a.name }));
  const labelOf = (c: Channel) => `${KIND_NAME[c.kind]} channel to ${names.get(c.agent_id) ?? c.agent_id}`;

  const columns: Column<Channel>[] = [
    { id: 'kind', header: 'Kind', cell: (c) => <span className="badge">{KIND_NAME[c.kind]}</span>, sortValue: (c) => c.kind },
    { id: 'agent', header: 'Agent', cell: (c) => names.get(c.agent_id) ?? <span className="mono small">{c.agent_id}</span>, sortValue: (c) => names.get(c.agent_id) ?? c.agent_id },
    {
      id: 'status',
      header: 'Status',
      cell: (c) => (
        <span className={`badge ${STATUS_CLASS[c.status ?? 'waiting'] ?? ''}`} data-status={c.status ?? 'waiting'}>
          {STATUS_TEXT[c.status ?? 'waiting'] ?? c.status}
        </span>
      ),
      sortValue: (c) => c.status,
    },
    {
      id: 'last_message',
      header: 'Last message',
      cell: (c) => (c.last_message_at ? formatAgo(c.last_message_at) : 'never'),
      sortValue: (c) => c.last_message_at ?? null,
      cellProps: (c) => ({ title: c.last_message_at ? formatTime(c.last_message_at) : '' }),
    },
    {
      id: 'last_error',
      header: 'Last relay error',
      cell: (c) =>
        c.last_error ? (
          <span data-testid="channel-last-error">
            {c.last_error.message} <span className="muted">({formatAgo(c.last_error.at)})</span>
          </span>
        ) : (
          <span className="muted">none</span>
        ),
      className: 'small',
      cellProps: (c) => ({ title: c.last_error ? formatTime(c.last_error.at) : '' }),
    },
    {
      id: 'endpoint',
      header: 'URL at the provider',
      cell: (c) => (
        <span className="stack" style={{ gap: 4 }}>
          <span className="small muted">{c.kind === 'telegram' ? 'webhook (registered by Beacon)' : 'Interactions Endpoint URL (paste in the portal)'}</span>
          <span className="row">
            <code className="mono small" data-testid="channel-endpoint" style={{ wordBreak: 'break-all', maxWidth: '34ch' }}>
              {endpointOf(c)}
            </code>
            <CopyButton text={endpointOf(c)} label="Copy URL" />
          </span>
        </span>
      ),
    },
    {
      id: 'credentials',
      header: 'Bot',
      cell: (c) => (
        <span className="small">
          {c.application_id && (
            <>
              app <span className="mono">{c.application_id}</span>
              <br />
            </>
          )}
          token <span className="mono">{c.bot_token ?? 'none'}</span>
        </span>
      ),
    },
    { id: 'created', header: 'Created', cell: (c) => formatAgo(c.created_at), sortValue: (c) => c.created_at, cellProps: (c) => ({ title: formatTime(c.created_at) }) },
  ];
  if (manages) {
    columns.push({ id: 'actions', header: <span className="visually-hidden">Actions</span>, cell: (c) => <DeleteButton channel={c} label={labelOf(c)} /> });
  }

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Channels</h1>
          <p>
            A channel relays a Telegram bot’s or a Discord application’s messages to one of the workspace’s agents and sends its answers back — also the answer after an{' '}
            <Link to="/approvals">approval</Link> is decided. Each chat is a conversation in <Link to="/chat">Chat</Link>. See also <Link to="/integrations">Integrations</Link>.
          </p>
          {!manages && me.data && (
            <p className="small" data-testid="read-only">
              Owners and admins create and delete channels; you can see them.
            </p>
          )}
        </div>
      </div>
      {created && <Created channel={created} onDone={() => setCreated(null)} />}
      {manages && (
        <Panel id="channel-create" title="New channel" loading={agents.isPending} error={agents.error} onRetry={() => agents.refetch()} ready={!!agents.data}>
          <CreateForm agents={usable} onCreated={setCreated} />
        </Panel>
      )}
      <Panel id="channels" title="Channels" loading={channels.isPending} error={channels.error} onRetry={() => channels.refetch()} ready={!!channels.data}>
        <DataTable
          testId="channels-table"
          columns={columns}
          rows={channels.data ?? []}
          rowKey={(c) => c.id}
          rowProps={(c) => ({ 'data-channel-id': c.id })}
          empty={<p className="muted">No channels yet.{manages ? ' Create one above.' : ''}</p>}
          caption="Channels of this workspace"
        />
      </Panel>
    </div>
  );
}

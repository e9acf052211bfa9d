/**
 * Chat with the workspace's agents: pick an agent, open or start a conversation, send a message
 * and watch the turn arrive (text, tool calls, approvals, errors) on the POST's event stream.
 * After an approval the page follows the turn's continuation on the conversation's stream.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, NavLink, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { useMe } from '../api/hooks';
import { ApiError } from '../api/client';
import {
  DEMO_AGENT,
  DEMO_PROVIDER,
  followConversation,
  isDemoTool,
  sendMessage,
  useChatAgents,
  useChatProviders,
  useConversation,
  useConversations,
  useCreateConversation,
  useSaveAgent,
  type Approval,
  type ChatAgent,
  type ConversationDetail,
  type Message,
  type ToolCall,
  type TurnEvent,
} from '../api/chat';
import { ApprovalDecision, ApprovalOutcome } from '../components/ApprovalDecision';
import { DemoBadge } from '../components/Demo';
import { Markdown } from '../components/Markdown';
import { Panel, errorText } from '../components/Panel';
import { applyTurnEvent, emptyTurn, groupByRun, mergeApprovals, mergeMessages, unstoredErrors, type LiveTurn, type TurnError } from '../lib/chatTurn';
import { formatAgo, formatTime, formatTokens } from '../lib/format';

const MAX_MESSAGE = 32_000;

const STATE_TEXT = { idle: 'idle', running: 'answering', awaiting_approval: 'awaiting approval' } as const;

function StateBadge({ state }: { state: keyof typeof STATE_TEXT }) {
  if (state === 'idle') return null;
  return <span className={`badge ${state === 'running' ? 'running' : 'pending'}`}>{STATE_TEXT[state]}</span>;
}

function NoAgents({ canWrite }: { canWrite: boolean }) {
  const providers = useChatProviders();
  const save = useSaveAgent();
  const hasDemo = providers.data?.some((p) => p.id === DEMO_PROVIDER) ?? false;
  return (
    <section className="panel stack" aria-labelledby="no-agents-title" data-empty-state="true">
      <h2 id="no-agents-title">No agents yet</h2>
      <p className="muted">
        A conversation is with an agent: its model, system prompt and tools. <Link to="/settings/agents">Create an agent</Link> first.
      </p>
      {canWrite && hasDemo && (
        <div className="callout stack">
          <p style={{ margin: 0 }}>
            This stack has the demo provider <DemoBadge />: a local script that answers in a model’s wire format, with a read tool and an
            email tool that waits for approval. It costs nothing and needs no API key.
          </p>
          <div className="row">
            <button type="button" className="primary" onClick={() => save.mutate({ draft: DEMO_AGENT })} disabled={save.isPending}>
              {save.isPending ? 'Creating…' : 'Create the demo agent'}
            </button>
          </div>
          {save.error && (
            <p className="panel-message error" role="alert">
              {errorText(save.error)}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function argumentsText(args: unknown): string {
  if (typeof args === 'string') {
    try {
      return JSON.stringify(JSON.parse(args), null, 2);
    } catch {
      return args;
    }
  }
  return JSON.stringify(args ?? {}, null, 2);
}

/** A tool's result, indented when it is JSON. */
function resultText(content: string): string {
  const trimmed = content.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return content;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return content;
  }
}

function ToolCallView({
  call,
  result,
  approval,
  canWrite,
  onDecided,
}: {
  call: ToolCall;
  result: Message | undefined;
  approval: Approval | undefined;
  canWrite: boolean;
  onDecided: () => void;
}) {
  // the stored tool message is the last word; before it, the approval's state or "running"
  const decidedAgainst = approval && ['rejected', 'expired', 'failed'].includes(approval.state);
  const status = result?.status ?? (approval?.state === 'pending' ? 'awaiting approval' : decidedAgainst ? approval!.state : 'running');
  const badge = status === 'ok' ? 'ok' : status === 'running' ? 'running' : status === 'awaiting approval' ? 'pending' : 'error';
  return (
    <div className="tool-call" data-testid={`tool-call-${call.id}`}>
      <div className="row">
        <span className="kpi-label">Tool</span> <span className="mono">{call.name}</span> {isDemoTool(call.name) && <DemoBadge />}
        <span className={`badge ${badge}`} data-testid="tool-status">
          {status}
        </span>
      </div>
      <pre>{argumentsText(call.arguments)}</pre>
      {approval?.state === 'pending' && (
        <div className="stack" data-testid={`approval-${approval.id}`}>
          <p className="small" style={{ margin: 0 }}>
            Waiting for approval · expires {formatTime(approval.expires_at)}
          </p>
          {canWrite && <ApprovalDecision approval={approval} onDecided={onDecided} />}
        </div>
      )}
      {approval && approval.state !== 'pending' && <ApprovalOutcome approval={approval} />}
      {result && (
        <div className="small">
          <span className="kpi-label">Result</span>
          <pre>{resultText(result.content)}</pre>
        </div>
      )}
    </div>
  );
}

function UsageLine({ m }: { m: Message }) {
  if (!m.usage && !m.model) return null;
  const demo = m.provider === DEMO_PROVIDER;
  return (
    <p className="small muted chat-usage" data-testid={`usage-${m.id}`}>
      {m.usage && (
        <>
          {formatTokens(m.usage.input_tokens)} in · {formatTokens(m.usage.output_tokens)} out tokens
          {m.usage.cached_input_tokens > 0 && ` · ${formatTokens(m.usage.cached_input_tokens)} cached`}
          {m.usage.reasoning_tokens > 0 && ` · ${formatTokens(m.usage.reasoning_tokens)} reasoning`}
        </>
      )}
      {m.model && (
        <>
          {' '}
          · {m.provider} {m.model}
        </>
      )}
      {demo && (
        <>
          {' '}
          <DemoBadge />
        </>
      )}
    </p>
  );
}

function ErrorNote({ error }: { error: { code: string; message: string } }) {
  return (
    <div className="callout danger" role="alert" data-testid="turn-error">
      <strong>The turn failed.</strong> {error.message} <span className="mono small">({error.code})</span>
      {error.code === 'hosted_credits_exhausted' && (
        <>
          {' '}
          <Link to="/billing" data-testid="turn-error-billing">Buy credits</Link>
          {' · '}
          <Link to="/settings/providers">Add your own API key</Link>
        </>
      )}
    </div>
  );
}

function Transcript({
  messages,
  approvals,
  live,
  errors,
  canWrite,
  onDecided,
}: {
  messages: Message[];
  approvals: Approval[];
  live: LiveTurn | null;
  errors: TurnError[];
  canWrite: boolean;
  onDecided: () => void;
}) {
  const results = new Map(messages.filter((m) => m.role === 'tool' && m.tool_call_id).map((m) => [m.tool_call_id!, m]));
  const calls = new Set(messages.flatMap((m) => m.tool_calls.map((c) => c.id)));
  const byCall = new Map(approvals.map((a) => [a.tool_call_id, a]));
  const running = live?.running ?? {};
  const groups = groupByRun(messages);
  const shownErrors = unstoredErrors(errors, messages);
  const strayRunning = Object.entries(running).filter(([id]) => !calls.has(id));

  if (messages.length === 0 && !live) return <p className="panel-message">No messages yet. Say what you need below.</p>;

  return (
    <div className="chat-transcript">
      {groups.map((g, i) => (
        <div className="chat-turn" key={`${g.runId}-${i}`} data-testid="chat-turn">
          {g.runId && (
            <p className="small muted chat-turn-head">
              <Link to={`/runs/${encodeURIComponent(g.runId)}`} title={`Run ${g.runId}`}>
                Run {g.runId.slice(0, 8)}
              </Link>{' '}
              · {formatTime(g.messages[0].created_at)}
            </p>
          )}
          {g.messages.map((m) => {
            if (m.role === 'user') {
              return (
                <div key={m.id} className="chat-msg user" data-testid={`message-${m.id}`}>
                  <div className="chat-role">You</div>
                  <div className="chat-text">{m.content}</div>
                </div>
              );
            }
            if (m.role === 'tool') {
              if (m.tool_call_id && calls.has(m.tool_call_id)) return null;
              return (
                <ToolCallView
                  key={m.id}
                  call={{ id: m.tool_call_id ?? m.id, name: m.tool_name ?? 'tool', arguments: {} }}
                  result={m}
                  approval={undefined}
                  canWrite={canWrite}
                  onDecided={onDecided}
                />
              );
            }
            return (
              <div key={m.id} className="chat-msg assistant" data-testid={`message-${m.id}`}>
                <div className="chat-role">Agent</div>
                {m.content && <Markdown text={m.content} />}
                {m.tool_calls.map((c) => (
                  <ToolCallView
                    key={c.id}
                    call={c}
                    result={results.get(c.id)}
                    approval={byCall.get(c.id)}
                    canWrite={canWrite}
                    onDecided={onDecided}
                  />
                ))}
                {m.error && <ErrorNote error={m.error} />}
                <UsageLine m={m} />
              </div>
            );
          })}
        </div>
      ))}
      {strayRunning.map(([id, c]) => (
        <ToolCallView key={id} call={{ id, name: c.name, arguments: c.arguments }} result={undefined} approval={byCall.get(id)} canWrite={canWrite} onDecided={onDecided} />
      ))}
      {live && !live.done && (
        <div className="chat-msg assistant streaming" aria-live="polite" data-testid="streaming">
          <div className="chat-role">Agent</div>
          {live.draft ? <Markdown text={live.draft} /> : <p className="muted small">Thinking…</p>}
        </div>
      )}
      {shownErrors.map((e, i) => (
        <ErrorNote key={`${e.code}-${i}`} error={e} />
      ))}
    </div>
  );
}

type Start = (onEvent: (e: TurnEvent) => void, signal: AbortSignal) => Promise<void>;

function ConversationView({ id, agent, canWrite }: { id: string; agent: ChatAgent | undefined; canWrite: boolean }) {
  const detail = useConversation(id);
  const client = useQueryClient();
  const [live, setLive] = useState<LiveTurn | null>(null);
  const [errors, setErrors] = useState<TurnError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [text, setText] = useState('');
  const controller = useRef<AbortController | null>(null);
  const followed = useRef<string | null>(null);

  useEffect(() => () => controller.current?.abort(), []);

  const run = useCallback(
    async (start: Start, onFailure?: () => void) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      setFailure(null);
      setLive(emptyTurn());
      let turn = emptyTurn();
      try {
        await start((e) => {
          turn = applyTurnEvent(turn, e);
          setLive(turn);
        }, current.signal);
      } catch (e) {
        if (current.signal.aborted) return;
        setFailure(e);
        onFailure?.();
      }
      if (current.signal.aborted) return;
      if (turn.errors.length > 0) setErrors((prev) => [...prev, ...turn.errors]);
      await client.invalidateQueries({ queryKey: ['chat', 'conversation', id] });
      void client.invalidateQueries({ queryKey: ['chat', 'conversations'] });
      void client.invalidateQueries({ queryKey: ['chat', 'approvals'] });
      if (!current.signal.aborted) setLive(null);
    },
    [client, id],
  );

  const follow = useCallback(() => void run((onEvent, signal) => followConversation(id, onEvent, signal)), [run, id]);

  // a turn that runs when the page opens (another tab, a reload) is followed once
  const state = detail.data?.conversation.state;
  const updatedAt = detail.data?.conversation.updated_at;
  useEffect(() => {
    if (state === 'running' && !live && followed.current !== updatedAt) {
      followed.current = updatedAt ?? null;
      follow();
    }
  }, [state, updatedAt, live, follow]);

  const data: ConversationDetail | undefined = detail.data;
  const messages = mergeMessages(data?.messages ?? [], live?.messages ?? []);
  const approvals = mergeApprovals(data?.approvals ?? [], live?.approvals ?? []);
  const pending = approvals.some((a) => a.state === 'pending');
  const streaming = live !== null && live.done === null;
  const busy = streaming || pending || (state !== undefined && state !== 'idle');
  const conversation = data?.conversation;

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const content = text.trim();
    if (!content || busy) return;
    setText('');
    void run(
      (onEvent, signal) => sendMessage(id, content, onEvent, signal),
      () => setText((t) => t || content),
    );
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <Panel
      id="conversation"
      className="chat-conversation"
      title={conversation ? conversation.title || 'New conversation' : 'Conversation'}
      hint={
        conversation && (
          <>
            {conversation.agent_name} {agent?.provider === DEMO_PROVIDER && <DemoBadge />} · started {formatAgo(conversation.created_at)}
          </>
        )
      }
      actions={conversation && <StateBadge state={streaming ? 'running' : conversation.state} />}
      loading={detail.isPending}
      error={detail.error}
      onRetry={() => detail.refetch()}
      ready={!!data}
    >
      <Transcript messages={messages} approvals={approvals} live={live} errors={errors} canWrite={canWrite} onDecided={follow} />
      {failure !== null && (
        <p className="panel-message error" role="alert">
          {failure instanceof ApiError && failure.code === 'turn_in_progress'
            ? 'The agent is still working on the last message, or waits for an approval.'
            : errorText(failure)}
        </p>
      )}
      {canWrite && (
        <form className="chat-composer stack" onSubmit={submit} aria-label="Send a message">
          <label>
            Message
            <textarea
              name="message"
              rows={3}
              maxLength={MAX_MESSAGE}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={onKeyDown}
              disabled={busy}
              placeholder={busy ? '' : 'Ask the agent… (Enter sends, Shift+Enter for a new line)'}
            />
          </label>
          <div className="row">
            <button type="submit" className="primary" disabled={busy || !text.trim()}>
              Send
            </button>
            {busy && (
              <span className="small muted" data-testid="composer-busy">
                {pending ? 'Waiting for an approval before the agent goes on.' : 'The agent is answering…'}
              </span>
            )}
          </div>
        </form>
      )}
    </Panel>
  );
}

function ConversationList({ agentId, active }: { agentId: string; active: string | undefined }) {
  const conversations = useConversations(agentId || undefined);
  const items = conversations.data?.pages.flatMap((p) => p.conversations);
  const search = agentId ? `?agent=${encodeURIComponent(agentId)}` : '';
  return (
    <Panel id="conversations" title="Conversations" loading={conversations.isPending} error={conversations.error} onRetry={() => conversations.refetch()} ready={!!conversations.data}>
      {items?.length === 0 ? (
        <p className="panel-message">No conversations yet.</p>
      ) : (
        <ul className="chat-list" data-testid="conversation-list">
          {items?.map((c) => (
            <li key={c.id}>
              <NavLink to={`/chat/${encodeURIComponent(c.id)}${search}`} aria-current={c.id === active ? 'page' : undefined}>
                <span className="chat-list-title">{c.title || 'New conversation'}</span>
                <span className="small muted">
                  {c.agent_name} · {formatAgo(c.updated_at)} <StateBadge state={c.state} />
                </span>
              </NavLink>
            </li>
          ))}
        </ul>
      )}
      {conversations.hasNextPage && (
        <button type="button" onClick={() => conversations.fetchNextPage()} disabled={conversations.isFetchingNextPage}>
          Load older
        </button>
      )}
    </Panel>
  );
}

export default function Chat() {
  const { conversationId } = useParams();
  const navigate = useNavigate();
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.role !== 'viewer';
  const agents = useChatAgents(false);
  const create = useCreateConversation();
  const [params, setParams] = useSearchParams();
  const active = (agents.data ?? []).filter((a) => !a.archived);
  const wanted = params.get('agent') ?? '';
  const agentId = active.some((a) => a.id === wanted) ? wanted : active.length === 1 ? active[0].id : '';
  const conversationAgent = useConversation(conversationId).data?.conversation.agent_id;
  const agentOf = (id: string | undefined) => (agents.data ?? []).find((a) => a.id === id);

  const pick = (id: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id) next.set('agent', id);
        else next.delete('agent');
        return next;
      },
      { replace: true },
    );

  const start = () =>
    create.mutate(agentId, {
      onSuccess: (c) => navigate(`/chat/${encodeURIComponent(c.id)}?agent=${encodeURIComponent(c.agent_id)}`),
    });

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Chat</h1>
          <p>Talk to the workspace’s agents. Each turn is a run in the observability pages, with its cost and tool calls.</p>
          {me.data?.role === 'viewer' && (
            <p className="small" data-testid="read-only">
              As a viewer you can read the conversations but not send messages or decide approvals.
            </p>
          )}
        </div>
      </div>
      {agents.error ? (
        <Panel id="chat-agents" title="Agents" error={agents.error} onRetry={() => agents.refetch()} />
      ) : agents.data && active.length === 0 && !conversationId ? (
        <NoAgents canWrite={canWrite} />
      ) : (
        <div className="chat-layout">
          <div className="stack">
            <section className="panel stack" aria-label="Agent and new conversation">
              <label>
                Agent
                <select name="agent" value={agentId} onChange={(e) => pick(e.target.value)} disabled={!agents.data}>
                  <option value="">All agents</option>
                  {active.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.provider === DEMO_PROVIDER ? `${a.name} (demo: local script, not a model)` : a.name}
                    </option>
                  ))}
                </select>
              </label>
              {canWrite && (
                <div className="row">
                  <button type="button" className="primary" onClick={start} disabled={!agentId || create.isPending}>
                    {create.isPending ? 'Starting…' : 'New conversation'}
                  </button>
                  {!agentId && <span className="small muted">Pick an agent to start one.</span>}
                </div>
              )}
              {create.error && (
                <p className="panel-message error" role="alert">
                  {errorText(create.error)}
                </p>
              )}
            </section>
            <ConversationList agentId={agentId} active={conversationId} />
          </div>
          {conversationId ? (
            <ConversationView key={conversationId} id={conversationId} agent={agentOf(conversationAgent)} canWrite={canWrite} />
          ) : (
            <div className="panel">
              <p className="panel-message">Open a conversation on the left{canWrite ? ', or start a new one' : ''}.</p>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

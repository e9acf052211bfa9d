/**
 * chat-service API (docs/chat.md), through the gateway at /api/chat: agents, model providers,
 * conversations and their streamed turns, approvals, external agents and the agent directory.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query } from './client';
import { apiStream } from './stream';

export interface AgentTool {
  name: string;
  requires_approval: boolean;
}

export interface ChatAgent {
  id: string;
  name: string;
  description: string;
  system_prompt: string;
  provider: string;
  model: string | null;
  temperature: number | null;
  max_tokens: number | null;
  tools: AgentTool[];
  archived: boolean;
  archived_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface AgentDraft {
  name: string;
  description: string;
  system_prompt: string;
  provider: string;
  model: string | null;
  temperature: number | null;
  max_tokens: number | null;
  tools: AgentTool[];
}

export interface ChatProvider {
  id: string;
  display_name: string;
  family: string;
  default_base_url: string | null;
  requires_api_key: boolean;
  /** The workspace has settings of its own (BYOK); agents can use a provider configured or hosted. */
  configured: boolean;
  /** Calls use the platform's key and spend the workspace's credits. */
  hosted?: boolean;
  /** The platform has a key for it, used whenever the workspace has no settings of its own. */
  hosted_available?: boolean;
  api_key: string | null;
  base_url: string | null;
  default_model: string | null;
  updated_at: string | null;
  models: string[] | null;
  models_error?: { code: string; message: string } | null;
}

export function useChatAgents(includeArchived: boolean) {
  return useQuery({
    queryKey: ['chat', 'agents', includeArchived],
    queryFn: () =>
      api<{ agents: ChatAgent[] }>(`/api/chat/agents${includeArchived ? '?include_archived=true' : ''}`).then((r) => r.agents),
  });
}

export function useChatProviders() {
  return useQuery({
    queryKey: ['chat', 'providers'],
    queryFn: () => api<{ providers: ChatProvider[] }>('/api/chat/providers').then((r) => r.providers),
  });
}

/** A tool the workspace can give its agents (`GET /api/chat/tools`). */
export interface AvailableTool {
  name: string;
  description: string;
  kind: 'read' | 'write';
  integration: string;
}

export function useAvailableTools() {
  return useQuery({
    queryKey: ['chat', 'tools'],
    queryFn: () => api<{ tools: AvailableTool[] }>('/api/chat/tools').then((r) => r.tools),
  });
}

export function useSaveAgent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, draft }: { id?: string; draft: AgentDraft }) =>
      id
        ? api<ChatAgent>(`/api/chat/agents/${encodeURIComponent(id)}`, { method: 'PATCH', body: draft })
        : api<ChatAgent>('/api/chat/agents', { method: 'POST', body: draft }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['chat', 'agents'] });
      void client.invalidateQueries({ queryKey: ['chat', 'directory'] });
    },
  });
}

export function useArchiveAgent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<ChatAgent>(`/api/chat/agents/${encodeURIComponent(id)}/archive`, { method: 'POST' }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['chat', 'agents'] });
      void client.invalidateQueries({ queryKey: ['chat', 'directory'] });
    },
  });
}

export interface ProviderSettingsDraft {
  api_key?: string;
  base_url: string | null;
  default_model: string | null;
}

export type TestVerdict =
  | { ok: true; provider: string; model_count: number }
  | { ok: false; provider: string; code: string; message: string; provider_status?: number };

export function useSaveProviderSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, settings }: { id: string; settings: ProviderSettingsDraft }) =>
      api<ChatProvider>(`/api/chat/providers/${encodeURIComponent(id)}/settings`, { method: 'PUT', body: settings }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['chat', 'providers'] }),
  });
}

export function useRemoveProviderSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/chat/providers/${encodeURIComponent(id)}/settings`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['chat', 'providers'] }),
  });
}

export function useTestProvider() {
  return useMutation({
    mutationFn: (id: string) => api<TestVerdict>(`/api/chat/providers/${encodeURIComponent(id)}/test`, { method: 'POST' }),
  });
}

// ---------- conversations ----------

export type ConversationState = 'idle' | 'running' | 'awaiting_approval';

export interface Conversation {
  id: string;
  agent_id: string;
  agent_name: string;
  title: string | null;
  state: ConversationState;
  last_run_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  reasoning_tokens: number;
}

export interface ToolCall {
  id: string;
  name: string;
  arguments: unknown;
}

export type ToolStatus = 'ok' | 'error' | 'rejected' | 'expired';

export interface Message {
  id: string;
  seq: number;
  role: 'user' | 'assistant' | 'tool';
  content: string;
  run_id: string | null;
  tool_calls: ToolCall[];
  tool_call_id: string | null;
  tool_name: string | null;
  status: ToolStatus | null;
  provider?: string | null;
  model?: string | null;
  usage?: Usage | null;
  error?: { code: string; message: string } | null;
  created_at: string;
}

export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'expired' | 'executed' | 'failed';

export interface Approval {
  id: string;
  conversation_id: string;
  agent_id: string;
  agent_name: string;
  run_id: string;
  tool_call_id: string;
  tool: string;
  arguments: unknown;
  state: ApprovalState;
  requested_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  result: string | null;
}

export interface ConversationDetail {
  conversation: Conversation;
  messages: Message[];
  approvals: Approval[];
}

/** The events of a turn's stream, by their SSE event name. */
export type TurnEvent =
  | { type: 'run'; run_id: string; trace_id: string; conversation_id: string; message: Message | null }
  | { type: 'delta'; text: string }
  | { type: 'message'; message: Message }
  | { type: 'tool_call'; id: string; name: string; arguments: unknown; kind: 'read' | 'write'; status: 'running' }
  | { type: 'tool_result'; id: string; name: string; status: ToolStatus; result: string; message: Message }
  | { type: 'approval'; approval: Approval }
  | { type: 'error'; code: string; message: string }
  | { type: 'done'; run_id: string; state: ConversationState; usage: Usage | null };

const TURN_EVENTS = new Set(['run', 'delta', 'message', 'tool_call', 'tool_result', 'approval', 'error', 'done']);

function toTurnEvent(name: string, data: unknown): TurnEvent | null {
  if (!TURN_EVENTS.has(name) || typeof data !== 'object' || data === null) return null;
  return { ...(data as object), type: name } as TurnEvent;
}

/** Sends a message and reads the turn it starts; resolves when the stream ends. */
export function sendMessage(conversationId: string, content: string, onEvent: (e: TurnEvent) => void, signal?: AbortSignal) {
  return apiStream(
    `/api/chat/conversations/${encodeURIComponent(conversationId)}/messages`,
    (name, data) => {
      const e = toTurnEvent(name, data);
      if (e) onEvent(e);
    },
    { method: 'POST', body: { content }, signal },
  );
}

/** Follows the conversation's current turn (after an approval); a single `done` when nothing runs. */
export function followConversation(conversationId: string, onEvent: (e: TurnEvent) => void, signal?: AbortSignal) {
  return apiStream(
    `/api/chat/conversations/${encodeURIComponent(conversationId)}/stream`,
    (name, data) => {
      const e = toTurnEvent(name, data);
      if (e) onEvent(e);
    },
    { signal },
  );
}

/** The conversations, newest first, a page at a time (`fetchNextPage` follows `next_cursor`). */
export function useConversations(agentId: string | undefined) {
  return useInfiniteQuery({
    queryKey: ['chat', 'conversations', agentId ?? null],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api<{ conversations: Conversation[]; next_cursor: string | null }>(
        `/api/chat/conversations${query({ agent_id: agentId, cursor: pageParam })}`,
      ),
    getNextPageParam: (last) => last.next_cursor,
  });
}

export function useConversation(id: string | undefined) {
  return useQuery({
    queryKey: ['chat', 'conversation', id],
    queryFn: () => api<ConversationDetail>(`/api/chat/conversations/${encodeURIComponent(id!)}`),
    enabled: !!id,
  });
}

export function useCreateConversation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (agentId: string) => api<Conversation>('/api/chat/conversations', { method: 'POST', body: { agent_id: agentId } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['chat', 'conversations'] }),
  });
}

// ---------- approvals ----------

export function useApprovals(state: ApprovalState | '') {
  return useQuery({
    queryKey: ['chat', 'approvals', state],
    queryFn: () => api<{ approvals: Approval[] }>(`/api/chat/approvals${query({ state })}`).then((r) => r.approvals),
  });
}

export type Decision = { approve: true } | { approve: false; reason: string };

export function useDecideApproval() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: Decision }) =>
      decision.approve
        ? api<Approval>(`/api/chat/approvals/${encodeURIComponent(id)}/approve`, { method: 'POST' })
        : api<Approval>(`/api/chat/approvals/${encodeURIComponent(id)}/reject`, {
            method: 'POST',
            body: decision.reason.trim() ? { reason: decision.reason.trim() } : {},
          }),
    onSuccess: (approval) => {
      void client.invalidateQueries({ queryKey: ['chat', 'approvals'] });
      void client.invalidateQueries({ queryKey: ['chat', 'conversation', approval.conversation_id] });
    },
  });
}

// ---------- the agent directory and external agents ----------

export interface ExternalAgent {
  id: string;
  name: string;
  agent_id: string;
  description: string;
  api_key_id: string | null;
  archived: boolean;
  created_at: string;
  updated_at: string;
}

export interface ExternalAgentDraft {
  name: string;
  agent_id: string;
  description: string;
  api_key_id: string | null;
}

export function useExternalAgents() {
  return useQuery({
    queryKey: ['chat', 'external-agents'],
    // the list's key follows the agents list's ({agents}); external_agents is read as well
    queryFn: () =>
      api<{ agents?: ExternalAgent[]; external_agents?: ExternalAgent[] }>('/api/chat/external-agents').then(
        (r) => r.external_agents ?? r.agents ?? [],
      ),
  });
}

export function useSaveExternalAgent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, draft }: { id?: string; draft: ExternalAgentDraft }) =>
      id
        ? api<ExternalAgent>(`/api/chat/external-agents/${encodeURIComponent(id)}`, { method: 'PATCH', body: draft })
        : api<ExternalAgent>('/api/chat/external-agents', { method: 'POST', body: draft }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['chat', 'external-agents'] });
      void client.invalidateQueries({ queryKey: ['chat', 'directory'] });
    },
  });
}

export function useArchiveExternalAgent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<ExternalAgent>(`/api/chat/external-agents/${encodeURIComponent(id)}/archive`, { method: 'POST' }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['chat', 'external-agents'] });
      void client.invalidateQueries({ queryKey: ['chat', 'directory'] });
    },
  });
}

// ---------- the local demo ----------

/** The local stack's demo provider: a script that answers in the OpenAI wire format, not a model. */
export const DEMO_PROVIDER = 'demo';
export const DEMO_LABEL = 'demo: local script, not a model';

export const DEMO_AGENT: AgentDraft = {
  name: 'Demo agent',
  description: 'Demo (local script, not a model): shows a conversation with a read tool and a write tool that waits for approval.',
  system_prompt:
    'You are the Beacon demo agent. Your answers come from a local script, not a model. Look orders up with demo_lookup_order; send email with demo_send_email, which waits for a person to approve it.',
  provider: DEMO_PROVIDER,
  model: 'beacon-demo',
  temperature: null,
  max_tokens: null,
  tools: [
    { name: 'demo_lookup_order', requires_approval: false },
    { name: 'demo_send_email', requires_approval: true },
  ],
};

export const isDemoTool = (name: string) => name.startsWith('demo_');

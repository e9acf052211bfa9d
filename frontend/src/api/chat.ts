/** chat-service API (docs/chat.md): agents and model providers, through the gateway at /api/chat. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

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
  configured: boolean;
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

export function useSaveAgent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, draft }: { id?: string; draft: AgentDraft }) =>
      id
        ? api<ChatAgent>(`/api/chat/agents/${encodeURIComponent(id)}`, { method: 'PATCH', body: draft })
        : api<ChatAgent>('/api/chat/agents', { method: 'POST', body: draft }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['chat', 'agents'] }),
  });
}

export function useArchiveAgent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<ChatAgent>(`/api/chat/agents/${encodeURIComponent(id)}/archive`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['chat', 'agents'] }),
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

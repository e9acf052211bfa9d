/**
 * Data hooks: one TanStack Query per panel, so one failing service degrades one panel only.
 * Every obs query key starts with 'obs' so a live update can refetch exactly what is visible.
 */
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, query } from './client';
import type {
  AlertEvent,
  AlertRule,
  AlertRuleDraft,
  ApiKey,
  ApprovalMetrics,
  Daily,
  Me,
  Member,
  NotificationList,
  ObsEvent,
  Page,
  PreviewResult,
  Role,
  Run,
  RunDetail,
  Summary,
  TestResult,
  Timeseries,
  ToolScore,
} from './types';

// ---------- account ----------

export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: () => api<Me>('/api/me'),
    retry: false,
    staleTime: 60_000,
  });
}

export function useSwitchWorkspace() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (workspace: string) => api<Me>('/api/me/workspace', { method: 'PUT', body: { workspace } }),
    onSuccess: (me) => {
      client.clear();
      client.setQueryData(['me'], me);
    },
  });
}

export function useMembers() {
  return useQuery({ queryKey: ['members'], queryFn: () => api<Member[]>('/api/workspace/members') });
}

export function useInviteMember() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (invite: { email: string; role: Role }) =>
      api<Member>('/api/workspace/members', { method: 'POST', body: invite }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['members'] }),
  });
}

export function useChangeRole() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) =>
      api<Member>(`/api/workspace/members/${encodeURIComponent(id)}`, { method: 'PATCH', body: { role } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['members'] }),
  });
}

export function useRemoveMember() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/workspace/members/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['members'] }),
  });
}

// ---------- metrics ----------

export interface MetricFilter {
  agent?: string;
  type?: string;
  provider?: string;
  model?: string;
  tool?: string;
}

export function useSummary() {
  return useQuery({
    queryKey: ['obs', 'summary'],
    queryFn: () => api<Summary>('/api/obs/metrics/summary'),
  });
}

export function useTimeseries(params: { metric: string; step: string; from: string; to: string } & MetricFilter) {
  return useQuery({
    queryKey: ['obs', 'timeseries', params],
    queryFn: () => api<Timeseries>(`/api/obs/metrics/timeseries${query({ ...params })}`),
    placeholderData: keepPreviousData,
  });
}

export function useDaily(params: { from: string; to: string; group_by?: string } & MetricFilter) {
  return useQuery({
    queryKey: ['obs', 'daily', params],
    queryFn: () => api<Daily>(`/api/obs/metrics/daily${query({ ...params })}`),
    placeholderData: keepPreviousData,
  });
}

export function useApprovalMetrics(params: { from: string; to: string; agent_id?: string }) {
  return useQuery({
    queryKey: ['obs', 'approvals', params],
    queryFn: () => api<ApprovalMetrics>(`/api/obs/approvals${query(params)}`),
    placeholderData: keepPreviousData,
  });
}

// ---------- events, runs, tools ----------

export interface EventFilters {
  type?: string;
  agent?: string;
  status?: string;
  provider?: string;
  model?: string;
  tool?: string;
  run_id?: string;
  from?: string;
  to?: string;
  q?: string;
}

export function useEvents(filters: EventFilters, limit = 50) {
  return useInfiniteQuery({
    queryKey: ['obs', 'events', filters, limit],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api<Page<ObsEvent>>(`/api/obs/events${query({ ...filters, limit, cursor: pageParam })}`),
    getNextPageParam: (last) => last.next_cursor,
  });
}

export function useEvent(id: string | undefined) {
  return useQuery({
    queryKey: ['obs', 'event', id],
    queryFn: () => api<ObsEvent>(`/api/obs/events/${encodeURIComponent(id!)}`),
    enabled: !!id,
  });
}

export function useRuns(filters: { agent?: string; status?: string }, limit = 50) {
  return useInfiniteQuery({
    queryKey: ['obs', 'runs', filters, limit],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api<Page<Run>>(`/api/obs/runs${query({ ...filters, limit, cursor: pageParam })}`),
    getNextPageParam: (last) => last.next_cursor,
  });
}

export function useRun(id: string | undefined) {
  return useQuery({
    queryKey: ['obs', 'run', id],
    queryFn: () => api<RunDetail>(`/api/obs/runs/${encodeURIComponent(id!)}`),
    enabled: !!id,
  });
}

export function useTools(params: { from?: string; to?: string }) {
  return useQuery({
    queryKey: ['obs', 'tools', params],
    queryFn: () => api<ToolScore[]>(`/api/obs/tools${query(params)}`),
    placeholderData: keepPreviousData,
  });
}

// ---------- API keys ----------

export function useApiKeys() {
  return useQuery({
    queryKey: ['keys'],
    queryFn: async () => (await api<{ keys: ApiKey[] }>('/api/obs/keys')).keys,
  });
}

export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: { name: string; scopes: string[]; expires_at?: string }) =>
      api<ApiKey>('/api/obs/keys', { method: 'POST', body: request }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['keys'] }),
  });
}

export function useRevokeApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/obs/keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['keys'] }),
  });
}

// ---------- alerts and notifications ----------

export function useAlertRules() {
  return useQuery({
    queryKey: ['alerts', 'rules'],
    queryFn: async () => (await api<{ rules: AlertRule[] }>('/api/obs/alerts/rules')).rules,
  });
}

export function useAlertRule(id: string | undefined) {
  return useQuery({
    queryKey: ['alerts', 'rule', id],
    queryFn: () => api<AlertRule>(`/api/obs/alerts/rules/${encodeURIComponent(id!)}`),
    enabled: !!id,
  });
}

export function useSaveAlertRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, draft }: { id?: string; draft: AlertRuleDraft }) =>
      id
        ? api<AlertRule>(`/api/obs/alerts/rules/${encodeURIComponent(id)}`, { method: 'PUT', body: draft })
        : api<AlertRule>('/api/obs/alerts/rules', { method: 'POST', body: draft }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['alerts'] }),
  });
}

export function useDeleteAlertRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/obs/alerts/rules/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['alerts'] }),
  });
}

export function usePreviewAlertRule() {
  return useMutation({
    mutationFn: (draft: AlertRuleDraft) => api<PreviewResult>('/api/obs/alerts/rules/preview', { method: 'POST', body: draft }),
  });
}

export function useTestAlertRule() {
  return useMutation({
    mutationFn: (id: string) => api<TestResult>(`/api/obs/alerts/rules/${encodeURIComponent(id)}/test`, { method: 'POST' }),
  });
}

export function useAlertEvents(ruleId?: string, limit = 50) {
  return useInfiniteQuery({
    queryKey: ['alerts', 'events', ruleId ?? null, limit],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api<{ events: AlertEvent[]; next_cursor: string | null }>(
        `/api/obs/alerts/events${query({ rule_id: ruleId, limit, before: pageParam })}`,
      ),
    getNextPageParam: (last) => last.next_cursor,
  });
}

export function useNotifications(status: 'unread' | 'all', limit = 50) {
  return useQuery({
    queryKey: ['notifications', status, limit],
    queryFn: () => api<NotificationList>(`/api/obs/notifications${query({ status, limit })}`),
  });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string | 'all') =>
      api<void>(id === 'all' ? '/api/obs/notifications/read-all' : `/api/obs/notifications/${encodeURIComponent(id)}/read`, {
        method: 'POST',
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['notifications'] }),
  });
}

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
import { usdToNano, nanoToUsd } from '../lib/money';
import type {
  AlertEvent,
  AlertRule,
  AlertRuleDraft,
  ApiKey,
  Daily,
  DailyRow,
  Me,
  Member,
  MetricValues,
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

/** One group's totals over the rows of a daily answer. Cost is summed exactly. */
export interface GroupTotals {
  group: string;
  calls: number;
  errors: number;
  error_rate: number;
  tokens: number;
  cost_usd: string;
}

/** Sums daily rows per group (cost exact, via nano-USD BigInt). */
export function totalsByGroup(rows: DailyRow[]): GroupTotals[] {
  const byGroup = new Map<string, { calls: number; errors: number; tokens: number; nanos: bigint }>();
  for (const row of rows) {
    const key = row.group ?? '';
    const acc = byGroup.get(key) ?? { calls: 0, errors: 0, tokens: 0, nanos: 0n };
    acc.calls += row.metrics.calls;
    acc.errors += row.metrics.errors;
    acc.tokens += row.metrics.input_tokens + row.metrics.output_tokens;
    acc.nanos += usdToNano(row.metrics.cost_usd);
    byGroup.set(key, acc);
  }
  return [...byGroup.entries()].map(([group, acc]) => ({
    group,
    calls: acc.calls,
    errors: acc.errors,
    error_rate: acc.calls === 0 ? 0 : acc.errors / acc.calls,
    tokens: acc.tokens,
    cost_usd: nanoToUsd(acc.nanos),
  }));
}

/** Top groups by cost (exact comparison) or by errors, largest first, at most `limit`. */
export function topGroups(totals: GroupTotals[], by: 'cost' | 'errors', limit = 5): GroupTotals[] {
  const sorted = [...totals].sort((a, b) => {
    if (by === 'cost') {
      const diff = usdToNano(b.cost_usd) - usdToNano(a.cost_usd);
      return diff === 0n ? a.group.localeCompare(b.group) : diff > 0n ? 1 : -1;
    }
    return b.errors - a.errors || b.calls - a.calls || a.group.localeCompare(b.group);
  });
  return sorted.filter((t) => (by === 'cost' ? usdToNano(t.cost_usd) > 0n : t.errors > 0)).slice(0, limit);
}

/** Merges a set of days' measures into one (counts and cost summed exactly; percentiles not mergeable). */
export function mergeDays(rows: DailyRow[]): Pick<MetricValues, 'calls' | 'errors' | 'error_rate' | 'input_tokens' | 'output_tokens' | 'unpriced_calls' | 'cost_usd'> {
  let calls = 0;
  let errors = 0;
  let input = 0;
  let output = 0;
  let unpriced = 0;
  let nanos = 0n;
  for (const row of rows) {
    calls += row.metrics.calls;
    errors += row.metrics.errors;
    input += row.metrics.input_tokens;
    output += row.metrics.output_tokens;
    unpriced += row.metrics.unpriced_calls;
    nanos += usdToNano(row.metrics.cost_usd);
  }
  return {
    calls,
    errors,
    error_rate: calls === 0 ? 0 : errors / calls,
    input_tokens: input,
    output_tokens: output,
    unpriced_calls: unpriced,
    cost_usd: nanoToUsd(nanos),
  };
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

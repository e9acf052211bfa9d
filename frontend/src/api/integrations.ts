/**
 * integrations-service's API behind the gateway (docs/integrations.md): providers, OAuth
 * connections and credential connections (an API key or bot token pasted here; both workspace-wide:
 * any owner, admin or member connects, disconnects and sets an availability target) and the
 * workspace's tools; and each provider's health, read from the obs
 * read API's reliability scorecard (`GET /api/obs/tools`, its `service_call` rows).
 */
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query } from './client';
import type { ToolScore } from './types';

export type ProviderId = 'google' | 'slack' | 'github' | (string & {});

export interface IntegrationProvider {
  id: ProviderId;
  display_name: string;
  configured: boolean;
  scopes: string[];
}

/** A provider connected with a credential instead of OAuth (Binance, Telegram, Brave Search). */
export interface CredentialProvider {
  id: ProviderId;
  display_name: string;
  /** The fields of its credential, all required: `api_key`, `api_secret`, `bot_token`. */
  fields: string[];
  /** Whether Beacon has a key of its own for it, so its tools work without a connection. */
  platform_credential: boolean;
}

interface ProvidersBody {
  providers: IntegrationProvider[];
  credential_providers?: CredentialProvider[];
}

export type ConnectionStatus = 'ok' | 'needs_reauth' | 'error';

export interface Connection {
  id: string;
  provider: ProviderId;
  account: string | null;
  scopes: string[];
  connected_by: string | null;
  connected_at: string;
  last_used_at: string | null;
  status: ConnectionStatus;
  /** The last error a provider tool met with this connection; a later success does not clear it. */
  last_error?: { code: string; message: string; at: string } | null;
  /** The availability (a percentage, exact decimal string such as "99.5") the workspace expects. */
  availability_target?: string | null;
}

export interface IntegrationTool {
  name: string;
  description: string;
  kind: string;
  integration: string;
  parameters?: unknown;
  required_scopes?: string[];
}

/** Both kinds of provider come in one answer: one request, one cache entry, two views of it. */
const providersQuery = {
  queryKey: ['integrations', 'providers'],
  queryFn: () => api<ProvidersBody>('/api/integrations/providers'),
};

export function useIntegrationProviders() {
  return useQuery({ ...providersQuery, select: (body: ProvidersBody) => body.providers });
}

export function useCredentialProviders() {
  return useQuery({ ...providersQuery, select: (body: ProvidersBody) => body.credential_providers ?? [] });
}

export function useConnections() {
  return useQuery({
    queryKey: ['integrations', 'connections'],
    queryFn: async () => (await api<{ connections: Connection[] }>('/api/integrations/connections')).connections,
  });
}

export function useIntegrationTools() {
  return useQuery({
    queryKey: ['integrations', 'tools'],
    queryFn: async () => (await api<{ tools: IntegrationTool[] }>('/api/integrations/tools')).tools,
  });
}

/** Where the browser goes; a seam so tests can observe the navigation without leaving jsdom's page. */
export const browser = {
  assign(url: string) {
    window.location.href = url;
  },
};

/** Starts the OAuth flow: asks for the provider's authorization URL and sends the browser there. */
export function useAuthorize() {
  return useMutation({
    mutationFn: (provider: ProviderId) =>
      api<{ authorization_url: string }>(`/api/integrations/connections/${encodeURIComponent(provider)}/authorize`, { method: 'POST' }),
    onSuccess: (answer) => browser.assign(answer.authorization_url),
  });
}

/**
 * Connects a credential provider: `POST /api/integrations/connections` `{provider, ...fields}`. The
 * service checks the credential with the provider first; the answer never carries it back.
 */
export function useConnectCredential() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ provider, fields }: { provider: ProviderId; fields: Record<string, string> }) =>
      api<Connection>('/api/integrations/connections', { method: 'POST', body: { provider, ...fields } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['integrations'] }),
  });
}

export function useDisconnect() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/integrations/connections/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['integrations'] }),
  });
}

/** Sets (a decimal string such as "99.5") or, with null, clears a connection's availability target. */
export function useSetAvailabilityTarget() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, target }: { id: string; target: string | null }): Promise<Connection | undefined> =>
      target === null
        ? api<undefined>(`/api/integrations/connections/${encodeURIComponent(id)}/sla`, { method: 'DELETE' })
        : api<Connection>(`/api/integrations/connections/${encodeURIComponent(id)}/sla`, { method: 'PUT', body: { availability_target: target } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['integrations', 'connections'] }),
  });
}

/**
 * The health windows: whole UTC days ending today, as the scorecard reads daily rows. "1 d" is
 * today so far; a rolling 24 h is not something the scorecard can answer per service.
 */
export const HEALTH_WINDOWS = [
  { id: '1d', label: 'Today (UTC)', days: 1 },
  { id: '7d', label: '7 days', days: 7 },
  { id: '30d', label: '30 days', days: 30 },
] as const;

export type HealthWindowId = (typeof HEALTH_WINDOWS)[number]['id'];

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `from`/`to` of a window of `days` UTC days ending on `today`'s UTC day. */
export function windowRange(days: number, today: Date = new Date()): { from: string; to: string } {
  const from = new Date(today.getTime() - (days - 1) * 86_400_000);
  return { from: utcDay(from), to: utcDay(today) };
}

/** The scorecard of each health window (`GET /api/obs/tools?from&to`), keyed by window id. */
export function useHealthScorecards() {
  const results = useQueries({
    queries: HEALTH_WINDOWS.map((w) => {
      const range = windowRange(w.days);
      return {
        queryKey: ['obs', 'tools', range],
        queryFn: () => api<ToolScore[]>(`/api/obs/tools${query(range)}`),
        refetchInterval: 60_000,
      };
    }),
  });
  return HEALTH_WINDOWS.map((w, i) => ({ window: w, result: results[i] }));
}

/** A provider's `service_call` health over one window, summed over its operations. */
export interface ProviderHealth {
  calls: number;
  errors: number;
  /** The highest p95 of its operations: the provider's own p95 is at most this (exact with one operation). */
  p95Ms: number | null;
  /** How many operations had calls (one: `p95Ms` is exact). */
  operations: number;
}

/** Sums the scorecard's `service_call` rows whose subject is `<provider>/<operation>`. */
export function providerHealth(scores: ToolScore[], provider: string): ProviderHealth {
  let calls = 0;
  let errors = 0;
  let p95Ms: number | null = null;
  let operations = 0;
  for (const s of scores) {
    if (s.type !== 'service_call' || !s.name.startsWith(`${provider}/`)) continue;
    calls += s.calls;
    errors += s.errors;
    if (s.calls > 0) operations += 1;
    if (s.p95_ms !== null && s.p95_ms !== undefined) p95Ms = p95Ms === null ? s.p95_ms : Math.max(p95Ms, s.p95_ms);
  }
  return { calls, errors, p95Ms, operations };
}

/** A target such as "99.5" in thousandths of a percent (99500), or null when it is not one. */
export function targetThousandths(target: string): number | null {
  const match = /^(\d{1,3})(?:\.(\d{1,3}))?$/.exec(target);
  if (!match) return null;
  const value = Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
  return value > 0 && value <= 100_000 ? value : null;
}

/**
 * Whether the availability (calls that were not errors, over calls) meets the target, in exact
 * integer arithmetic: (calls − errors) × 100,000 ≥ target in thousandths × calls. null without calls.
 */
export function attains(health: ProviderHealth, target: string): boolean | null {
  const thousandths = targetThousandths(target);
  if (health.calls === 0 || thousandths === null) return null;
  return (health.calls - health.errors) * 100_000 >= thousandths * health.calls;
}

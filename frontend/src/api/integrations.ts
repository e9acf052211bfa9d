/**
 * integrations-service's API behind the gateway (docs/integrations.md): providers, OAuth
 * connections (workspace-wide: any owner, admin or member connects and disconnects) and the
 * workspace's tools.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export type ProviderId = 'google' | 'slack' | 'github' | (string & {});

export interface IntegrationProvider {
  id: ProviderId;
  display_name: string;
  configured: boolean;
  scopes: string[];
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
}

export interface IntegrationTool {
  name: string;
  description: string;
  kind: string;
  integration: string;
  parameters?: unknown;
}

export function useIntegrationProviders() {
  return useQuery({
    queryKey: ['integrations', 'providers'],
    queryFn: async () => (await api<{ providers: IntegrationProvider[] }>('/api/integrations/providers')).providers,
  });
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

export function useDisconnect() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/integrations/connections/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['integrations'] }),
  });
}

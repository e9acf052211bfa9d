/**
 * integrations-service's channels API behind the gateway (docs/integrations.md, Channels): the
 * workspace's Telegram bots and Discord applications that relay messages to a chat agent. Every
 * role lists; owners and admins create and delete. No answer carries a bot token (only `••••` and
 * its last four characters), so nothing the page shows can echo one.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export type ChannelKind = 'telegram' | 'discord';

/** `waiting` before the first message; `error` when the last reply could not be sent. */
export type ChannelStatus = 'waiting' | 'ok' | 'error';

export interface Channel {
  id: string;
  kind: ChannelKind;
  agent_id: string;
  /** `••••` and the token's last four characters, or null (a Discord channel without a bot token). */
  bot_token: string | null;
  application_id: string | null;
  public_key: string | null;
  /** Telegram: the URL Beacon registered with setWebhook. */
  webhook_url?: string;
  /** Discord: the URL to paste into the developer portal's Interactions Endpoint URL. */
  interactions_endpoint_url?: string;
  created_by: string;
  created_at: string;
  status?: ChannelStatus;
  last_message_at?: string | null;
  last_reply_at?: string | null;
  /** The last reply Telegram or Discord did not take, and why; a later reply that went out turns status back to ok. */
  last_error?: { message: string; at: string } | null;
}

export type NewChannel =
  | { kind: 'telegram'; agent_id: string; bot_token: string }
  | { kind: 'discord'; agent_id: string; application_id: string; public_key: string; bot_token?: string };

/** The URL the channel's provider calls. */
export function endpointOf(channel: Channel): string {
  return channel.kind === 'telegram' ? (channel.webhook_url ?? '') : (channel.interactions_endpoint_url ?? '');
}

export function useChannels() {
  return useQuery({
    queryKey: ['integrations', 'channels'],
    queryFn: async () => (await api<{ channels: Channel[] }>('/api/integrations/channels')).channels,
    refetchInterval: 30_000,
  });
}

export function useCreateChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (channel: NewChannel) => api<Channel>('/api/integrations/channels', { method: 'POST', body: channel }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['integrations', 'channels'] }),
  });
}

export function useDeleteChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/integrations/channels/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['integrations', 'channels'] }),
  });
}

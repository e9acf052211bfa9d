/** chat-service's agent directory, apart from the rest of the chat API: the obs pages in the main bundle read it. */
import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export interface DirectoryEntry {
  agent_id: string;
  name: string;
  kind: 'workspace' | 'external';
  archived: boolean;
}

/**
 * Display names of the agent ids in events. The obs pages work without it: a failing call (chat
 * down, an older chat-service) leaves them showing the raw ids, so it is not retried.
 */
export function useAgentDirectory() {
  return useQuery({
    queryKey: ['chat', 'directory'],
    queryFn: () =>
      api<{ agents: DirectoryEntry[] }>('/api/chat/agents/directory').then((r) => new Map(r.agents.map((a) => [a.agent_id, a]))),
    staleTime: 60_000,
    retry: false,
  });
}

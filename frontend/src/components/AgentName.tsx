/**
 * An agent id as people know it: the name registered in chat-service's directory (a workspace
 * agent or a registered external one) with the raw id as its tooltip, or the raw id where none is
 * registered or the directory cannot be read.
 */
import { Link } from 'react-router-dom';
import { useAgentDirectory } from '../api/directory';

export function useAgentName(id: string | null | undefined): string | null {
  const directory = useAgentDirectory();
  if (!id) return null;
  return directory.data?.get(id)?.name ?? null;
}

export function AgentName({ id, link = true }: { id: string; link?: boolean }) {
  const name = useAgentName(id);
  const text = name ?? (id || '(no agent)');
  const title = name ? id : undefined;
  return link ? (
    <Link to={`/agents/${encodeURIComponent(id)}`} title={title} data-agent-id={id}>
      {text}
    </Link>
  ) : (
    <span title={title} data-agent-id={id}>
      {text}
    </span>
  );
}

import { DEMO_LABEL } from '../api/chat';

/** Marks anything of the local demo (its provider, agent and tools): a script, not a model. */
export function DemoBadge() {
  return (
    <span className="badge demo" title="The local stack's demo: a script that answers, not a model">
      {DEMO_LABEL}
    </span>
  );
}

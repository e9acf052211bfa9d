/**
 * Approve / Reject of one pending approval, shared by the conversation and the approvals queue.
 * Reject asks for an optional reason first. A decision that comes too late (409 approval_decided:
 * someone else decided, or it expired) is said as such; the lists refresh either way.
 */
import { useState } from 'react';
import { ApiError } from '../api/client';
import { useDecideApproval, type Approval } from '../api/chat';
import { formatTime } from '../lib/format';
import { errorText } from './Panel';

function decisionError(error: unknown): string {
  if (error instanceof ApiError && error.code === 'approval_decided') return 'This approval was already decided or has expired.';
  return errorText(error);
}

export function ApprovalDecision({ approval, onDecided }: { approval: Approval; onDecided?: (a: Approval) => void }) {
  const decide = useDecideApproval();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const label = `${approval.tool} (${approval.id})`;
  const submit = (approve: boolean) =>
    decide.mutate({ id: approval.id, decision: approve ? { approve: true } : { approve: false, reason } }, { onSuccess: (a) => onDecided?.(a) });

  return (
    <div className="stack approval-decision">
      {!rejecting ? (
        <div className="row">
          <button type="button" className="primary" onClick={() => submit(true)} disabled={decide.isPending} aria-label={`Approve ${label}`}>
            {decide.isPending ? 'Sending…' : 'Approve'}
          </button>
          <button type="button" className="danger" onClick={() => setRejecting(true)} disabled={decide.isPending} aria-label={`Reject ${label}`}>
            Reject
          </button>
        </div>
      ) : (
        <div className="stack">
          <label>
            Reason (optional)
            <textarea rows={2} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} aria-label={`Reason for rejecting ${label}`} />
          </label>
          <div className="row">
            <button type="button" className="danger" onClick={() => submit(false)} disabled={decide.isPending} aria-label={`Confirm rejecting ${label}`}>
              {decide.isPending ? 'Sending…' : 'Confirm reject'}
            </button>
            <button type="button" onClick={() => setRejecting(false)} disabled={decide.isPending}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {decide.error && (
        <p className="small" role="alert" style={{ color: 'var(--crit)', margin: 0 }}>
          {decisionError(decide.error)}
        </p>
      )}
    </div>
  );
}

/** Who decided and when, with the reason or the tool's result. */
export function ApprovalOutcome({ approval }: { approval: Approval }) {
  if (approval.state === 'pending') return null;
  return (
    <div className="small muted" data-testid={`approval-outcome-${approval.id}`}>
      {approval.decided_by ? `${approval.state} by ${approval.decided_by}` : approval.state}
      {approval.decided_at && ` · ${formatTime(approval.decided_at)}`}
      {approval.reason && <div>Reason: {approval.reason}</div>}
      {approval.result && <div>Result: {approval.result}</div>}
    </div>
  );
}

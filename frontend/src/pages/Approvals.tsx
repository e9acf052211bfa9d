/**
 * The approvals queue: the write tool calls agents propose, waiting for a person (pending by
 * default), and the decided ones with who decided, when, why and what the tool answered.
 */
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useMe } from '../api/hooks';
import { isDemoTool, useApprovals, type Approval, type ApprovalState } from '../api/chat';
import { ApprovalDecision, ApprovalOutcome } from '../components/ApprovalDecision';
import { DataTable, type Column } from '../components/DataTable';
import { DemoBadge } from '../components/Demo';
import { Panel } from '../components/Panel';
import { formatTime } from '../lib/format';

const STATES: Array<{ value: ApprovalState | ''; label: string }> = [
  { value: 'pending', label: 'Pending' },
  { value: 'approved', label: 'Approved' },
  { value: 'executed', label: 'Executed' },
  { value: 'failed', label: 'Failed' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'expired', label: 'Expired' },
  { value: '', label: 'All' },
];

const BADGE: Record<ApprovalState, string> = {
  pending: 'pending',
  approved: 'ok',
  executed: 'ok',
  failed: 'failed',
  rejected: 'rejected',
  expired: 'expired',
};

function columns(canDecide: boolean): Column<Approval>[] {
  return [
    { id: 'agent', header: 'Agent', cell: (a) => a.agent_name, sortValue: (a) => a.agent_name },
    {
      id: 'tool',
      header: 'Tool',
      cell: (a) => (
        <>
          <span className="mono">{a.tool}</span> {isDemoTool(a.tool) && <DemoBadge />}
        </>
      ),
      sortValue: (a) => a.tool,
    },
    {
      id: 'arguments',
      header: 'Arguments',
      headerStyle: { minWidth: 260 },
      cell: (a) => <pre className="small wrap">{JSON.stringify(a.arguments ?? {}, null, 2)}</pre>,
    },
    { id: 'requested', header: 'Requested', cell: (a) => formatTime(a.requested_at), sortValue: (a) => Date.parse(a.requested_at) },
    { id: 'expires', header: 'Expires', cell: (a) => (a.state === 'pending' ? formatTime(a.expires_at) : '—'), sortValue: (a) => Date.parse(a.expires_at) },
    { id: 'state', header: 'State', cell: (a) => <span className={`badge ${BADGE[a.state]}`}>{a.state}</span>, sortValue: (a) => a.state },
    {
      id: 'conversation',
      header: 'Conversation',
      cell: (a) => <Link to={`/chat/${encodeURIComponent(a.conversation_id)}`}>Open</Link>,
    },
    {
      id: 'decision',
      header: 'Decision',
      cell: (a) => (a.state === 'pending' ? canDecide ? <ApprovalDecision approval={a} /> : <span className="muted small">waiting</span> : <ApprovalOutcome approval={a} />),
    },
  ];
}

export default function Approvals() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const raw = params.get('state');
  const state = (STATES.some((s) => s.value === raw) ? raw : 'pending') as ApprovalState | '';
  const approvals = useApprovals(state);
  const canDecide = me.data !== undefined && me.data.role !== 'viewer';
  const cols = useMemo(() => columns(canDecide), [canDecide]);
  const label = STATES.find((s) => s.value === state)!.label.toLowerCase();

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Approvals</h1>
          <p>Actions agents propose that wait for a person before they run. Until someone decides, the conversation waits; an approval not decided in time expires.</p>
          {me.data?.role === 'viewer' && (
            <p className="small" data-testid="read-only">
              As a viewer you can see the approvals but not decide them.
            </p>
          )}
        </div>
      </div>
      <Panel
        id="approvals"
        title="Approvals"
        loading={approvals.isPending}
        error={approvals.error}
        onRetry={() => approvals.refetch()}
        ready={!!approvals.data}
        actions={
          <label className="inline">
            State
            <select
              value={state}
              onChange={(e) =>
                setParams(
                  (prev) => {
                    const next = new URLSearchParams(prev);
                    next.set('state', e.target.value);
                    return next;
                  },
                  { replace: true },
                )
              }
            >
              {STATES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        }
      >
        <DataTable
          testId="approvals-table"
          columns={cols}
          rows={approvals.data ?? []}
          rowKey={(a) => a.id}
          rowProps={(a) => ({ 'data-approval-id': a.id })}
          empty={<p className="panel-message">{state === 'pending' ? 'Nothing waits for a decision.' : `No ${label === 'all' ? '' : `${label} `}approvals.`}</p>}
        />
      </Panel>
    </div>
  );
}

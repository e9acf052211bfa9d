/**
 * How an agent's proposed actions fared with the people who decide them, per action kind, over
 * the dashboard's time range. Agents without approvals show nothing; an aggregator that does not
 * serve the read yet (404) does not put an error on every agent page.
 */
import { useMemo } from 'react';
import { ApiError } from '../api/client';
import { useApprovalMetrics } from '../api/hooks';
import type { ApprovalGroup } from '../api/types';
import { formatCount, formatPercent, formatPercentile } from '../lib/format';
import { RANGES, rangeWindow, type RangeKey } from '../lib/ranges';
import { DataTable, type Column } from './DataTable';
import { Panel } from './Panel';

const rate = (g: ApprovalGroup) => (g.approval_rate === null ? null : Number(g.approval_rate));

const COLUMNS: Column<ApprovalGroup>[] = [
  { id: 'kind', header: 'Action', className: 'mono', cell: (g) => g.kind, sortValue: (g) => g.kind },
  { id: 'proposed', header: 'Proposed', numeric: true, cell: (g) => formatCount(g.proposed), sortValue: (g) => g.proposed },
  { id: 'pending', header: 'Pending', numeric: true, cell: (g) => formatCount(g.pending), sortValue: (g) => g.pending },
  { id: 'rate', header: 'Approval rate', numeric: true, cellProps: (g) => ({ 'data-exact': g.approval_rate ?? '' }), cell: (g) => formatPercent(rate(g)), sortValue: rate },
  { id: 'rejected', header: 'Rejected', numeric: true, cell: (g) => formatCount(g.rejected), sortValue: (g) => g.rejected },
  { id: 'expired', header: 'Expired', numeric: true, cell: (g) => formatCount(g.expired), sortValue: (g) => g.expired },
  { id: 'failed', header: 'Failed', numeric: true, cell: (g) => formatCount(g.failed), sortValue: (g) => g.failed },
  { id: 'p50', header: 'Time to approve p50', numeric: true, cell: (g) => formatPercentile(g.time_to_approve_ms.p50), sortValue: (g) => g.time_to_approve_ms.p50 },
  { id: 'p95', header: 'p95', numeric: true, cell: (g) => formatPercentile(g.time_to_approve_ms.p95), sortValue: (g) => g.time_to_approve_ms.p95 },
];

export function ApprovalMetricsPanel({ agent, range }: { agent: string; range: RangeKey }) {
  const win = useMemo(() => rangeWindow(range), [range]);
  const metrics = useApprovalMetrics({ from: win.from, to: win.to, agent_id: agent });
  const groups = metrics.data?.groups ?? [];
  if (metrics.error instanceof ApiError && metrics.error.status === 404) return null;
  if (!metrics.error && (metrics.isPending || groups.length === 0)) return null;
  return (
    <Panel
      id="approval-metrics"
      title="Approvals"
      hint={RANGES.find((r) => r.key === range)?.label}
      error={metrics.error}
      onRetry={() => metrics.refetch()}
      ready={!!metrics.data}
    >
      <DataTable testId="approval-metrics-table" columns={COLUMNS} rows={groups} rowKey={(g) => `${g.agent_id}/${g.kind}`} />
    </Panel>
  );
}

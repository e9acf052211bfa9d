import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import RunDetail from '../src/pages/RunDetail';
import Runs from '../src/pages/Runs';
import AgentDetail from '../src/pages/AgentDetail';
import type { ObsEvent, Run } from '../src/api/types';
import type { ApprovalGroup } from '../src/api/types';
import { AGENT_ID, CONV_ID, RUN_ID, json, stubFetch, type Call } from './chatFixtures';

let calls: Call[];
let directory: () => Response;
let approvalGroups: () => Response;

const run: Run = {
  run_id: RUN_ID, agent_id: AGENT_ID, status: 'ok', started_at: '2026-12-07T18:00:00Z', ended_at: '2026-12-07T18:00:02Z', duration_ms: 2000,
  first_event_at: '2026-12-07T18:00:00Z', last_event_at: '2026-12-07T18:00:02Z', events: 2, errors: 0, input_tokens: 10, output_tokens: 5,
  cost_nano_usd: 0, cost_usd: '0.000000000',
};
const external: Run = { ...run, run_id: 'run-external', agent_id: 'billing-bot' };

function event(over: Partial<ObsEvent>): ObsEvent {
  return {
    event_id: 'e1', type: 'run_start', occurred_at: '2026-12-07T18:00:00Z', agent_id: AGENT_ID, subject: null, run_id: RUN_ID, trace_id: null, span_id: null,
    parent_span_id: null, status: null, error_type: null, error_message: null, duration_ms: null, provider: null, model: null, input_tokens: null,
    output_tokens: null, cached_input_tokens: null, reasoning_tokens: null, usage_flags: null, reported_cost_nano_usd: null, cost_nano_usd: 0,
    cost_usd: '0.000000000', pricing_status: null, pricing_id: null, tool_name: null, tool_integration: null, action_kind: null, action_state: null,
    service_name: null, service_operation: null, metadata: null, tags: null,
    ...over,
  };
}

let runEvents: ObsEvent[];

const group = (over: Partial<ApprovalGroup> = {}): ApprovalGroup => ({
  agent_id: AGENT_ID, kind: 'demo_send_email', proposed: 8, approved: 6, rejected: 1, expired: 1, executed: 6, failed: 0, pending: 2,
  approval_rate: '0.75', time_to_approve_ms: { p50: 42_000, p95: 185_000 }, ...over,
});

beforeEach(() => {
  directory = () => json({ agents: [{ agent_id: AGENT_ID, name: 'Support bot', kind: 'workspace', archived: false }] });
  approvalGroups = () => json({ from: 'x', to: 'y', groups: [group()] });
  runEvents = [
    event({ metadata: { conversation_id: CONV_ID } }),
    event({ event_id: 'e2', type: 'run_end', occurred_at: '2026-12-07T18:00:02Z', status: 'ok' }),
  ];
  calls = stubFetch((method, url) => {
    if (method !== 'GET') return undefined;
    if (url === '/api/chat/agents/directory') return directory();
    if (url === `/api/obs/runs/${RUN_ID}`) return json({ run, events: runEvents });
    if (url.startsWith('/api/obs/runs?')) return json({ items: [run, external], next_cursor: null });
    if (url.startsWith('/api/obs/approvals?')) return approvalGroups();
    if (url.startsWith('/api/obs/metrics/daily?')) return json({ from: 'x', to: 'y', group_by: null, rows: [] });
    if (url.startsWith('/api/obs/metrics/timeseries?')) return json({ from: '2026-12-07T00:00:00Z', to: '2026-12-07T01:00:00Z', step: '1h', metric: 'calls', group_by: null, series: [] });
    return undefined;
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

let client: QueryClient;

function renderAt(path: string) {
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/runs" element={<Runs />} />
          <Route path="/runs/:runId" element={<RunDetail />} />
          <Route path="/agents/:agentId" element={<AgentDetail />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('Run detail', () => {
  it('links the conversation of a chat turn from its run_start metadata, and names the agent', async () => {
    renderAt(`/runs/${RUN_ID}`);
    expect((await screen.findByTestId('run-conversation')).getAttribute('href')).toBe(`/chat/${CONV_ID}`);
    const agent = await screen.findByRole('link', { name: 'Support bot' });
    expect(agent.getAttribute('href')).toBe(`/agents/${AGENT_ID}`);
    expect(agent.getAttribute('title')).toBe(AGENT_ID);
  });

  it('has no conversation link for a run without one', async () => {
    runEvents = [event({ metadata: { source: 'sdk' } })];
    renderAt(`/runs/${RUN_ID}`);
    await screen.findByTestId('run-timeline');
    expect(screen.queryByTestId('run-conversation')).toBeNull();
  });
});

describe('Agent names in the obs pages', () => {
  it('shows the registered name with the id as tooltip, and the raw id where none is registered', async () => {
    renderAt('/runs');
    const table = await screen.findByTestId('runs-table');
    const named = await within(table).findByRole('link', { name: 'Support bot' });
    expect(named.getAttribute('title')).toBe(AGENT_ID);
    expect(within(table).getByRole('link', { name: 'billing-bot' }).getAttribute('title')).toBeNull();
  });

  it('falls back to the raw ids when the directory fails', async () => {
    directory = () => json({ code: 'service_unavailable', message: 'down', service: 'chat' }, 503);
    renderAt('/runs');
    const table = await screen.findByTestId('runs-table');
    await waitFor(() => expect(calls.some((c) => c.url === '/api/chat/agents/directory')).toBe(true));
    expect(within(table).getByRole('link', { name: AGENT_ID })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('Agent detail', () => {
  it('heads the page with the agent name and its id, and shows the approval metrics of the range', async () => {
    renderAt(`/agents/${AGENT_ID}?range=7d`);
    expect((await screen.findByRole('heading', { level: 1, name: 'Support bot' })).textContent).toBe('Support bot');
    expect(screen.getByTestId('agent-id').textContent).toBe(AGENT_ID);
    const table = await screen.findByTestId('approval-metrics-table');
    const cells = [...table.querySelectorAll('tbody td')].map((td) => td.textContent);
    expect(cells).toEqual(['demo_send_email', '8', '2', '75%', '1', '1', '0', '42.0 s', '3m 05s']);
    const request = new URL(calls.find((c) => c.url.startsWith('/api/obs/approvals'))!.url, 'http://x');
    expect(request.searchParams.get('agent_id')).toBe(AGENT_ID);
    expect(Date.parse(request.searchParams.get('to')!) - Date.parse(request.searchParams.get('from')!)).toBe(7 * 86_400_000);
  });

  it('hides the approvals panel when there are no groups, and keeps the raw id when the directory fails', async () => {
    approvalGroups = () => json({ from: 'x', to: 'y', groups: [] });
    directory = () => json({ code: 'boom', message: 'down' }, 500);
    renderAt(`/agents/${AGENT_ID}`);
    expect(await screen.findByRole('heading', { level: 1, name: AGENT_ID })).toBeTruthy();
    // the answer has arrived (and rendered nothing) once the query holds it
    await waitFor(() => expect(client.getQueriesData({ queryKey: ['obs', 'approvals'] })[0]?.[1]).toEqual({ from: 'x', to: 'y', groups: [] }));
    await screen.findByTestId('runs-table');
    expect(screen.queryByTestId('approval-metrics-table')).toBeNull();
    expect(screen.queryByTestId('agent-id')).toBeNull();
  });
});

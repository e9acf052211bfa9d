import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import ChatAgents from '../src/pages/ChatAgents';

type Call = { url: string; method: string; body: unknown };
let calls: Call[];
let role: string;
let onPost: () => Response;
let onExternal: (method: string, url: string) => Response;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const agent = {
  id: '0b9f3c1e-5d1a-4a53-9a0e-2f6b8a1c7d42', name: 'Mail helper', description: 'Answers mail', system_prompt: 'Be careful.',
  provider: 'openai', model: 'gpt-4o-mini', temperature: 0.7, max_tokens: 1024,
  tools: [{ name: 'gmail.send', requires_approval: true }, { name: 'web.fetch', requires_approval: false }],
  archived: false, archived_at: null, created_by: 'user-1', created_at: '2026-12-07T17:50:00Z', updated_at: '2026-12-07T17:50:00Z',
};
const external = {
  id: 'e1a2b3c4-0000-4000-8000-000000000001', name: 'Billing bot', agent_id: 'billing-bot', description: 'Runs in the billing service',
  api_key_id: null, archived: false, created_at: '2026-12-07T17:50:00Z', updated_at: '2026-12-07T17:50:00Z',
};
const providers = [
  { id: 'openai', display_name: 'OpenAI', family: 'openai', default_base_url: 'https://api.openai.com', requires_api_key: true, configured: true, api_key: '••••1234', base_url: null, default_model: 'gpt-4o-mini', updated_at: null, models: ['gpt-4o', 'gpt-4o-mini'] },
  { id: 'anthropic', display_name: 'Anthropic', family: 'anthropic', default_base_url: 'https://api.anthropic.com', requires_api_key: true, configured: false, api_key: null, base_url: null, default_model: null, updated_at: null, models: null },
];

const tools = [
  { name: 'demo_lookup_order', description: 'Looks up an order', kind: 'read', integration: 'demo', parameters: { type: 'object' } },
  { name: 'demo_send_email', description: 'Sends an email', kind: 'write', integration: 'demo', parameters: { type: 'object' } },
];

beforeEach(() => {
  calls = [];
  role = 'member';
  onPost = () => json(agent, 201);
  onExternal = (method) => (method === 'GET' ? json({ agents: [external] }) : json(external, method === 'POST' ? 201 : 200));
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      calls.push({ url, method, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      if (url === '/api/me') return json({ user: { id: 'u', email: 'a@b.c' }, workspace: { id: 'w', name: 'W' }, role, workspaces: [] });
      if (url === '/api/chat/providers') return json({ providers });
      if (url === '/api/chat/tools') return json({ tools });
      if (url.startsWith('/api/chat/external-agents')) return onExternal(method, url);
      if (url.startsWith('/api/chat/agents') && method === 'GET') return json({ agents: [agent] });
      if (url === '/api/chat/agents' && method === 'POST') return onPost();
      throw new Error(`unexpected fetch ${method} ${url}`);
    }),
  );
  document.cookie = 'XSRF-TOKEN=csrf-123; path=/';
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
});

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <ChatAgents />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('Agents page', () => {
  it('lists the agents, each linked to its observability page', async () => {
    renderPage();
    const table = await screen.findByTestId('chat-agents-table');
    const link = within(table).getByRole('link', { name: 'Mail helper' });
    expect(link.getAttribute('href')).toBe(`/agents/${agent.id}`);
    expect(within(table).getByText('gpt-4o-mini')).toBeTruthy();
    expect(within(table).getByText('2')).toBeTruthy();
    expect(calls.some((c) => c.url === '/api/chat/agents')).toBe(true);
  });

  it('asks for archived agents when the toggle is on', async () => {
    renderPage();
    await screen.findByTestId('chat-agents-table');
    fireEvent.click(screen.getByLabelText('show archived'));
    await waitFor(() => expect(calls.some((c) => c.url === '/api/chat/agents?include_archived=true')).toBe(true));
  });

  it('creates an agent with the exact JSON body', async () => {
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'New agent' }));
    await screen.findByRole('option', { name: 'Anthropic' });
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: '  Support bot ' } });
    fireEvent.change(screen.getByLabelText('Provider'), { target: { value: 'anthropic' } });
    fireEvent.change(screen.getByLabelText('Model'), { target: { value: 'claude-x' } });
    fireEvent.change(screen.getByLabelText('Temperature'), { target: { value: '0.5' } });
    fireEvent.change(screen.getByLabelText('System prompt'), { target: { value: 'Help.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add tool' }));
    fireEvent.change(screen.getByLabelText('Tool 1 name'), { target: { value: 'web.fetch' } });
    fireEvent.click(screen.getByLabelText('requires approval'));
    fireEvent.click(screen.getByRole('button', { name: 'Create agent' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.url).toBe('/api/chat/agents');
    expect(post.body).toEqual({
      name: 'Support bot', description: '', system_prompt: 'Help.', provider: 'anthropic', model: 'claude-x',
      temperature: 0.5, max_tokens: null, tools: [{ name: 'web.fetch', requires_approval: true }],
    });
  });

  it('offers the workspace tools and asks for approval of a write tool picked from them', async () => {
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'New agent' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Shop bot' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add tool' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add tool' }));
    await waitFor(() => expect(document.querySelectorAll('#available-tools option')).toHaveLength(2));
    fireEvent.change(screen.getByLabelText('Tool 1 name'), { target: { value: 'demo_send_email' } });
    fireEvent.change(screen.getByLabelText('Tool 2 name'), { target: { value: 'demo_lookup_order' } });
    expect(screen.getByTestId('tool-kind-0').textContent).toBe('write · demo');
    expect(screen.getByTestId('tool-kind-1').textContent).toBe('read · demo');
    fireEvent.click(screen.getByRole('button', { name: 'Create agent' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect((calls.find((c) => c.method === 'POST')!.body as { tools: unknown }).tools).toEqual([
      { name: 'demo_send_email', requires_approval: true },
      { name: 'demo_lookup_order', requires_approval: false },
    ]);
  });

  it('shows field errors of a 400 and a duplicate name next to the fields', async () => {
    onPost = () => json({ code: 'invalid_agent', message: 'Invalid agent', errors: [{ field: 'temperature', message: 'must be 0–2' }] }, 400);
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'New agent' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'X' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create agent' }));
    expect((await screen.findByText('must be 0–2')).getAttribute('data-field')).toBe('temperature');

    onPost = () => json({ code: 'duplicate_agent_name', message: 'An agent named X exists', field: 'name' }, 409);
    fireEvent.click(screen.getByRole('button', { name: 'Create agent' }));
    const errs = await screen.findAllByText('An agent named X exists');
    expect(errs.some((e) => e.getAttribute('data-field') === 'name')).toBe(true);
  });

  it('shows a viewer no write controls', async () => {
    role = 'viewer';
    renderPage();
    await screen.findByTestId('chat-agents-table');
    // the role has arrived once the viewer's notice shows; only then is an absent control meaningful
    await screen.findByTestId('read-only');
    expect(screen.queryByRole('button', { name: 'New agent' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Archive/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Edit/ })).toBeNull();
  });

  it('lists the external agents and registers one with the exact JSON body', async () => {
    renderPage();
    const table = await screen.findByTestId('external-agents-table');
    expect(within(table).getByRole('link', { name: 'Billing bot' }).getAttribute('href')).toBe('/agents/billing-bot');
    expect(within(table).getByText('billing-bot')).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Register external agent' }));
    fireEvent.change(screen.getByLabelText('Display name'), { target: { value: ' Search bot ' } });
    fireEvent.change(screen.getByLabelText('Agent id in its events'), { target: { value: 'search-bot' } });
    fireEvent.change(screen.getByLabelText('Description'), { target: { value: 'Indexes docs' } });
    fireEvent.click(screen.getByRole('button', { name: 'Register agent' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.url).toBe('/api/chat/external-agents');
    expect(post.body).toEqual({ name: 'Search bot', agent_id: 'search-bot', description: 'Indexes docs', api_key_id: null });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Register agent' })).toBeNull());
  });

  it('edits an external agent with PATCH and shows the field errors of its 400', async () => {
    onExternal = (method) =>
      method === 'GET'
        ? json({ agents: [external] })
        : json({ code: 'invalid_external_agent', message: 'Invalid external agent', errors: [{ field: 'agent_id', message: 'is already registered' }] }, 400);
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Edit external agent Billing bot' }));
    fireEvent.change(screen.getByLabelText('API key id (optional)'), { target: { value: 'key-7' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save external agent' }));
    expect((await screen.findByText('is already registered')).getAttribute('data-field')).toBe('agent_id');
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.url).toBe(`/api/chat/external-agents/${external.id}`);
    expect(patch.body).toEqual({ name: 'Billing bot', agent_id: 'billing-bot', description: 'Runs in the billing service', api_key_id: 'key-7' });
  });

  it('archives an external agent after a confirmation', async () => {
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Archive external agent Billing bot' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm archiving external agent Billing bot' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({ url: `/api/chat/external-agents/${external.id}/archive`, body: undefined });
  });

  it('shows a viewer the external agents without write controls', async () => {
    role = 'viewer';
    renderPage();
    await screen.findByTestId('external-agents-table');
    await screen.findByTestId('read-only');
    expect(screen.queryByRole('button', { name: 'Register external agent' })).toBeNull();
  });
});

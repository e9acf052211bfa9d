import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import Chat from '../src/pages/Chat';
import { DEMO_AGENT, type ChatAgent, type ConversationDetail } from '../src/api/chat';
import { AGENT_ID, CONV_ID, RUN_ID, agent, approval, conversation, json, me, message, sseResponse, sseStream, stubFetch, type Call } from './chatFixtures';

let calls: Call[];
let role: string;
let agents: ChatAgent[];
let providers: Array<{ id: string; display_name: string }>;
let stored: ConversationDetail;
let onPost: (url: string, body: unknown) => Response | Promise<Response> | undefined;
let onStream: () => Response;
let onGet: (url: string) => Response | undefined;

const userMessage = message({ id: 'm1', seq: 1, role: 'user', content: 'Where is order 42?' });

beforeEach(() => {
  role = 'member';
  agents = [agent()];
  providers = [{ id: 'openai', display_name: 'OpenAI' }];
  stored = { conversation: conversation(), messages: [userMessage], approvals: [] };
  onPost = () => undefined;
  onGet = () => undefined;
  onStream = () => sseResponse([['done', { run_id: RUN_ID, state: 'idle', usage: null }]]);
  calls = stubFetch((method, url, body) => {
    if (url === '/api/me') return json(me(role));
    if (method === 'GET' && url === '/api/chat/agents') return json({ agents });
    if (method === 'GET' && url === '/api/chat/providers') return json({ providers });
    if (method === 'GET' && onGet(url)) return onGet(url);
    if (method === 'GET' && url.startsWith('/api/chat/conversations?') || url === '/api/chat/conversations') {
      if (method === 'GET') return json({ conversations: [stored.conversation], next_cursor: null });
    }
    if (method === 'GET' && url === `/api/chat/conversations/${CONV_ID}/stream`) return onStream();
    if (method === 'GET' && url === `/api/chat/conversations/${stored.conversation.id}`) return json(stored);
    if (method === 'POST') return onPost(url, body);
    return undefined;
  });
  document.cookie = 'XSRF-TOKEN=csrf-123; path=/';
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
});

function Where() {
  const location = useLocation();
  return <div data-testid="location">{location.pathname}</div>;
}

function renderPage(path = `/chat/${CONV_ID}`) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/chat" element={<Chat />} />
          <Route path="/chat/:conversationId" element={<Chat />} />
        </Routes>
        <Where />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const composer = () => screen.findByLabelText('Message') as Promise<HTMLTextAreaElement>;
const gets = (url: string) => calls.filter((c) => c.method === 'GET' && c.url === url).length;

describe('Chat page', () => {
  it('lists the conversations and starts a new one with the picked agent', async () => {
    const fresh = conversation({ id: 'c0ffee00-0000-4000-8000-000000000002', title: null, state: 'idle', last_run_id: null });
    onPost = (url) => {
      if (url !== '/api/chat/conversations') return undefined;
      stored = { conversation: fresh, messages: [], approvals: [] };
      return json(fresh, 201);
    };
    renderPage('/chat');
    const list = await screen.findByTestId('conversation-list');
    expect(within(list).getByRole('link', { name: /Where is order 42\?/ }).getAttribute('href')).toBe(`/chat/${CONV_ID}?agent=${AGENT_ID}`);
    expect((screen.getByLabelText('Agent') as HTMLSelectElement).value).toBe(AGENT_ID);
    expect(calls.some((c) => c.url === `/api/chat/conversations?agent_id=${AGENT_ID}`)).toBe(true);

    fireEvent.click(await screen.findByRole('button', { name: 'New conversation' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(`/chat/${fresh.id}`));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post).toMatchObject({ url: '/api/chat/conversations', body: { agent_id: AGENT_ID } });
    expect(post.headers['X-XSRF-TOKEN']).toBe('csrf-123');
    expect(await screen.findByText('No messages yet. Say what you need below.')).toBeTruthy();
  });

  it('loads older conversations a page at a time', async () => {
    const older = conversation({ id: 'c0ffee00-0000-4000-8000-000000000009', title: 'An older one', state: 'idle' });
    onGet = (url) => {
      if (url === `/api/chat/conversations?agent_id=${AGENT_ID}`) return json({ conversations: [stored.conversation], next_cursor: 'page-2' });
      if (url === `/api/chat/conversations?agent_id=${AGENT_ID}&cursor=page-2`) return json({ conversations: [older], next_cursor: null });
      return undefined;
    };
    renderPage('/chat');
    const list = await screen.findByTestId('conversation-list');
    expect(within(list).getAllByRole('link')).toHaveLength(1);
    fireEvent.click(await screen.findByRole('button', { name: 'Load older' }));
    await waitFor(() => expect(within(list).getAllByRole('link')).toHaveLength(2));
    expect(within(list).getByRole('link', { name: /An older one/ })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load older' })).toBeNull();
  });

  it('renders answers as markdown without injecting their HTML, tool calls with status and result, usage and run links', async () => {
    stored.messages = [
      userMessage,
      message({
        id: 'm2', seq: 2, role: 'assistant',
        content: '**Shipped** yesterday. <img src=x onerror="alert(1)"> <script>alert(2)</script> [details](javascript:alert(3))',
        tool_calls: [{ id: 'call_1', name: 'demo_lookup_order', arguments: { order_id: '42' } }],
        provider: 'openai', model: 'gpt-4o-mini', usage: { input_tokens: 12, output_tokens: 30, cached_input_tokens: 0, reasoning_tokens: 0 },
      }),
      message({ id: 'm3', seq: 3, role: 'tool', content: 'order 42: shipped', tool_call_id: 'call_1', tool_name: 'demo_lookup_order', status: 'ok' }),
    ];
    const { container } = renderPage();
    const answer = await screen.findByTestId('message-m2');
    expect(within(answer).getByText('Shipped').tagName).toBe('STRONG');
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('[onerror]')).toBeNull();
    expect([...container.querySelectorAll('a')].some((a) => (a.getAttribute('href') ?? '').startsWith('javascript'))).toBe(false);
    expect(answer.textContent).toContain('<img src=x onerror="alert(1)">');

    const tool = within(answer).getByTestId('tool-call-call_1');
    expect(within(tool).getByText('demo_lookup_order')).toBeTruthy();
    expect(within(tool).getAllByText(/demo: local script, not a model/).length).toBe(1);
    expect(tool.querySelector('pre')!.textContent).toBe('{\n  "order_id": "42"\n}');
    expect(within(tool).getByTestId('tool-status').textContent).toBe('ok');
    expect(within(tool).getByText('order 42: shipped')).toBeTruthy();
    expect(screen.getByTestId('usage-m2').textContent).toContain('12 in · 30 out tokens · openai gpt-4o-mini');
    expect(screen.getByRole('link', { name: /^Run a1b2c3d4/ }).getAttribute('href')).toBe(`/runs/${RUN_ID}`);
  });

  it('sends a message, shows the answer while it streams and keeps the composer disabled until the turn is done', async () => {
    stored.messages = [];
    const stream = sseStream();
    onPost = (url) => (url === `/api/chat/conversations/${CONV_ID}/messages` ? stream.response : undefined);
    renderPage();
    const input = await composer();
    fireEvent.change(input, { target: { value: 'Where is order 42?' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.url).toBe(`/api/chat/conversations/${CONV_ID}/messages`);
    expect(post.body).toEqual({ content: 'Where is order 42?' });
    expect(post.headers).toMatchObject({ Accept: 'text/event-stream', 'X-XSRF-TOKEN': 'csrf-123' });

    stream.send('run', { run_id: RUN_ID, trace_id: 't', conversation_id: CONV_ID, message: userMessage });
    expect(await screen.findByText('Where is order 42?', { selector: '.chat-text' })).toBeTruthy();
    expect(input.disabled).toBe(true);
    expect(screen.getByTestId('composer-busy').textContent).toBe('The agent is answering…');

    stream.send('delta', { text: 'It ' });
    // an event cut in two on the wire
    stream.raw('event: delta\ndata: {"text":"**ships** to');
    stream.raw('day."}\n\n');
    await waitFor(() => expect(screen.getByTestId('streaming').textContent).toContain('It ships today.'));
    expect(within(screen.getByTestId('streaming')).getByText('ships').tagName).toBe('STRONG');

    const answer = message({ id: 'm2', seq: 2, role: 'assistant', content: 'It **ships** today.', usage: { input_tokens: 5, output_tokens: 4, cached_input_tokens: 0, reasoning_tokens: 0 }, provider: 'openai', model: 'gpt-4o-mini' });
    stream.send('message', { message: answer });
    stored = { conversation: conversation(), messages: [userMessage, answer], approvals: [] };
    stream.send('done', { run_id: RUN_ID, state: 'idle', usage: answer.usage });
    stream.close();

    await waitFor(() => expect(screen.queryByTestId('streaming')).toBeNull());
    await waitFor(() => expect(input.disabled).toBe(false));
    expect(screen.getByTestId('usage-m2').textContent).toContain('5 in · 4 out tokens');
    expect(gets(`/api/chat/conversations/${CONV_ID}`)).toBeGreaterThanOrEqual(2);
    expect(input.value).toBe('');
  });

  it('approves a pending tool call inline, then follows the continuation and refreshes the conversation', async () => {
    const call = message({ id: 'm2', seq: 2, role: 'assistant', content: '', tool_calls: [{ id: 'call_2', name: 'demo_send_email', arguments: { to: 'ann@example.com' } }] });
    stored = { conversation: conversation({ state: 'awaiting_approval' }), messages: [userMessage, call], approvals: [approval()] };
    const decided = approval({ state: 'approved', decided_by: 'u', decided_at: '2026-12-07T18:01:00Z' });
    const toolMessage = message({ id: 'm3', seq: 3, role: 'tool', content: 'sent to ann@example.com', tool_call_id: 'call_2', tool_name: 'demo_send_email', status: 'ok' });
    const done = message({ id: 'm4', seq: 4, role: 'assistant', content: 'Sent.' });
    onPost = (url) => (url === '/api/chat/approvals/ap-1/approve' ? json(decided) : undefined);
    onStream = () => {
      stored = { conversation: conversation(), messages: [userMessage, call, toolMessage, done], approvals: [approval({ state: 'executed', decided_by: 'u', decided_at: '2026-12-07T18:01:00Z', result: 'sent to ann@example.com' })] };
      return sseResponse([
        ['run', { run_id: RUN_ID, trace_id: 't', conversation_id: CONV_ID, message: null }],
        ['tool_result', { id: 'call_2', name: 'demo_send_email', status: 'ok', result: 'sent to ann@example.com', message: toolMessage }],
        ['message', { message: done }],
        ['done', { run_id: RUN_ID, state: 'idle', usage: null }],
      ]);
    };
    renderPage();
    const tool = await screen.findByTestId('tool-call-call_2');
    expect(within(tool).getByTestId('tool-status').textContent).toBe('awaiting approval');
    expect((await composer()).disabled).toBe(true);
    expect(screen.getByTestId('composer-busy').textContent).toContain('Waiting for an approval');

    fireEvent.click(within(tool).getByRole('button', { name: /^Approve/ }));
    expect(await screen.findByText('Sent.')).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post).toMatchObject({ url: '/api/chat/approvals/ap-1/approve', body: undefined });
    expect(gets(`/api/chat/conversations/${CONV_ID}/stream`)).toBe(1);
    await waitFor(() => expect(within(screen.getByTestId('tool-call-call_2')).getByTestId('tool-status').textContent).toBe('ok'));
    await waitFor(() => expect((screen.getByLabelText('Message') as HTMLTextAreaElement).disabled).toBe(false));
  });

  it('follows a turn that is running when the page opens', async () => {
    stored = { conversation: conversation({ state: 'running' }), messages: [userMessage], approvals: [] };
    const answer = message({ id: 'm2', seq: 2, role: 'assistant', content: 'Done meanwhile.' });
    onStream = () => {
      stored = { conversation: conversation(), messages: [userMessage, answer], approvals: [] };
      return sseResponse([
        ['delta', { text: 'Done meanwhile.' }],
        ['message', { message: answer }],
        ['done', { run_id: RUN_ID, state: 'idle', usage: null }],
      ]);
    };
    renderPage();
    expect(await screen.findByText('Done meanwhile.')).toBeTruthy();
    await waitFor(() => expect((screen.getByLabelText('Message') as HTMLTextAreaElement).disabled).toBe(false));
    expect(gets(`/api/chat/conversations/${CONV_ID}/stream`)).toBe(1);
  });

  it('rejects with the reason given', async () => {
    const call = message({ id: 'm2', seq: 2, role: 'assistant', tool_calls: [{ id: 'call_2', name: 'demo_send_email', arguments: {} }] });
    stored = { conversation: conversation({ state: 'awaiting_approval' }), messages: [userMessage, call], approvals: [approval()] };
    onPost = (url) => (url === '/api/chat/approvals/ap-1/reject' ? json(approval({ state: 'rejected', reason: 'Wrong address' })) : undefined);
    renderPage();
    const tool = await screen.findByTestId('tool-call-call_2');
    fireEvent.click(within(tool).getByRole('button', { name: /^Reject/ }));
    fireEvent.change(within(tool).getByLabelText(/Reason for rejecting/), { target: { value: ' Wrong address ' } });
    fireEvent.click(within(tool).getByRole('button', { name: /^Confirm rejecting/ }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({ url: '/api/chat/approvals/ap-1/reject', body: { reason: 'Wrong address' } });
    await waitFor(() => expect(gets(`/api/chat/conversations/${CONV_ID}/stream`)).toBe(1));
  });

  it('shows an error event as a clear message, once, also after the stored error arrives', async () => {
    stored.messages = [];
    onPost = () => {
      // the refetch after the turn finds the error stored on the assistant message
      stored = {
        conversation: conversation(),
        messages: [userMessage, message({ id: 'm2', seq: 2, role: 'assistant', error: { code: 'provider_auth_failed', message: 'OpenAI refused the API key (401).' } })],
        approvals: [],
      };
      return sseResponse([
        ['run', { run_id: RUN_ID, trace_id: 't', conversation_id: CONV_ID, message: userMessage }],
        ['error', { code: 'provider_auth_failed', message: 'OpenAI refused the API key (401).' }],
        ['done', { run_id: RUN_ID, state: 'idle', usage: null }],
      ]);
    };
    renderPage();
    fireEvent.change(await composer(), { target: { value: 'Hi' } });
    fireEvent.keyDown(screen.getByLabelText('Message'), { key: 'Enter' });
    expect((await screen.findByTestId('turn-error')).textContent).toContain('OpenAI refused the API key (401).');
    await screen.findByTestId('message-m2');
    expect(screen.getAllByTestId('turn-error')).toHaveLength(1);
    expect(screen.getByTestId('turn-error').textContent).toContain('provider_auth_failed');
  });

  it('links a turn refused for used-up hosted credits to the Billing page', async () => {
    stored = {
      conversation: conversation(),
      messages: [userMessage, message({ id: 'm2', seq: 2, role: 'assistant', error: { code: 'hosted_credits_exhausted', message: 'This workspace has used up its hosted credits.' } })],
      approvals: [],
    };
    renderPage();
    await screen.findByTestId('message-m2');
    const error = screen.getByTestId('turn-error');
    expect(error.textContent).toContain('hosted_credits_exhausted');
    expect(within(error).getByTestId('turn-error-billing').getAttribute('href')).toBe('/billing');
    expect(within(error).getByRole('link', { name: 'Add your own API key' }).getAttribute('href')).toBe('/settings/providers');
  });

  it('says so when a turn is still in progress', async () => {
    onPost = () => json({ code: 'turn_in_progress', message: 'A turn is running' }, 409);
    renderPage();
    fireEvent.change(await composer(), { target: { value: 'Again' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByRole('alert')).textContent).toContain('still working on the last message');
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('Again');
  });

  it('lets a viewer read but shows no composer and no decide buttons', async () => {
    role = 'viewer';
    const call = message({ id: 'm2', seq: 2, role: 'assistant', tool_calls: [{ id: 'call_2', name: 'demo_send_email', arguments: {} }] });
    stored = { conversation: conversation({ state: 'awaiting_approval' }), messages: [userMessage, call], approvals: [approval()] };
    renderPage();
    await screen.findByTestId('tool-call-call_2');
    await screen.findByTestId('read-only');
    expect(screen.queryByLabelText('Message')).toBeNull();
    expect(screen.queryByRole('button', { name: /Approve|Reject/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'New conversation' })).toBeNull();
  });

  it('offers the demo agent when the workspace has none and the demo provider is there', async () => {
    agents = [];
    providers = [{ id: 'openai', display_name: 'OpenAI' }, { id: 'demo', display_name: 'Demo (local script, not a model)' }];
    onPost = (url) => (url === '/api/chat/agents' ? json(agent({ name: 'Demo agent', provider: 'demo' }), 201) : undefined);
    renderPage('/chat');
    expect((await screen.findByRole('link', { name: 'Create an agent' })).getAttribute('href')).toBe('/settings/agents');
    fireEvent.click(await screen.findByRole('button', { name: 'Create the demo agent' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.url).toBe('/api/chat/agents');
    expect(post.body).toEqual(DEMO_AGENT);
    expect(post.body).toMatchObject({
      name: 'Demo agent', provider: 'demo', model: 'beacon-demo',
      tools: [{ name: 'demo_lookup_order', requires_approval: false }, { name: 'demo_send_email', requires_approval: true }],
    });
    expect(screen.getAllByText(/local script, not a model/).length).toBeGreaterThan(0);
  });

  it('shows no demo button without the demo provider', async () => {
    agents = [];
    renderPage('/chat');
    await screen.findByRole('link', { name: 'Create an agent' });
    await waitFor(() => expect(calls.some((c) => c.url === '/api/chat/providers')).toBe(true));
    await screen.findByTestId('location');
    expect(screen.queryByRole('button', { name: 'Create the demo agent' })).toBeNull();
  });
});

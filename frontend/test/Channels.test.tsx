import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import Channels from '../src/pages/Channels';

type Call = { url: string; method: string; body: unknown; headers: Record<string, string> };
let calls: Call[];
let role: string;
let channels: unknown[];
let onCreate: (body: Record<string, unknown>) => Response;
let onDelete: () => Response;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const TELEGRAM_TOKEN = '123456789:AAsecretTokenPart_abcdefghijklmnop';
let agents: { id: string; name: string; archived: boolean }[];
const telegram = {
  id: 'c-tg', kind: 'telegram', agent_id: 'a-1', bot_token: '••••mnop', application_id: null, public_key: null,
  webhook_url: 'https://beacon.example/api/integrations/channels/telegram/c-tg/webhook',
  created_by: 'user-1', created_at: '2026-12-08T03:00:00Z', status: 'ok', last_message_at: '2026-12-08T04:00:00Z', last_reply_at: '2026-12-08T04:00:01Z', last_error: null,
};
const discord = {
  id: 'c-dc', kind: 'discord', agent_id: 'a-old', bot_token: null, application_id: '1098765432109876543', public_key: 'ab'.repeat(32),
  interactions_endpoint_url: 'https://beacon.example/api/integrations/channels/discord/c-dc/interactions',
  created_by: 'user-1', created_at: '2026-12-08T03:30:00Z', status: 'error', last_message_at: '2026-12-08T04:10:00Z', last_reply_at: null,
  last_error: { message: "Discord's interaction token expired (it lives 15 minutes) and the channel has no bot token to post with", at: '2026-12-08T04:40:00Z' },
};

beforeEach(() => {
  calls = [];
  role = 'owner';
  agents = [
    { id: 'a-1', name: 'Support bot', archived: false },
    { id: 'a-2', name: 'Mailer', archived: false },
    { id: 'a-old', name: 'Old bot', archived: true },
  ];
  channels = [telegram, discord];
  onCreate = (body) =>
    json(
      body.kind === 'telegram'
        ? { ...telegram, id: 'c-new', agent_id: body.agent_id, webhook_url: 'https://beacon.example/api/integrations/channels/telegram/c-new/webhook', status: 'waiting', last_message_at: null }
        : { ...discord, id: 'c-new2', agent_id: body.agent_id, application_id: body.application_id, public_key: body.public_key, bot_token: body.bot_token ? '••••WXYZ' : null, interactions_endpoint_url: 'https://beacon.example/api/integrations/channels/discord/c-new2/interactions', status: 'waiting', last_error: null },
      201,
    );
  onDelete = () => new Response(null, { status: 204 });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      const body = init?.body === undefined ? undefined : JSON.parse(String(init.body));
      calls.push({ url, method, body, headers: (init?.headers ?? {}) as Record<string, string> });
      if (url === '/api/me') return json({ user: { id: 'user-1', email: 'a@b.c' }, workspace: { id: 'w', name: 'W' }, role, workspaces: [] });
      if (url === '/api/chat/agents?include_archived=true') return json({ agents });
      if (url === '/api/integrations/channels' && method === 'GET') return json({ channels });
      if (url === '/api/integrations/channels' && method === 'POST') return onCreate(body);
      if (url.startsWith('/api/integrations/channels/') && method === 'DELETE') return onDelete();
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
      <MemoryRouter initialEntries={['/channels']}>
        <Channels />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const writes = () => calls.filter((c) => c.method !== 'GET');
const row = async (id: string) => {
  const table = await screen.findByTestId('channels-table');
  await waitFor(() => expect(table.querySelector(`[data-channel-id="${id}"]`)).not.toBeNull());
  return table.querySelector(`[data-channel-id="${id}"]`) as HTMLElement;
};
const form = async () => (await screen.findByRole('form', { name: 'New channel' })) as HTMLElement;

describe('Channels page', () => {
  it('lists each channel with its kind, agent, status, last message, last relay error and the URL at the provider', async () => {
    renderPage();
    const tg = await row('c-tg');
    expect(within(tg).getByText('Telegram')).toBeTruthy();
    await waitFor(() => expect(within(tg).getByText('Support bot')).toBeTruthy());
    expect(tg.querySelector('[data-status]')!.getAttribute('data-status')).toBe('ok');
    expect(within(tg).getByTestId('channel-endpoint').textContent).toBe(telegram.webhook_url);
    expect(within(tg).getByText('••••mnop')).toBeTruthy();
    expect(within(tg).getByText('none')).toBeTruthy();

    const dc = await row('c-dc');
    expect(within(dc).getByText('Discord')).toBeTruthy();
    expect(within(dc).getByText('Old bot (archived)')).toBeTruthy();
    expect(dc.querySelector('[data-status]')!.textContent).toBe('reply failed');
    expect(within(dc).getByTestId('channel-last-error').textContent).toContain('interaction token expired');
    expect(within(dc).getByTestId('channel-endpoint').textContent).toBe(discord.interactions_endpoint_url);
    expect(within(dc).getByText(/Interactions Endpoint URL/)).toBeTruthy();
    expect(writes()).toEqual([]);
  });

  it('creates a Telegram channel with the bot token and never shows the token again', async () => {
    renderPage();
    const f = await form();
    // archived agents cannot take a new channel
    const agent = within(f).getByLabelText('Agent') as HTMLSelectElement;
    expect(Array.from(agent.options).map((o) => o.textContent)).toEqual(['Support bot', 'Mailer']);
    fireEvent.change(agent, { target: { value: 'a-2' } });
    const token = within(f).getByLabelText('Bot token') as HTMLInputElement;
    expect(token.type).toBe('password');
    fireEvent.change(token, { target: { value: TELEGRAM_TOKEN } });
    fireEvent.click(within(f).getByRole('button', { name: 'Create channel' }));

    const created = await screen.findByTestId('channel-created');
    expect(writes()).toHaveLength(1);
    expect(writes()[0]).toMatchObject({ method: 'POST', url: '/api/integrations/channels', body: { kind: 'telegram', agent_id: 'a-2', bot_token: TELEGRAM_TOKEN } });
    expect(writes()[0].headers['X-XSRF-TOKEN']).toBe('csrf-123');
    expect(within(created).getByTestId('created-endpoint').textContent).toBe('https://beacon.example/api/integrations/channels/telegram/c-new/webhook');
    expect(created.textContent).toContain('registered this webhook with Telegram');
    expect(token.value).toBe('');
    expect(document.body.innerHTML).not.toContain('secretTokenPart');
  });

  it('creates a Discord channel with application id, public key and an optional bot token', async () => {
    renderPage();
    const f = await form();
    fireEvent.change(within(f).getByLabelText('Kind'), { target: { value: 'discord' } });
    fireEvent.change(within(f).getByLabelText('Application ID'), { target: { value: ' 1098765432109876543 ' } });
    fireEvent.change(within(f).getByLabelText('Public key'), { target: { value: 'cd'.repeat(32) } });
    fireEvent.click(within(f).getByRole('button', { name: 'Create channel' }));

    const created = await screen.findByTestId('channel-created');
    // no bot token typed: none is sent
    expect(writes()[0].body).toEqual({ kind: 'discord', agent_id: 'a-1', application_id: '1098765432109876543', public_key: 'cd'.repeat(32) });
    expect(within(created).getByTestId('created-endpoint').textContent).toBe('https://beacon.example/api/integrations/channels/discord/c-new2/interactions');
    expect(created.textContent).toContain('Interactions Endpoint URL');

    fireEvent.click(within(created).getByRole('button', { name: 'Done' }));
    fireEvent.change(within(f).getByLabelText('Application ID'), { target: { value: '42' } });
    fireEvent.change(within(f).getByLabelText('Public key'), { target: { value: 'ef'.repeat(32) } });
    fireEvent.change(within(f).getByLabelText('Bot token (optional)'), { target: { value: 'MTA5.GhIjKl.discordBotSecretXYZ' } });
    fireEvent.click(within(f).getByRole('button', { name: 'Create channel' }));
    await waitFor(() => expect(writes()).toHaveLength(2));
    expect(writes()[1].body).toMatchObject({ bot_token: 'MTA5.GhIjKl.discordBotSecretXYZ' });
    await screen.findByTestId('channel-created');
    expect(document.body.innerHTML).not.toContain('discordBotSecretXYZ');
  });

  it('shows a refused field beside it and a documented error code in words', async () => {
    onCreate = () => json({ code: 'invalid_channel', message: 'bot_token was refused by Telegram (Unauthorized)', field: 'bot_token' }, 400);
    renderPage();
    const f = await form();
    fireEvent.change(within(f).getByLabelText('Bot token'), { target: { value: TELEGRAM_TOKEN } });
    fireEvent.click(within(f).getByRole('button', { name: 'Create channel' }));
    expect((await within(f).findByText(/was refused by Telegram/)).getAttribute('data-field')).toBe('bot_token');
    expect(screen.queryByTestId('create-error')).toBeNull();

    onCreate = () => json({ code: 'channels_unconfigured', message: 'Channels cannot relay messages.' }, 503);
    fireEvent.click(within(f).getByRole('button', { name: 'Create channel' }));
    const alert = await screen.findByTestId('create-error');
    expect(alert.textContent).toContain('BEACON_CHAT_SERVICE_URL');
    expect(alert.textContent).toContain('channels_unconfigured');
  });

  it('deletes a channel after confirmation and reloads the list', async () => {
    renderPage();
    const tg = await row('c-tg');
    fireEvent.click(within(tg).getByRole('button', { name: 'Delete Telegram channel to Support bot' }));
    expect(writes()).toEqual([]);
    channels = [discord];
    fireEvent.click(within(tg).getByRole('button', { name: 'Confirm deleting Telegram channel to Support bot' }));
    await waitFor(() => expect(writes()).toHaveLength(1));
    expect(writes()[0]).toMatchObject({ method: 'DELETE', url: '/api/integrations/channels/c-tg' });
    await waitFor(() => expect(screen.getByTestId('channels-table').querySelector('[data-channel-id="c-tg"]')).toBeNull());
  });

  it('shows members the channels without the form or delete buttons', async () => {
    role = 'member';
    renderPage();
    await row('c-tg');
    expect(screen.getByTestId('read-only')).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'New channel' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Delete/ })).toBeNull();
  });

  it('links to the agents page when the workspace has no agent to relay to', async () => {
    agents = [{ id: 'a-old', name: 'Old bot', archived: true }];
    renderPage();
    const empty = await screen.findByTestId('no-agents');
    expect(within(empty).getByRole('link', { name: 'Create an agent' }).getAttribute('href')).toBe('/settings/agents');
  });
});

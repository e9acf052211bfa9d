import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import Integrations from '../src/pages/Integrations';
import { browser } from '../src/api/integrations';

type Call = { url: string; method: string; body: unknown; headers: Record<string, string> };
let calls: Call[];
let role: string;
let onAuthorize: (url: string) => Response;
let onDelete: () => Response;
let connections: unknown[];

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const providers = [
  { id: 'google', display_name: 'Google', configured: true, scopes: ['openid', 'email', 'https://www.googleapis.com/auth/gmail.readonly'] },
  { id: 'slack', display_name: 'Slack', configured: true, scopes: ['chat:write', 'channels:read'] },
  { id: 'github', display_name: 'GitHub', configured: false, scopes: ['repo', 'read:user'] },
];
const google = {
  id: '7f0c1e52-1111-4000-8000-000000000001', provider: 'google', account: 'ops@example.com', scopes: ['openid', 'email'],
  connected_by: 'user-1', connected_at: '2026-12-07T10:00:00Z', last_used_at: null, status: 'ok',
};
const slack = {
  id: '7f0c1e52-2222-4000-8000-000000000002', provider: 'slack', account: 'Acme', scopes: ['chat:write'],
  connected_by: 'user-2', connected_at: '2026-12-07T11:00:00Z', last_used_at: '2026-12-07T12:00:00Z', status: 'needs_reauth',
};
const tools = [
  { name: 'web_fetch', description: 'Fetches a public web page (http or https) and returns its readable text.', kind: 'read', integration: 'web', parameters: { type: 'object' } },
];

beforeEach(() => {
  calls = [];
  role = 'member';
  connections = [google, slack];
  onAuthorize = (url) => json({ authorization_url: `https://accounts.example/authorize?from=${encodeURIComponent(url)}` });
  onDelete = () => new Response(null, { status: 204 });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      calls.push({ url, method, body: init?.body === undefined ? undefined : JSON.parse(String(init.body)), headers: (init?.headers ?? {}) as Record<string, string> });
      if (url === '/api/me') return json({ user: { id: 'user-1', email: 'a@b.c' }, workspace: { id: 'w', name: 'W' }, role, workspaces: [] });
      if (url === '/api/integrations/providers' && method === 'GET') return json({ providers });
      if (url === '/api/integrations/connections' && method === 'GET') return json({ connections });
      if (url === '/api/integrations/tools' && method === 'GET') return json({ tools });
      if (url.endsWith('/authorize') && method === 'POST') return onAuthorize(url);
      if (url.startsWith('/api/integrations/connections/') && method === 'DELETE') return onDelete();
      throw new Error(`unexpected fetch ${method} ${url}`);
    }),
  );
  // the page navigates through browser.assign (window.location.href in the app); jsdom cannot navigate
  vi.spyOn(browser, 'assign').mockImplementation(() => undefined);
  document.cookie = 'XSRF-TOKEN=csrf-123; path=/';
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
});

function renderPage(path = '/integrations') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Integrations />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const writes = () => calls.filter((c) => c.method !== 'GET');
const provider = async (id: string) => (await screen.findByText(providers.find((p) => p.id === id)!.display_name, { selector: 'strong' })).closest('li') as HTMLElement;

describe('Integrations page', () => {
  it('lists providers, connections with their status and the tools', async () => {
    renderPage();
    const github = await provider('github');
    expect(within(github).getByTestId('provider-github-unconfigured').textContent).toContain('BEACON_INTEGRATIONS_GITHUB_CLIENT_ID');
    expect(within(github).getByTestId('provider-github-unconfigured').textContent).toContain('BEACON_INTEGRATIONS_GITHUB_CLIENT_SECRET');
    expect(within(github).queryByRole('button', { name: /Connect/ })).toBeNull();
    expect(within(await provider('google')).getByRole('button', { name: 'Connect Google' })).toBeTruthy();

    const table = await screen.findByTestId('connections-table');
    const googleRow = table.querySelector(`[data-connection-id="${google.id}"]`) as HTMLElement;
    expect(within(googleRow).getByText('ops@example.com')).toBeTruthy();
    expect(googleRow.querySelector('[data-status]')!.getAttribute('data-status')).toBe('ok');
    expect(within(googleRow).getByText('you')).toBeTruthy();
    expect(within(googleRow).getByText('never')).toBeTruthy();
    expect(within(googleRow).queryByRole('button', { name: /Reconnect/ })).toBeNull();
    const slackRow = table.querySelector(`[data-connection-id="${slack.id}"]`) as HTMLElement;
    expect(slackRow.querySelector('[data-status]')!.textContent).toBe('needs reconnect');
    expect(within(slackRow).getByRole('button', { name: 'Reconnect Slack (Acme)' })).toBeTruthy();
    expect(screen.getByTestId('reauth-banner').textContent).toContain('Slack (Acme)');

    const toolTable = await screen.findByTestId('integration-tools-table');
    expect(within(toolTable).getByText('web_fetch')).toBeTruthy();
    expect(within(toolTable).getByText('web')).toBeTruthy();
    expect(within(toolTable).getByText('read')).toBeTruthy();
    expect(writes()).toEqual([]);
  });

  it('connect asks for the authorization URL and sends the browser there', async () => {
    renderPage();
    fireEvent.click(within(await provider('google')).getByRole('button', { name: 'Connect Google' }));
    await waitFor(() => expect(browser.assign).toHaveBeenCalledTimes(1));
    expect(writes()).toHaveLength(1);
    const post = writes()[0];
    expect(post.url).toBe('/api/integrations/connections/google/authorize');
    expect(post.method).toBe('POST');
    expect(post.body).toBeUndefined();
    expect(post.headers['X-XSRF-TOKEN']).toBe('csrf-123');
    expect(browser.assign).toHaveBeenCalledWith(`https://accounts.example/authorize?from=${encodeURIComponent('/api/integrations/connections/google/authorize')}`);
  });

  it('reconnect of a needs_reauth connection makes the same authorize call', async () => {
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Reconnect Slack (Acme)' }));
    await waitFor(() => expect(browser.assign).toHaveBeenCalledTimes(1));
    expect(writes().map((c) => [c.method, c.url])).toEqual([['POST', '/api/integrations/connections/slack/authorize']]);
  });

  it('shows a documented error of the authorize call and does not navigate', async () => {
    onAuthorize = () => json({ code: 'encryption_unconfigured', message: 'Connections cannot be stored.' }, 503);
    renderPage();
    fireEvent.click(within(await provider('google')).getByRole('button', { name: 'Connect Google' }));
    const alert = await screen.findByTestId('connect-error');
    expect(alert.textContent).toContain('BEACON_INTEGRATIONS_KEYSET');
    expect(alert.textContent).toContain('encryption_unconfigured');
    expect(browser.assign).not.toHaveBeenCalled();
  });

  it('names the environment variables on provider_not_configured', async () => {
    onAuthorize = () => json({ code: 'provider_not_configured', message: 'Slack is not configured.', provider: 'slack' }, 409);
    renderPage();
    fireEvent.click(within(await provider('slack')).getByRole('button', { name: 'Connect Slack' }));
    expect((await screen.findByTestId('connect-error')).textContent).toContain('BEACON_INTEGRATIONS_SLACK_CLIENT_ID');
  });

  it('disconnect asks for confirmation, then sends DELETE and reloads the list', async () => {
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect Google (ops@example.com)' }));
    expect(writes()).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('button', { name: 'Confirm disconnecting Google (ops@example.com)' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Disconnect Google (ops@example.com)' }));
    connections = [slack];
    const listsBefore = calls.filter((c) => c.url === '/api/integrations/connections').length;
    fireEvent.click(screen.getByRole('button', { name: 'Confirm disconnecting Google (ops@example.com)' }));
    await waitFor(() => expect(writes()).toHaveLength(1));
    expect(writes()[0]).toMatchObject({ method: 'DELETE', url: `/api/integrations/connections/${google.id}`, body: undefined });
    expect(writes()[0].headers['X-XSRF-TOKEN']).toBe('csrf-123');
    await waitFor(() => expect(calls.filter((c) => c.url === '/api/integrations/connections').length).toBeGreaterThan(listsBefore));
    await waitFor(() => expect(screen.queryByText('ops@example.com')).toBeNull());
  });

  it('shows connection_not_found of a disconnect', async () => {
    onDelete = () => json({ code: 'connection_not_found', message: 'There is no connection.' }, 404);
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect Google (ops@example.com)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm disconnecting Google (ops@example.com)' }));
    expect((await screen.findByText(/connection_not_found/)).textContent).toContain('no longer exists');
  });

  it('shows a viewer no write buttons', async () => {
    role = 'viewer';
    renderPage();
    await screen.findByTestId('read-only');
    await screen.findByTestId('connections-table');
    await provider('google');
    // (the "Connected" column's sort header is a button too)
    expect(screen.queryByRole('button', { name: /^Connect (Google|Slack|GitHub)$/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Reconnect/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Disconnect/ })).toBeNull();
    // the list itself is there
    expect(screen.getByText('ops@example.com')).toBeTruthy();
  });

  it('shows the connected banner after the OAuth callback, and dismisses it', async () => {
    renderPage('/integrations?connected=slack');
    await provider('slack');
    const banner = await screen.findByTestId('connected-banner');
    await waitFor(() => expect(banner.textContent).toContain('Slack is connected'));
    fireEvent.click(within(banner).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('connected-banner')).toBeNull();
  });

  it('explains a refused callback the service sent the browser back with, and dismisses it', async () => {
    renderPage('/integrations?error=authorization_denied&provider=slack');
    await provider('slack');
    const banner = await screen.findByTestId('callback-error');
    await waitFor(() => expect(banner.textContent).toContain('Connecting Slack did not finish: access was not granted'));
    fireEvent.click(within(banner).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('callback-error')).toBeNull();
  });

  it('names an unknown callback code as it came', async () => {
    renderPage('/integrations?error=something_new&provider=github');
    const banner = await screen.findByTestId('callback-error');
    expect(banner.textContent).toContain('the callback was refused (something_new).');
  });

  it('shows no banner without ?connected', async () => {
    renderPage();
    await screen.findByTestId('connections-table');
    expect(screen.queryByTestId('connected-banner')).toBeNull();
  });

  it('says when there are no connections', async () => {
    connections = [];
    renderPage();
    expect(await screen.findByText('No connections yet. Connect a configured provider above.')).toBeTruthy();
  });

  it('shows a failed list with errorText and its code', async () => {
    const real = vi.mocked(fetch).getMockImplementation()!;
    vi.mocked(fetch).mockImplementation(async (url, init) =>
      url === '/api/integrations/connections' ? json({ code: 'service_unavailable', message: 'down', service: 'integrations' }, 503) : real(url, init),
    );
    renderPage();
    expect((await screen.findByText(/The integrations service is unavailable/)).closest('[role="alert"]')).toBeTruthy();
    // the other panels keep working
    expect(await screen.findByTestId('integration-tools-table')).toBeTruthy();
  });
});

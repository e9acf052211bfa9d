import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import Integrations, { errorRateThreshold } from '../src/pages/Integrations';
import { browser } from '../src/api/integrations';

type Call = { url: string; method: string; body: unknown; headers: Record<string, string> };
let calls: Call[];
let role: string;
let onAuthorize: (url: string) => Response;
let onDelete: () => Response;
let onSla: (method: string, url: string, body: unknown) => Response;
let onConnect: (body: unknown) => Response;
let scorecards: Record<number, unknown[]>;
let connections: unknown[];
let onRule: (body: unknown) => Response;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const providers = [
  { id: 'google', display_name: 'Google', configured: true, scopes: ['openid', 'email', 'https://www.googleapis.com/auth/gmail.readonly'] },
  { id: 'slack', display_name: 'Slack', configured: true, scopes: ['chat:write', 'channels:read'] },
  { id: 'github', display_name: 'GitHub', configured: false, scopes: ['repo', 'read:user'] },
];
const credentialProviders = [
  { id: 'binance', display_name: 'Binance', fields: ['api_key', 'api_secret'], platform_credential: false },
  { id: 'telegram', display_name: 'Telegram', fields: ['bot_token'], platform_credential: false },
  { id: 'brave', display_name: 'Brave Search', fields: ['api_key'], platform_credential: true },
];
const GMAIL_SEND = 'https://www.googleapis.com/auth/gmail.send';
const GMAIL_READ = 'https://www.googleapis.com/auth/gmail.readonly';
const google = {
  id: '7f0c1e52-1111-4000-8000-000000000001', provider: 'google', account: 'ops@example.com', scopes: ['openid', 'email', GMAIL_SEND],
  connected_by: 'user-1', connected_at: '2026-12-07T10:00:00Z', last_used_at: null, status: 'ok', last_error: null, availability_target: '99.5',
};
const slack = {
  id: '7f0c1e52-2222-4000-8000-000000000002', provider: 'slack', account: 'Acme', scopes: ['chat:write'],
  connected_by: 'user-2', connected_at: '2026-12-07T11:00:00Z', last_used_at: '2026-12-07T12:00:00Z', status: 'needs_reauth',
  last_error: { code: 'needs_reauth', message: 'Slack refused the token (invalid_auth).', at: '2026-12-07T12:30:00Z' }, availability_target: '99.9',
};
const binance = {
  id: '7f0c1e52-3333-4000-8000-000000000003', provider: 'binance', account: 'SPOT account 354937868', scopes: [],
  connected_by: 'user-1', connected_at: '2026-12-07T13:00:00Z', last_used_at: null, status: 'ok', last_error: null, availability_target: null,
};
const telegram = {
  id: '7f0c1e52-4444-4000-8000-000000000004', provider: 'telegram', account: '@acme_alerts_bot', scopes: [],
  connected_by: 'user-1', connected_at: '2026-12-07T14:00:00Z', last_used_at: null, status: 'needs_reauth',
  last_error: { code: 'needs_reauth', message: 'Telegram refused the connection’s token (Unauthorized).', at: '2026-12-07T14:30:00Z' }, availability_target: null,
};
const tools = [
  { name: 'web_fetch', description: 'Fetches a public web page (http or https) and returns its readable text.', kind: 'read', integration: 'web', parameters: { type: 'object' }, required_scopes: [] },
  { name: 'gmail.send', description: 'Sends a mail.', kind: 'write', integration: 'google', parameters: { type: 'object' }, required_scopes: [GMAIL_SEND] },
  // listed for another Google connection that granted gmail.readonly; the one above did not
  { name: 'gmail.search', description: 'Searches mail.', kind: 'read', integration: 'google', parameters: { type: 'object' }, required_scopes: [GMAIL_READ] },
];
const score = (name: string, calls: number, errors: number, p95: number | null, type = 'service_call') => ({
  type, name, calls, errors, error_rate: calls ? errors / calls : 0, p50_ms: p95, p95_ms: p95, agents_affected: 1,
});
/** The scorecard per window length in days (from the query's from and to). */
const defaultScorecards = (): Record<number, unknown[]> => ({
  1: [score('google/gmail.messages.list', 3, 1, 120), score('google/gmail.messages.get', 1, 0, 250), score('github/issues.create', 9, 9, 999), score('gmail.search', 50, 50, 5, 'tool_call')],
  7: [score('google/gmail.messages.list', 2000, 3, 180), score('googleplus/x.y', 10, 10, 7000)],
  30: [score('google/gmail.messages.list', 3, 1, 180)],
});
const windowDays = (url: string) => {
  const search = new URL(url, 'http://x').searchParams;
  return (Date.parse(search.get('to')!) - Date.parse(search.get('from')!)) / 86_400_000 + 1;
};

beforeEach(() => {
  calls = [];
  role = 'member';
  connections = [google, slack];
  onAuthorize = (url) => json({ authorization_url: `https://accounts.example/authorize?from=${encodeURIComponent(url)}` });
  onDelete = () => new Response(null, { status: 204 });
  onSla = (method) => (method === 'DELETE' ? new Response(null, { status: 204 }) : json({ ...google, availability_target: '99.95' }));
  onConnect = () => json({ ...binance }, 201);
  scorecards = defaultScorecards();
  onRule = (body) => json({ ...(body as object), id: 'rule-1', states: [], created_at: 'x', updated_at: 'x' }, 201);
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      calls.push({ url, method, body: init?.body === undefined ? undefined : JSON.parse(String(init.body)), headers: (init?.headers ?? {}) as Record<string, string> });
      if (url === '/api/me') return json({ user: { id: 'user-1', email: 'a@b.c' }, workspace: { id: 'w', name: 'W' }, role, workspaces: [] });
      if (url === '/api/integrations/providers' && method === 'GET') return json({ providers, credential_providers: credentialProviders });
      if (url === '/api/integrations/connections' && method === 'POST') return onConnect(init?.body === undefined ? undefined : JSON.parse(String(init.body)));
      if (url === '/api/integrations/connections' && method === 'GET') return json({ connections });
      if (url === '/api/integrations/tools' && method === 'GET') return json({ tools });
      if (url.startsWith('/api/obs/tools?') && method === 'GET') return json(scorecards[windowDays(url)]);
      if (url.endsWith('/authorize') && method === 'POST') return onAuthorize(url);
      if (url.endsWith('/sla')) return onSla(method, url, init?.body === undefined ? undefined : JSON.parse(String(init.body)));
      if (url.startsWith('/api/integrations/connections/') && method === 'DELETE') return onDelete();
      if (url === '/api/obs/alerts/rules' && method === 'POST') return onRule(init?.body === undefined ? undefined : JSON.parse(String(init.body)));
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
    expect(within(toolTable).getAllByText('read')).toHaveLength(2);
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
    // the connections panel and the health panel, which lists the same connections
    const failures = await screen.findAllByText(/The integrations service is unavailable/);
    expect(failures).toHaveLength(2);
    for (const failure of failures) expect(failure.closest('[role="alert"]')).toBeTruthy();
    // the other panels keep working
    expect(await screen.findByTestId('integration-tools-table')).toBeTruthy();
  });

  const card = async (id: string) => screen.findByTestId(`connection-health-${id}`);
  const row = (card: HTMLElement, window: string) => card.querySelector(`[data-window="${window}"]`) as HTMLElement;
  const cell = (card: HTMLElement, window: string, name: string) => row(card, window).querySelector(`[data-cell="${name}"]`)?.textContent;

  it('shows each connection’s health per window from the scorecard’s service_call rows of its provider', async () => {
    renderPage();
    const g = await card(google.id);
    await waitFor(() => expect(cell(g, '30d', 'calls')).toBe('3'));
    // today: 3 + 1 calls of two operations, 1 error; github's rows and the tool_call row are not Google's
    expect(cell(g, '1d', 'calls')).toBe('4');
    expect(cell(g, '1d', 'error-rate')).toBe('25.00%');
    expect(cell(g, '1d', 'availability')).toBe('75.00%');
    expect(cell(g, '1d', 'p95')).toBe('≤ 250 ms');
    // 7 days: one operation (p95 exact); googleplus/… is another service
    expect(cell(g, '7d', 'calls')).toBe('2,000');
    expect(cell(g, '7d', 'error-rate')).toBe('0.15%');
    expect(cell(g, '7d', 'availability')).toBe('99.85%');
    expect(cell(g, '7d', 'p95')).toBe('180 ms');
    // 30 days: 1 of 3 failed — the error rate rounds up, availability down
    expect(cell(g, '30d', 'error-rate')).toBe('33.34%');
    expect(cell(g, '30d', 'availability')).toBe('66.66%');

    const windows = calls.filter((c) => c.url.startsWith('/api/obs/tools?')).map((c) => windowDays(c.url));
    expect(windows.sort((a, b) => a - b)).toEqual([1, 7, 30]);
    const today = new Date().toISOString().slice(0, 10);
    expect(calls.filter((c) => c.url.startsWith('/api/obs/tools?')).every((c) => c.url.endsWith(`to=${today}`))).toBe(true);
  });

  it('says "no calls" for a provider without calls, never 100% or NaN', async () => {
    renderPage();
    const s = await card(slack.id);
    await waitFor(() => expect(cell(s, '30d', 'calls')).toBe('0'));
    for (const w of ['1d', '7d', '30d']) {
      expect(cell(s, w, 'no-calls')).toBe('no calls');
      expect(cell(s, w, 'attainment')).toBe('no calls');
      expect(row(s, w).textContent).not.toMatch(/100|NaN|Infinity/);
    }
  });

  it('judges the availability against the target: met and missed', async () => {
    renderPage();
    const g = await card(google.id);
    await waitFor(() => expect(cell(g, '30d', 'attainment')).toBe('missed'));
    expect(within(g).getByText('Target 99.5%')).toBeTruthy();
    expect(cell(g, '1d', 'attainment')).toBe('missed');
    // 1997 of 2000 = 99.85% ≥ 99.5%
    expect(cell(g, '7d', 'attainment')).toBe('met');
  });

  it('meets a target exactly at the boundary and misses it one call below', async () => {
    connections = [{ ...google, availability_target: '99.95' }];
    scorecards = { 1: [score('google/gmail.messages.list', 2000, 1, 10)], 7: [score('google/gmail.messages.list', 2000, 2, 10)], 30: [] };
    renderPage();
    const g = await card(google.id);
    await waitFor(() => expect(cell(g, '1d', 'attainment')).toBe('met'));
    expect(cell(g, '1d', 'availability')).toBe('99.95%');
    expect(cell(g, '7d', 'attainment')).toBe('missed');
    expect(cell(g, '7d', 'availability')).toBe('99.90%');
    expect(cell(g, '30d', 'attainment')).toBe('no calls');
  });

  it('shows the last error with its time, and "none" without one', async () => {
    renderPage();
    const s = await card(slack.id);
    const error = within(s).getByTestId('last-error');
    expect(error.textContent).toContain('needs_reauth');
    expect(error.textContent).toContain('Slack refused the token (invalid_auth).');
    expect(error.querySelector('[title]')!.getAttribute('title')).toBe('2026-12-07T12:30:00Z');
    expect(within(await card(google.id)).getByTestId('last-error').textContent).toBe('Last error: none');
    const table = await screen.findByTestId('connections-table');
    const slackRow = table.querySelector(`[data-connection-id="${slack.id}"]`) as HTMLElement;
    expect(slackRow.textContent).toContain('needs_reauth, ');
  });

  it('lists the tools each connection brings', async () => {
    renderPage();
    const g = await card(google.id);
    await waitFor(() => expect(within(g).getByTestId('connection-tools').textContent).toBe('Tools: gmail.send'));
    expect(within(await card(slack.id)).getByTestId('connection-tools').textContent).toBe('Tools: none until it is connected again');
    expect(within(await card(slack.id)).getByText('needs reconnect')).toBeTruthy();
  });

  it('shows a provider without OAuth scopes and the tools its connection brings, whatever the provider', async () => {
    const notion = {
      id: '7f0c1e52-3333-4000-8000-000000000003', provider: 'notion', account: 'Acme HQ', scopes: [],
      connected_by: 'user-1', connected_at: '2026-12-07T13:00:00Z', last_used_at: null, status: 'ok', last_error: null, availability_target: null,
    };
    const added = [
      { id: 'notion', display_name: 'Notion', configured: true, scopes: [] },
      { id: 'spotify', display_name: 'Spotify', configured: false, scopes: ['user-read-playback-state', 'user-modify-playback-state'] },
    ];
    const notionTools = ['notion.create_page', 'notion.search'].map((name) => ({
      name, description: name, kind: name.endsWith('search') ? 'read' : 'write', integration: 'notion', parameters: { type: 'object' }, required_scopes: [],
    }));
    providers.push(...added);
    tools.push(...notionTools);
    connections = [google, notion];
    try {
      renderPage();
      expect(within(await provider('notion')).getByRole('button', { name: 'Connect Notion' })).toBeTruthy();
      expect(within(await provider('spotify')).getByTestId('provider-spotify-unconfigured').textContent).toContain('BEACON_INTEGRATIONS_SPOTIFY_CLIENT_ID');
      const n = await card(notion.id);
      await waitFor(() => expect(within(n).getByTestId('connection-tools').textContent).toBe('Tools: notion.create_page, notion.search'));
    } finally {
      providers.splice(providers.length - added.length);
      tools.splice(tools.length - notionTools.length);
    }
  });

  it('saves an availability target with PUT and reloads the list', async () => {
    renderPage();
    const g = await card(google.id);
    const input = within(g).getByRole('textbox', { name: 'Availability target of Google (ops@example.com) (%)' }) as HTMLInputElement;
    expect(input.value).toBe('99.5');
    fireEvent.change(input, { target: { value: ' 99.95 ' } });
    connections = [{ ...google, availability_target: '99.95' }, slack];
    const listsBefore = calls.filter((c) => c.url === '/api/integrations/connections').length;
    fireEvent.click(within(g).getByRole('button', { name: 'Save target' }));
    await waitFor(() => expect(writes()).toHaveLength(1));
    expect(writes()[0]).toMatchObject({ method: 'PUT', url: `/api/integrations/connections/${google.id}/sla`, body: { availability_target: '99.95' } });
    expect(writes()[0].headers['X-XSRF-TOKEN']).toBe('csrf-123');
    await waitFor(() => expect(calls.filter((c) => c.url === '/api/integrations/connections').length).toBeGreaterThan(listsBefore));
    await waitFor(() => expect(within(g).getByText('Target 99.95%')).toBeTruthy());
  });

  it('turns a target into an alert rule on the provider’s service calls, at the error rate it allows', async () => {
    renderPage();
    const g = await screen.findByTestId(`connection-health-${google.id}`);
    fireEvent.click(within(g).getByRole('button', { name: 'Alert me when it misses the target' }));
    const status = await within(g).findByRole('status');
    expect(status.textContent).toContain('Alert rule created');
    expect(within(status).getByRole('link').getAttribute('href')).toBe('/alerts/rule-1');
    const posted = writes().filter((c) => c.url === '/api/obs/alerts/rules');
    expect(posted).toHaveLength(1);
    expect(posted[0].body).toMatchObject({
      name: 'Google (ops@example.com): availability below 99.5%',
      metric: 'error_rate',
      window: '24h',
      comparator: 'gt',
      critical_threshold: '0.005',
      warning_threshold: null,
      min_sample: 10,
      filters: { agent: null, provider: null, model: null, tool: null, type: null, service: 'google' },
      group_by: null,
      channels: [{ type: 'in_app' }],
    });
  });

  it('shows the refusal of the rule (a plan limit) with its link to Billing', async () => {
    onRule = () => json({ code: 'plan_limit_reached', message: 'The Free plan allows 3 alert rules.', limit: 3, plan: 'free' }, 403);
    renderPage();
    const g = await screen.findByTestId(`connection-health-${google.id}`);
    fireEvent.click(within(g).getByRole('button', { name: 'Alert me when it misses the target' }));
    const error = await within(g).findByTestId('target-alert-error');
    expect(error.textContent).toContain('3 alert rules');
    expect(within(error).getByRole('link').getAttribute('href')).toBe('/billing');
  });

  it('offers no alert without a target, and none to a viewer', async () => {
    connections = [{ ...google, availability_target: null }];
    renderPage();
    const g = await screen.findByTestId(`connection-health-${google.id}`);
    await within(g).findByRole('button', { name: 'Save target' });
    expect(within(g).queryByTestId('target-alert')).toBeNull();
    cleanup();
    connections = [google];
    role = 'viewer';
    renderPage();
    const v = await screen.findByTestId(`connection-health-${google.id}`);
    await within(v).findByText(/Availability target: 99.5%/);
    expect(within(v).queryByTestId('target-alert')).toBeNull();
  });

  it('derives the error-rate threshold from the target exactly', () => {
    expect(errorRateThreshold(99_500)).toBe('0.005');
    expect(errorRateThreshold(99_900)).toBe('0.001');
    expect(errorRateThreshold(99_999)).toBe('0.00001');
    expect(errorRateThreshold(95_000)).toBe('0.05');
    expect(errorRateThreshold(1)).toBe('0.99999');
    expect(errorRateThreshold(100_000)).toBe('0');
  });

  it('clears a target with DELETE', async () => {
    renderPage();
    const g = await card(google.id);
    connections = [{ ...google, availability_target: null }, slack];
    fireEvent.click(within(g).getByRole('button', { name: 'Clear target' }));
    await waitFor(() => expect(writes()).toHaveLength(1));
    expect(writes()[0]).toMatchObject({ method: 'DELETE', url: `/api/integrations/connections/${google.id}/sla`, body: undefined });
    await waitFor(() => expect(within(g).queryByText(/^Target/)).toBeNull());
    expect(cell(g, '7d', 'attainment')).toBeUndefined();
  });

  it('refuses a malformed target without sending it', async () => {
    renderPage();
    const g = await card(google.id);
    for (const bad of ['abc', '0', '100.01', '99.9999', '-1', '']) {
      fireEvent.change(within(g).getByRole('textbox', { name: /Availability target of Google/ }), { target: { value: bad } });
      fireEvent.click(within(g).getByRole('button', { name: 'Save target' }));
      expect(within(g).getByTestId('target-error').textContent).toContain('at most three decimals');
    }
    expect(writes()).toEqual([]);
  });

  it('shows the service’s refusal of a target', async () => {
    onSla = () => json({ code: 'invalid_availability_target', message: 'availability_target must be …' }, 400);
    renderPage();
    const g = await card(google.id);
    fireEvent.change(within(g).getByRole('textbox', { name: /Availability target of Google/ }), { target: { value: '99' } });
    fireEvent.click(within(g).getByRole('button', { name: 'Save target' }));
    expect((await within(g).findByTestId('target-error')).textContent).toContain('(invalid_availability_target)');
  });

  it('shows a viewer the target without the form', async () => {
    role = 'viewer';
    renderPage();
    await screen.findByTestId('read-only');
    const g = await card(google.id);
    expect(within(g).queryByRole('button', { name: 'Save target' })).toBeNull();
    expect(within(g).getByText('Availability target: 99.5%')).toBeTruthy();
  });

  it('shows a failed scorecard in the health rows and keeps the rest', async () => {
    const real = vi.mocked(fetch).getMockImplementation()!;
    vi.mocked(fetch).mockImplementation(async (url, init) =>
      String(url).startsWith('/api/obs/tools?') ? json({ code: 'service_unavailable', message: 'down', service: 'obs-aggregator' }, 503) : real(url, init),
    );
    renderPage();
    const g = await card(google.id);
    await waitFor(() => expect(row(g, '7d').textContent).toContain('The obs-aggregator service is unavailable'));
    expect(within(g).getByTestId('last-error').textContent).toBe('Last error: none');
  });
});

describe('Integrations page: credential connections', () => {
  const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
  const API_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
  const credentialCard = async (name: string) => (await screen.findByText(name, { selector: 'strong' })).closest('li') as HTMLElement;

  it('connects Binance with its key and secret in password inputs, then forgets them', async () => {
    renderPage();
    const card = await credentialCard('Binance');
    fireEvent.click(within(card).getByRole('button', { name: 'Connect Binance' }));
    const key = within(card).getByLabelText('Binance API key') as HTMLInputElement;
    const secret = within(card).getByLabelText('Binance Secret key') as HTMLInputElement;
    expect(key.type).toBe('password');
    expect(secret.type).toBe('password');
    fireEvent.change(key, { target: { value: API_KEY } });
    fireEvent.change(secret, { target: { value: ` ${API_SECRET} ` } });
    connections = [google, slack, binance];
    fireEvent.click(within(card).getByRole('button', { name: 'Connect Binance' }));

    const banner = await screen.findByTestId('connected-banner');
    await waitFor(() => expect(banner.textContent).toContain('Binance is connected'));
    expect(writes().map((c) => [c.method, c.url, c.body])).toEqual([
      ['POST', '/api/integrations/connections', { provider: 'binance', api_key: API_KEY, api_secret: API_SECRET }],
    ]);
    expect(writes()[0].headers['X-XSRF-TOKEN']).toBe('csrf-123');
    // the form is closed and its values are gone; the new connection is listed
    expect(within(card).queryByLabelText('Binance API key')).toBeNull();
    expect(await screen.findByText('SPOT account 354937868')).toBeTruthy();
    expect(document.body.innerHTML).not.toContain(API_KEY);
    expect(document.body.innerHTML).not.toContain(API_SECRET);
  });

  it('shows the provider’s refusal with its code and sends nothing for an empty field', async () => {
    onConnect = () => json({ code: 'credential_refused', message: 'Binance refused the credential: Invalid API-key, IP, or permissions for action. (code -2015)', provider: 'binance' }, 400);
    renderPage();
    const card = await credentialCard('Binance');
    fireEvent.click(within(card).getByRole('button', { name: 'Connect Binance' }));
    fireEvent.change(within(card).getByLabelText('Binance API key'), { target: { value: API_KEY } });
    fireEvent.click(within(card).getByRole('button', { name: 'Connect Binance' }));
    expect((await within(card).findByTestId('credential-error-binance')).textContent).toBe('Secret key is required.');
    expect(writes()).toEqual([]);

    fireEvent.change(within(card).getByLabelText('Binance Secret key'), { target: { value: API_SECRET } });
    fireEvent.click(within(card).getByRole('button', { name: 'Connect Binance' }));
    await waitFor(() => expect(within(card).getByTestId('credential-error-binance').textContent).toContain('(credential_refused)'));
    expect(within(card).getByTestId('credential-error-binance').textContent).toContain('(code -2015)');
    expect(writes()).toHaveLength(1);
    expect(screen.queryByTestId('connected-banner')).toBeNull();
    expect(document.body.textContent).not.toContain(API_SECRET);
  });

  it('reconnects a credential connection through its form, not through an authorize call', async () => {
    connections = [google, telegram];
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Reconnect Telegram (@acme_alerts_bot)' }));
    const token = await screen.findByLabelText('Telegram Bot token');
    expect((token as HTMLInputElement).type).toBe('password');
    expect(browser.assign).not.toHaveBeenCalled();
    expect(writes()).toEqual([]);
  });

  it('says when Beacon has a web search key of its own and lists web_search under a Brave connection', async () => {
    const brave = { ...binance, id: '7f0c1e52-5555-4000-8000-000000000005', provider: 'brave', account: null };
    connections = [brave];
    tools.push({ name: 'web_search', description: 'Searches the web.', kind: 'read', integration: 'brave', parameters: { type: 'object' }, required_scopes: [] });
    try {
      renderPage();
      expect((await screen.findByTestId('provider-brave-platform')).textContent).toContain('every workspace');
      const health = await screen.findByTestId(`connection-health-${brave.id}`);
      await waitFor(() => expect(within(health).getByTestId('connection-tools').textContent).toBe('Tools: web_search'));
    } finally {
      tools.pop();
    }
  });

  it('shows a viewer the credential providers without a form', async () => {
    role = 'viewer';
    renderPage();
    await screen.findByTestId('read-only');
    const card = await credentialCard('Telegram');
    expect(within(card).queryByRole('button', { name: /Connect/ })).toBeNull();
    expect(within(card).queryByLabelText('Telegram Bot token')).toBeNull();
  });
});

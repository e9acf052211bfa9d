import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import ChatProviders from '../src/pages/ChatProviders';

type Call = { url: string; method: string; body: unknown };
let calls: Call[];
let role: string;
let onTest: () => Response;
let onPut: () => Response;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const providers = [
  { id: 'openai', display_name: 'OpenAI', family: 'openai', default_base_url: 'https://api.openai.com', requires_api_key: true, configured: true, api_key: '••••1234', base_url: null, default_model: 'gpt-4o-mini', updated_at: '2026-12-07T17:50:00Z', models: ['gpt-4o', 'gpt-4o-mini'] },
  { id: 'anthropic', display_name: 'Anthropic', family: 'anthropic', default_base_url: 'https://api.anthropic.com', requires_api_key: true, configured: true, api_key: '••••', base_url: null, default_model: null, updated_at: null, models: null, models_error: { code: 'provider_key_refused', message: 'Anthropic refused the API key (HTTP 401)' } },
  { id: 'google', display_name: 'Google Gemini', family: 'google_genai', default_base_url: 'https://generativelanguage.googleapis.com', requires_api_key: true, configured: false, hosted: true, hosted_available: true, api_key: null, base_url: null, default_model: 'gemini-2.5-flash', updated_at: null, models: ['gemini-2.5-flash'] },
];

beforeEach(() => {
  calls = [];
  role = 'admin';
  onTest = () => json({ ok: true, provider: 'openai', model_count: 3 });
  onPut = () => json(providers[0]);
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      calls.push({ url, method, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      if (url === '/api/me') return json({ user: { id: 'u', email: 'a@b.c' }, workspace: { id: 'w', name: 'W' }, role, workspaces: [] });
      if (url === '/api/chat/providers') return json({ providers });
      if (url.endsWith('/test') && method === 'POST') return onTest();
      if (url.endsWith('/settings') && method === 'PUT') return onPut();
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
        <ChatProviders />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const card = async (id: string) => (await screen.findByTestId(`provider-${id}-key`)).closest('section') as HTMLElement;

describe('Model providers page', () => {
  it('marks a provider that uses the hosted key, without a Remove button', async () => {
    renderPage();
    const google = await card('google');
    expect(within(google).getByText('hosted')).toBeTruthy();
    expect(within(google).queryByText('not configured')).toBeNull();
    expect(screen.getByTestId('provider-google-key').textContent).toBe("Beacon's hosted key (uses credits)");
    expect(within(google).queryByRole('button', { name: 'Remove' })).toBeNull();
    expect((within(google).getByRole('button', { name: 'Test connection' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows masked keys, model counts and model errors', async () => {
    renderPage();
    expect((await screen.findByTestId('provider-openai-key')).textContent).toBe('••••1234');
    expect(within(await card('openai')).getByText('2 models')).toBeTruthy();
    expect(within(await card('anthropic')).getByText(/provider_key_refused/)).toBeTruthy();
  });

  it('saves without api_key when the key is left empty, and clears the key input after saving', async () => {
    renderPage();
    const openai = await card('openai');
    await within(openai).findByRole('button', { name: 'Save' });
    fireEvent.change(within(openai).getByLabelText('Default model'), { target: { value: 'gpt-4o' } });
    fireEvent.click(within(openai).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.url).toBe('/api/chat/providers/openai/settings');
    expect(put.body).toEqual({ base_url: null, default_model: 'gpt-4o' });

    const key = within(openai).getByLabelText('API key') as HTMLInputElement;
    expect(key.type).toBe('password');
    fireEvent.change(key, { target: { value: 'sk-secret-9999' } });
    fireEvent.click(within(openai).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT').length).toBe(2));
    expect((calls.filter((c) => c.method === 'PUT')[1].body as { api_key: string }).api_key).toBe('sk-secret-9999');
    await waitFor(() => expect(key.value).toBe(''));
  });

  it('shows the test verdicts inline', async () => {
    renderPage();
    const openai = await card('openai');
    fireEvent.click(await within(openai).findByRole('button', { name: 'Test connection' }));
    expect((await within(openai).findByRole('status')).textContent).toContain('Connection OK: 3 models');

    onTest = () => json({ ok: false, provider: 'openai', code: 'provider_key_refused', provider_status: 401, message: 'OpenAI refused the API key (HTTP 401)' });
    fireEvent.click(within(openai).getByRole('button', { name: 'Test connection' }));
    await waitFor(() => expect(within(openai).getByRole('status').textContent).toContain('provider_key_refused'));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/api/chat/providers/openai/test', '/api/chat/providers/openai/test']);
  });

  it('explains a missing keyset', async () => {
    onPut = () => json({ code: 'encryption_unconfigured', message: 'no keyset' }, 503);
    renderPage();
    const openai = await card('openai');
    fireEvent.click(await within(openai).findByRole('button', { name: 'Save' }));
    expect((await within(openai).findByRole('alert')).textContent).toContain('BEACON_CHAT_KEYSET');
  });

  it('shows a viewer no forms', async () => {
    role = 'viewer';
    renderPage();
    await card('openai');
    // the role has arrived once the viewer's notice shows; only then is an absent control meaningful
    await screen.findByTestId('read-only');
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.queryByLabelText('API key')).toBeNull();
  });
});

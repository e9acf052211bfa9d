import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import type { ReactNode } from 'react';
import { ApiError, errorFrom } from '../src/api/client';
import { ErrorMessage, isPlanLimit } from '../src/components/ErrorMessage';
import { Panel } from '../src/components/Panel';
import Members from '../src/pages/Members';
import AlertEditor from '../src/pages/AlertEditor';
import ApiKeys from '../src/pages/ApiKeys';

type Call = { url: string; method: string; body: unknown };
let calls: Call[];

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const membersLimit = {
  code: 'plan_limit_reached',
  message: 'The free plan allows 3 members per workspace; remove a member or upgrade the plan.',
  limit: 3,
  plan: 'free',
};
const rulesLimit = {
  code: 'plan_limit_reached',
  message: 'The free plan allows 3 alert rules per workspace; delete a rule or upgrade the plan.',
  limit: 3,
  plan: 'free',
};
const keysLimit = {
  code: 'plan_limit_reached',
  message: 'The free plan allows 2 active API keys per workspace; revoke a key or upgrade the plan.',
  limit: 2,
  plan: 'free',
};
const me = { user: { id: 'user-1', email: 'owner@example.com' }, workspace: { id: 'w', name: 'Acme' }, role: 'owner', workspaces: [] };
const members = [
  { id: 'user-1', email: 'owner@example.com', role: 'owner' },
  { id: 'user-2', email: 'two@example.com', role: 'member' },
  { id: 'user-3', email: 'three@example.com', role: 'viewer' },
];

beforeEach(() => {
  calls = [];
  document.cookie = 'XSRF-TOKEN=csrf-123; path=/';
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      calls.push({ url, method, body: init?.body === undefined ? undefined : JSON.parse(String(init.body)) });
      if (url === '/api/me') return json(me);
      if (url === '/api/workspace/members' && method === 'GET') return json(members);
      if (url === '/api/workspace/members' && method === 'POST') return json(membersLimit, 403);
      if (url === '/api/obs/alerts/rules' && method === 'POST') return json(rulesLimit, 403);
      if (url === '/api/obs/keys' && method === 'GET') return json({ keys: [] });
      if (url === '/api/obs/keys' && method === 'POST') return json(keysLimit, 403);
      throw new Error(`unexpected fetch ${method} ${url}`);
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
});

/** The page at `path`, with a stand-in Billing page to follow the link to. */
function renderAt(path: string, route: string, page: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={route} element={page} />
          <Route path="/billing" element={<h1>Billing page</h1>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const limitError = (body = membersLimit) => new ApiError(403, body.code, body.message);

describe('ErrorMessage', () => {
  it('shows a plan limit as its message with a link to Billing', () => {
    renderAt('/', '/', <ErrorMessage error={limitError()} />);

    expect(screen.getByText(/The free plan allows 3 members per workspace/)).toBeTruthy();
    const link = screen.getByRole('link', { name: 'See plans and upgrade on Billing' });
    expect(link.getAttribute('href')).toBe('/billing');
    expect(document.body.textContent).not.toContain('(plan_limit_reached)');
  });

  it('follows the link to the Billing page', () => {
    renderAt('/', '/', <ErrorMessage error={limitError()} />);

    fireEvent.click(screen.getByRole('link', { name: 'See plans and upgrade on Billing' }));

    expect(screen.getByRole('heading', { name: 'Billing page' })).toBeTruthy();
  });

  it('shows any other refusal as before, with its code and without a link', () => {
    renderAt('/', '/', <ErrorMessage error={new ApiError(403, 'forbidden_role', 'Your role in this workspace does not allow this.')} />);

    expect(document.body.textContent).toBe('Your role in this workspace does not allow this. (forbidden_role)');
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('tells a plan limit only by its code', () => {
    expect(isPlanLimit(limitError())).toBe(true);
    expect(isPlanLimit(new ApiError(403, 'forbidden_role', 'no'))).toBe(false);
    expect(isPlanLimit(new Error('plan_limit_reached'))).toBe(false);
    expect(isPlanLimit(undefined)).toBe(false);
  });

  it('is what a panel shows for a failed request', () => {
    renderAt('/', '/', <Panel id="p" title="Rules" error={limitError(rulesLimit)} />);

    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The free plan allows 3 alert rules per workspace');
    expect(within(alert).getByRole('link', { name: 'See plans and upgrade on Billing' }).getAttribute('href')).toBe('/billing');
  });

  it('gets the code and message from the shared error body of any service', async () => {
    const error = await errorFrom(json(keysLimit, 403));

    expect(error.status).toBe(403);
    expect(error.code).toBe('plan_limit_reached');
    expect(error.message).toBe(keysLimit.message);
    expect(isPlanLimit(error)).toBe(true);
  });
});

describe('a plan limit where the app hits one', () => {
  it('Members: a refused invitation says why and links to Billing', async () => {
    renderAt('/members', '/members', <Members />);
    await screen.findByText('three@example.com');

    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'four@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Invite' }));

    const error = await screen.findByTestId('members-error');
    expect(error.textContent).toContain(membersLimit.message);
    const link = within(error).getByRole('link', { name: 'See plans and upgrade on Billing' });
    expect(link.getAttribute('href')).toBe('/billing');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      { url: '/api/workspace/members', method: 'POST', body: { email: 'four@example.com', role: 'member' } },
    ]);
    expect(screen.getByText('three@example.com')).toBeTruthy();

    fireEvent.click(link);
    expect(screen.getByRole('heading', { name: 'Billing page' })).toBeTruthy();
  });

  it('Alerts: a refused new rule says why and links to Billing', async () => {
    renderAt('/alerts/new', '/alerts/new', <AlertEditor />);

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Daily budget' } });
    fireEvent.change(screen.getByLabelText('Critical threshold'), { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));

    const error = await screen.findByTestId('rule-error');
    expect(error.textContent).toContain(rulesLimit.message);
    expect(within(error).getByRole('link', { name: 'See plans and upgrade on Billing' }).getAttribute('href')).toBe('/billing');
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/api/obs/alerts/rules']);
  });

  it('API keys: a refused new key says why and links to Billing', async () => {
    renderAt('/keys', '/keys', <ApiKeys />);
    await screen.findByText(/No keys yet/);

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'prod agents' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));

    const error = await screen.findByTestId('create-key-error');
    expect(error.textContent).toContain(keysLimit.message);
    expect(within(error).getByRole('link', { name: 'See plans and upgrade on Billing' }).getAttribute('href')).toBe('/billing');
    expect(screen.queryByTestId('new-key')).toBeNull();
  });
});

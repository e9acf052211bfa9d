import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import Approvals from '../src/pages/Approvals';
import type { Approval } from '../src/api/chat';
import { CONV_ID, approval, json, me, stubFetch, type Call } from './chatFixtures';

let calls: Call[];
let role: string;
let list: Approval[];
let onPost: (url: string) => Response;

const decided = approval({
  id: 'ap-2', tool: 'gmail.send', state: 'rejected', decided_by: 'ann@example.com', decided_at: '2026-12-07T18:03:00Z', reason: 'Wrong recipient',
});

beforeEach(() => {
  role = 'member';
  list = [approval()];
  onPost = (url) => json(approval({ state: url.endsWith('/approve') ? 'approved' : 'rejected' }));
  calls = stubFetch((method, url) => {
    if (url === '/api/me') return json(me(role));
    if (method === 'GET' && url.startsWith('/api/chat/approvals')) return json({ approvals: list });
    if (method === 'POST') return onPost(url);
    return undefined;
  });
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
      <MemoryRouter initialEntries={['/approvals']}>
        <Approvals />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const row = async (id: string) => (await screen.findByTestId('approvals-table')).querySelector(`tr[data-approval-id="${id}"]`) as HTMLElement;

describe('Approvals page', () => {
  it('shows the pending queue by default: agent, tool, pretty arguments, times and the conversation', async () => {
    renderPage();
    const r = await row('ap-1');
    expect(calls.find((c) => c.url.startsWith('/api/chat/approvals'))!.url).toBe('/api/chat/approvals?state=pending');
    expect(within(r).getByText('Support bot')).toBeTruthy();
    expect(within(r).getByText('demo_send_email')).toBeTruthy();
    expect(within(r).getByText(/local script, not a model/)).toBeTruthy();
    expect(r.querySelector('pre')!.textContent).toBe(JSON.stringify(approval().arguments, null, 2));
    expect(within(r).getByRole('link', { name: 'Open' }).getAttribute('href')).toBe(`/chat/${CONV_ID}`);
    expect(within(r).getByText('pending')).toBeTruthy();
  });

  it('asks for another state when the filter changes', async () => {
    renderPage();
    await row('ap-1');
    list = [decided];
    fireEvent.change(screen.getByLabelText('State'), { target: { value: 'rejected' } });
    const r = await row('ap-2');
    expect(calls.some((c) => c.url === '/api/chat/approvals?state=rejected')).toBe(true);
    expect(within(r).getByTestId('approval-outcome-ap-2').textContent).toContain('rejected by ann@example.com');
    expect(within(r).getByText('Reason: Wrong recipient')).toBeTruthy();
    expect(within(r).queryByRole('button')).toBeNull();
    fireEvent.change(screen.getByLabelText('State'), { target: { value: '' } });
    await waitFor(() => expect(calls.some((c) => c.url === '/api/chat/approvals')).toBe(true));
  });

  it('approves, and rejects without a reason, with the exact requests, then reads the queue again', async () => {
    list = [approval(), approval({ id: 'ap-3' })];
    renderPage();
    fireEvent.click(within(await row('ap-1')).getByRole('button', { name: /^Approve/ }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({ url: '/api/chat/approvals/ap-1/approve', body: undefined });
    await waitFor(() => expect(calls.filter((c) => c.url === '/api/chat/approvals?state=pending').length).toBe(2));

    const r3 = await row('ap-3');
    fireEvent.click(within(r3).getByRole('button', { name: /^Reject/ }));
    fireEvent.click(within(r3).getByRole('button', { name: /^Confirm rejecting/ }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(2));
    expect(calls.filter((c) => c.method === 'POST')[1]).toMatchObject({ url: '/api/chat/approvals/ap-3/reject', body: {} });
  });

  it('says when an approval was decided meanwhile', async () => {
    onPost = () => json({ code: 'approval_decided', message: 'not pending' }, 409);
    renderPage();
    fireEvent.click(within(await row('ap-1')).getByRole('button', { name: /^Approve/ }));
    expect((await screen.findByRole('alert')).textContent).toBe('This approval was already decided or has expired.');
  });

  it('shows a viewer no decide buttons', async () => {
    role = 'viewer';
    renderPage();
    const r = await row('ap-1');
    await screen.findByTestId('read-only');
    expect(within(r).queryByRole('button')).toBeNull();
    expect(within(r).getByText('waiting')).toBeTruthy();
  });
});

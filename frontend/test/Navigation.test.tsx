import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { Layout } from '../src/components/Layout';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      if (url === '/api/me') return json({ user: { id: 'u', email: 'a@b.c' }, workspace: { id: 'w', name: 'W' }, role: 'member', workspaces: [] });
      return json({ code: 'not_stubbed', message: 'not stubbed' }, 404);
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('navigation', () => {
  it('links Integrations and Billing as real pages, with no "soon" badge left', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={['/overview']}>
          <Routes>
            <Route element={<Layout />}>
              <Route path="/overview" element={<p>overview</p>} />
            </Route>
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    );
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Integrations' }).getAttribute('href')).toBe('/integrations');
    expect(within(nav).getByRole('link', { name: 'Billing' }).getAttribute('href')).toBe('/billing');
    expect(within(nav).getByRole('link', { name: 'Channels' }).getAttribute('href')).toBe('/channels');
    expect(within(nav).queryByText('soon')).toBeNull();
    expect(within(nav).queryByText('Coming soon')).toBeNull();
  });
});

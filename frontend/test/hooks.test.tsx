import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, renderHook, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useCreateApiKey, useEvents, useSummary, useTimeseries } from '../src/api/hooks';
import { ApiError } from '../src/api/client';
import { metricValues as values } from './fixtures';

type Call = { url: string; init: RequestInit | undefined };
let calls: Call[];
let responses: Array<() => Response>;

function json(body: unknown, status = 200): () => Response {
  return () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

beforeEach(() => {
  calls = [];
  responses = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      const next = responses.shift();
      if (!next) throw new Error(`unexpected fetch ${url}`);
      return next();
    }),
  );
  document.cookie = 'XSRF-TOKEN=csrf-123; path=/';
});
afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
});

function wrapper() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

describe('useSummary', () => {
  it('reads the summary from the aggregator through the gateway', async () => {
    responses.push(json({ today: '2026-11-25', today_totals: values({ calls: 12, cost_usd: '0.027000000' }) }));
    const { result } = renderHook(() => useSummary(), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(calls[0].url).toBe('/api/obs/metrics/summary');
    expect(result.current.data?.today_totals.cost_usd).toBe('0.027000000');
  });

  it('turns a down service into an ApiError naming it', async () => {
    responses.push(json({ code: 'service_unavailable', message: 'down', service: 'obs-aggregator' }, 503));
    const { result } = renderHook(() => useSummary(), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.isError).toBe(true));
    const error = result.current.error as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(503);
    expect(error.code).toBe('service_unavailable');
    expect(error.service).toBe('obs-aggregator');
  });
});

describe('useTimeseries', () => {
  it('sends the metric, step, range and filters as query parameters', async () => {
    responses.push(json({ series: [] }));
    const params = { metric: 'p95_ms', step: '1h', from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T01:00:00.000Z', agent: 'support bot' };
    const { result } = renderHook(() => useTimeseries(params), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    const url = new URL(calls[0].url, 'http://x');
    expect(url.pathname).toBe('/api/obs/metrics/timeseries');
    expect(Object.fromEntries(url.searchParams)).toEqual({ ...params });
  });
});

describe('useEvents', () => {
  it('pages with the keyset cursor until next_cursor is null', async () => {
    responses.push(json({ items: [{ event_id: 'a' }], next_cursor: 'CUR1' }));
    responses.push(json({ items: [{ event_id: 'b' }], next_cursor: null }));
    const { result } = renderHook(() => useEvents({ status: 'error' }, 1), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.hasNextPage).toBe(true);
    expect(calls[0].url).toBe('/api/obs/events?status=error&limit=1');
    await act(() => result.current.fetchNextPage());
    await waitFor(() => expect(result.current.data?.pages).toHaveLength(2));
    expect(calls[1].url).toBe('/api/obs/events?status=error&limit=1&cursor=CUR1');
    expect(result.current.hasNextPage).toBe(false);
    expect(result.current.data?.pages.flatMap((p) => p.items.map((i) => i.event_id))).toEqual(['a', 'b']);
  });
});

describe('useCreateApiKey', () => {
  it('posts JSON with the CSRF header and returns the one-time secret', async () => {
    responses.push(json({ id: 'k1', name: 'prod', prefix: 'bcn_abc', scopes: ['ingest'], revoked: false, secret: 'bcn_secret' }, 201));
    responses.push(json({ keys: [] })); // the list is refetched after creating
    const { result } = renderHook(() => useCreateApiKey(), { wrapper: wrapper() });
    let created: { secret?: string } | undefined;
    await act(async () => {
      created = await result.current.mutateAsync({ name: 'prod', scopes: ['ingest'] });
    });
    expect(created?.secret).toBe('bcn_secret');
    const init = calls[0].init!;
    expect(calls[0].url).toBe('/api/obs/keys');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['X-XSRF-TOKEN']).toBe('csrf-123');
    expect(JSON.parse(init.body as string)).toEqual({ name: 'prod', scopes: ['ingest'] });
  });

  it('reports the server’s stable error code', async () => {
    responses.push(json({ code: 'invalid_request', message: 'name is required' }, 400));
    const { result } = renderHook(() => useCreateApiKey(), { wrapper: wrapper() });
    await act(async () => {
      await result.current.mutateAsync({ name: '', scopes: [] }).catch(() => undefined);
    });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect((result.current.error as ApiError).code).toBe('invalid_request');
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, renderHook } from '@testing-library/react';
import { useEventStream } from '../src/api/live';

/** A stand-in EventSource the test drives by hand. */
class FakeEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  listeners = new Map<string, Array<(e: unknown) => void>>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, listener: (e: unknown) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
  emit(type: string, event: unknown = {}) {
    for (const l of this.listeners.get(type) ?? []) l(event);
  }
}

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.useFakeTimers();
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function setup() {
  const onEvent = vi.fn();
  const onPoll = vi.fn();
  const hook = renderHook(() =>
    useEventStream({ url: '/api/obs/metrics/stream', event: 'metrics', enabled: true, onEvent, onPoll, pollMs: 2000 }),
  );
  return { ...hook, onEvent, onPoll, source: () => FakeEventSource.instances.at(-1)! };
}

describe('useEventStream', () => {
  it('goes live on open and hands each named event to the callback', () => {
    const { result, onEvent, onPoll, source } = setup();
    expect(source().url).toBe('/api/obs/metrics/stream');
    expect(result.current).toBe('connecting');
    act(() => source().emit('open'));
    expect(result.current).toBe('live');
    expect(onPoll).toHaveBeenCalledTimes(1); // catch-up refetch on (re)connect
    act(() => source().emit('metrics', { data: '{"at":"2026-11-25T10:00:00Z","updates":[]}' }));
    expect(onEvent).toHaveBeenCalledWith('{"at":"2026-11-25T10:00:00Z","updates":[]}');
  });

  it('polls while the stream is refused and reconnects with back-off', () => {
    const { result, onPoll, source } = setup();
    const first = source();
    act(() => {
      first.readyState = FakeEventSource.CLOSED;
      first.emit('error');
    });
    expect(result.current).toBe('polling');
    act(() => vi.advanceTimersByTime(4000));
    expect(onPoll).toHaveBeenCalledTimes(2); // every 2 s
    act(() => vi.advanceTimersByTime(1000)); // 5 s back-off → a new EventSource
    expect(FakeEventSource.instances).toHaveLength(2);
    act(() => source().emit('open'));
    expect(result.current).toBe('live');
    const polls = onPoll.mock.calls.length;
    act(() => vi.advanceTimersByTime(10_000));
    expect(onPoll.mock.calls.length).toBe(polls); // no polling while live
  });

  it('closes the stream on unmount', () => {
    const { unmount, source } = setup();
    unmount();
    expect(source().closed).toBe(true);
  });
});

describe('LiveProvider', () => {
  it('never cancels a running refetch: updates during it make exactly one more', async () => {
    vi.useRealTimers();
    const { QueryClient, QueryClientProvider, useQuery } = await import('@tanstack/react-query');
    const { LiveProvider } = await import('../src/api/live');
    const client = new QueryClient();
    let started = 0;
    let completed = 0;
    const resolvers: Array<() => void> = [];
    const wrapper = ({ children }: { children: import('react').ReactNode }) => (
      <QueryClientProvider client={client}>
        <LiveProvider enabled workspace="w1">
          {children}
        </LiveProvider>
      </QueryClientProvider>
    );
    const { result } = renderHook(
      () =>
        useQuery({
          queryKey: ['obs', 'summary'],
          queryFn: () =>
            new Promise<number>((resolve) => {
              started++;
              resolvers.push(() => {
                completed++;
                resolve(completed);
              });
            }),
        }),
      { wrapper },
    );
    const { waitFor } = await import('@testing-library/react');
    await waitFor(() => expect(started).toBe(1));
    act(() => resolvers.shift()!());
    await waitFor(() => expect(result.current.data).toBe(1));
    const source = FakeEventSource.instances.find((s) => s.url === '/api/obs/metrics/stream')!;
    act(() => source.emit('open')); // catch-up refetch #2 starts
    await waitFor(() => expect(started).toBe(2));
    act(() => {
      source.emit('metrics', { data: '{}' });
      source.emit('metrics', { data: '{}' });
      source.emit('metrics', { data: '{}' });
    });
    expect(started).toBe(2); // the running request was not cancelled or restarted
    act(() => resolvers.shift()!());
    await waitFor(() => expect(started).toBe(3)); // one trailing refetch for the three updates
    act(() => resolvers.shift()!());
    await waitFor(() => expect(result.current.data).toBe(3));
    expect(started).toBe(3);
  });
});

/**
 * Live updates over Server-Sent Events.
 *
 * - Metrics: GET /api/obs/metrics/stream, event "metrics" (coalesced by the server to at most one per
 *   500 ms per workspace). Each event refetches the obs queries that are on screen.
 * - Notifications: GET /api/obs/notifications/stream, event "notification" with one notification.
 *
 * When a stream cannot be opened (service down, endpoint missing) the app polls instead (metrics
 * every 2 s, notifications every 5 s, only while the tab is visible) and retries the stream with
 * back-off, so the page stays live either way and says which mode it is in.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Notification } from './types';

export type StreamStatus = 'connecting' | 'live' | 'polling';

interface StreamOptions {
  url: string;
  event: string;
  enabled: boolean;
  onEvent: (data: string) => void;
  onPoll: () => void;
  pollMs: number;
  /** Reconnects when it changes (the server scopes a stream to the workspace it was opened in). */
  scope?: string | null;
}

/** Keeps one EventSource open; falls back to polling while it is down. Returns the current mode. */
export function useEventStream({ url, event, enabled, onEvent, onPoll, pollMs, scope }: StreamOptions): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const handlers = useRef({ onEvent, onPoll });
  handlers.current = { onEvent, onPoll };

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let pollTimer: ReturnType<typeof setInterval> | undefined;
    let backoff = 5_000;
    let stopped = false;

    const startPolling = () => {
      if (pollTimer) return;
      pollTimer = setInterval(() => {
        if (document.visibilityState === 'visible') handlers.current.onPoll();
      }, pollMs);
    };
    const stopPolling = () => {
      if (pollTimer) clearInterval(pollTimer);
      pollTimer = undefined;
    };

    const connect = () => {
      if (stopped) return;
      source = new EventSource(url);
      source.addEventListener('open', () => {
        backoff = 5_000;
        stopPolling();
        setStatus('live');
        // catch up on anything missed while disconnected
        handlers.current.onPoll();
      });
      source.addEventListener(event, (e) => handlers.current.onEvent((e as MessageEvent<string>).data));
      source.addEventListener('error', () => {
        if (!source) return;
        setStatus('polling');
        startPolling();
        if (source.readyState === EventSource.CLOSED) {
          // the server refused the stream: retry later ourselves
          source = null;
          retryTimer = setTimeout(connect, backoff);
          backoff = Math.min(backoff * 2, 60_000);
        }
      });
    };
    connect();
    return () => {
      stopped = true;
      source?.close();
      if (retryTimer) clearTimeout(retryTimer);
      stopPolling();
    };
  }, [url, event, enabled, pollMs, scope]);

  return status;
}

interface LiveState {
  metrics: StreamStatus;
  notifications: StreamStatus;
  /** The newest notification that arrived over the stream, for a toast. */
  latest: Notification | null;
  /** Time of the last metrics update (ms since epoch), for "updated" indicators. */
  lastUpdate: number | null;
}

const LiveContext = createContext<LiveState>({ metrics: 'connecting', notifications: 'connecting', latest: null, lastUpdate: null });

export function useLive(): LiveState {
  return useContext(LiveContext);
}

export function LiveProvider({ enabled, workspace, children }: { enabled: boolean; workspace?: string | null; children: ReactNode }) {
  const client = useQueryClient();
  const [latest, setLatest] = useState<Notification | null>(null);
  const [lastUpdate, setLastUpdate] = useState<number | null>(null);

  // One refetch of the visible obs queries at a time, plus at most one trailing refetch: updates
  // that arrive while a refetch is running never cancel it (which, with requests slower than the
  // 500 ms event rate, would keep restarting it and show nothing new).
  const running = useRef(false);
  const pending = useRef(false);
  const refetchObs = useCallback(async () => {
    if (running.current) {
      pending.current = true;
      return;
    }
    running.current = true;
    try {
      await client.invalidateQueries({ queryKey: ['obs'], refetchType: 'active' }, { cancelRefetch: false });
    } finally {
      running.current = false;
      if (pending.current) {
        pending.current = false;
        void refetchObs();
      }
    }
  }, [client]);

  const refreshMetrics = () => {
    setLastUpdate(Date.now());
    void refetchObs();
  };

  const metrics = useEventStream({
    url: '/api/obs/metrics/stream',
    event: 'metrics',
    enabled,
    scope: workspace,
    onEvent: refreshMetrics,
    onPoll: () => void refetchObs(),
    pollMs: 2_000,
  });

  const notifications = useEventStream({
    url: '/api/obs/notifications/stream',
    event: 'notification',
    enabled,
    scope: workspace,
    onEvent: (data) => {
      try {
        setLatest(JSON.parse(data) as Notification);
      } catch {
        // a malformed event still means "something changed"
      }
      void client.invalidateQueries({ queryKey: ['notifications'] });
      void client.invalidateQueries({ queryKey: ['alerts'], refetchType: 'active' });
    },
    onPoll: () => void client.invalidateQueries({ queryKey: ['notifications'] }),
    pollMs: 5_000,
  });

  return (
    <LiveContext.Provider value={{ metrics, notifications, latest, lastUpdate }}>{children}</LiveContext.Provider>
  );
}

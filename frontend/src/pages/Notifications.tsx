import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMarkRead, useNotifications } from '../api/hooks';
import { useLive } from '../api/live';
import { Panel } from '../components/Panel';
import { formatAgo, formatTime } from '../lib/format';

export default function Notifications() {
  const [status, setStatus] = useState<'all' | 'unread'>('all');
  const list = useNotifications(status);
  const mark = useMarkRead();
  const live = useLive();
  const items = list.data?.notifications ?? [];
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Notifications</h1>
          <p>
            Alerts sent to this app, newest first. <span className={`live-dot ${live.notifications}`}>{live.notifications === 'live' ? 'Live' : live.notifications === 'polling' ? 'Polling' : 'Connecting…'}</span>
          </p>
        </div>
        <div className="row">
          <div className="segmented" role="group" aria-label="Show">
            <button type="button" aria-pressed={status === 'all'} onClick={() => setStatus('all')}>
              All
            </button>
            <button type="button" aria-pressed={status === 'unread'} onClick={() => setStatus('unread')}>
              Unread{list.data ? ` (${list.data.unread})` : ''}
            </button>
          </div>
          <button type="button" onClick={() => mark.mutate('all')} disabled={!list.data?.unread || mark.isPending}>
            Mark all read
          </button>
        </div>
      </div>
      <Panel id="notifications" title="Inbox" loading={list.isPending} error={list.error} onRetry={() => list.refetch()} ready={!!list.data}>
        {items.length === 0 ? (
          <p className="panel-message">
            Nothing here. Alert rules with the in-app channel post here — <Link to="/alerts/new">create one</Link>.
          </p>
        ) : (
          <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="notification-list" aria-live="polite">
            {items.map((n) => (
              <li key={n.id} className="callout" style={{ opacity: n.read_at ? 0.75 : 1 }} data-notification-id={n.id} data-unread={!n.read_at}>
                <div className="row" style={{ justifyContent: 'space-between' }}>
                  <div className="row">
                    <span className={`badge ${n.severity}`}>{n.severity}</span>
                    <strong>{n.title}</strong>
                    {!n.read_at && <span className="badge">new</span>}
                  </div>
                  <span className="small muted" title={formatTime(n.created_at)}>
                    {formatAgo(n.created_at)}
                  </span>
                </div>
                <p style={{ margin: '6px 0' }}>{n.body}</p>
                <div className="row">
                  {n.rule_id && <Link to={`/alerts/${n.rule_id}`}>Rule</Link>}
                  {n.link && <a href={n.link}>Open</a>}
                  {!n.read_at && (
                    <button type="button" className="link" onClick={() => mark.mutate(n.id)}>
                      Mark read
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  );
}

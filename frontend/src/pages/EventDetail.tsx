import { Link, useParams } from 'react-router-dom';
import { useEvent } from '../api/hooks';
import { Panel } from '../components/Panel';
import { CopyButton } from '../components/CopyButton';
import { formatUsd } from '../lib/money';
import { formatDuration, formatTime, formatTokens } from '../lib/format';
import { describe } from './Events';

export default function EventDetail() {
  const { eventId } = useParams();
  const event = useEvent(eventId);
  const e = event.data;
  const json = e ? JSON.stringify(e, null, 2) : '';
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <p className="small">
            <Link to="/events">Events</Link> / event
          </p>
          <h1>{e ? `${e.type} · ${describe(e)}` : 'Event'}</h1>
          <p className="mono small">{eventId}</p>
        </div>
        {e?.run_id && (
          <Link className="button" to={`/runs/${encodeURIComponent(e.run_id)}`} data-testid="open-run">
            Open run timeline
          </Link>
        )}
      </div>
      <Panel id="event" title="Details" loading={event.isPending} error={event.error} onRetry={() => event.refetch()} ready={!!e}>
        {e && (
          <dl className="kv">
            <dt>Occurred</dt>
            <dd>{formatTime(e.occurred_at)} ({e.occurred_at})</dd>
            <dt>Agent</dt>
            <dd>{e.agent_id ? <Link to={`/agents/${encodeURIComponent(e.agent_id)}`}>{e.agent_id}</Link> : '—'}</dd>
            <dt>Status</dt>
            <dd>{e.status ? <span className={`badge ${e.status}`}>{e.status}</span> : '—'}</dd>
            {e.error_message && (
              <>
                <dt>Error</dt>
                <dd>
                  {e.error_type && <code>{e.error_type}</code>} {e.error_message}
                </dd>
              </>
            )}
            <dt>Duration</dt>
            <dd>{formatDuration(e.duration_ms)}</dd>
            {e.type === 'llm_call' && (
              <>
                <dt>Tokens</dt>
                <dd>
                  {formatTokens(e.input_tokens)} in ({formatTokens(e.cached_input_tokens)} cached) · {formatTokens(e.output_tokens)} out (
                  {formatTokens(e.reasoning_tokens)} reasoning)
                </dd>
                <dt>Cost</dt>
                <dd data-exact={e.cost_usd}>
                  {formatUsd(e.cost_usd, { exact: true })} · {e.pricing_status}
                  {e.pricing_id !== null && ` (price row ${e.pricing_id})`}
                </dd>
                {e.usage_flags && e.usage_flags.length > 0 && (
                  <>
                    <dt>Usage flags</dt>
                    <dd>{e.usage_flags.join(', ')}</dd>
                  </>
                )}
              </>
            )}
            <dt>Run</dt>
            <dd>{e.run_id ? <Link to={`/runs/${encodeURIComponent(e.run_id)}`}>{e.run_id}</Link> : '—'}</dd>
            <dt>Trace</dt>
            <dd className="mono">
              {e.trace_id ?? '—'} {e.span_id && `/ ${e.span_id}`} {e.parent_span_id && `← ${e.parent_span_id}`}
            </dd>
            {e.tags && e.tags.length > 0 && (
              <>
                <dt>Tags</dt>
                <dd>{e.tags.map((t) => <span key={t} className="badge" style={{ marginRight: 4 }}>{t}</span>)}</dd>
              </>
            )}
          </dl>
        )}
      </Panel>
      {e && (
        <Panel id="event-json" title="Full JSON" actions={<CopyButton text={json} label="Copy JSON" />}>
          <pre tabIndex={0} data-testid="event-json">
            <code>{json}</code>
          </pre>
        </Panel>
      )}
    </div>
  );
}

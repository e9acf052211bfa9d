import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTools } from '../api/hooks';
import { Panel } from '../components/Panel';
import { formatCount, formatPercent, formatPercentile } from '../lib/format';
import { utcDay } from '../lib/ranges';

const WINDOWS = [
  { days: 1, label: 'Today' },
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
];

export default function Tools() {
  const [days, setDays] = useState(7);
  const params = useMemo(() => {
    const now = new Date();
    return { from: utcDay(new Date(now.getTime() - (days - 1) * 86_400_000)), to: utcDay(now) };
  }, [days]);
  const tools = useTools(params);
  const rows = tools.data ?? [];
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Tools</h1>
          <p>Reliability of the tools and services your agents call, worst first.</p>
        </div>
        <div className="segmented" role="group" aria-label="Time range">
          {WINDOWS.map((w) => (
            <button key={w.days} type="button" aria-pressed={days === w.days} onClick={() => setDays(w.days)}>
              {w.label}
            </button>
          ))}
        </div>
      </div>
      <Panel id="tools" title="Scorecard" hint={`${params.from} – ${params.to}`} loading={tools.isPending} error={tools.error} onRetry={() => tools.refetch()} ready={!!tools.data}>
        {rows.length === 0 ? (
          <p className="panel-message">No tool or service calls in this range. Tool calls are events of type tool_call; the SDKs record them.</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="tools-table">
              <thead>
                <tr>
                  <th scope="col">Tool / operation</th>
                  <th scope="col">Kind</th>
                  <th scope="col" className="num">
                    Calls
                  </th>
                  <th scope="col" className="num">
                    Errors
                  </th>
                  <th scope="col" className="num">
                    Error rate
                  </th>
                  <th scope="col" className="num">
                    p50
                  </th>
                  <th scope="col" className="num">
                    p95
                  </th>
                  <th scope="col" className="num">
                    Agents affected
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((t) => (
                  <tr key={`${t.type}:${t.name}`}>
                    <td>
                      {t.type === 'tool_call' ? (
                        <Link to={`/events?type=tool_call&tool=${encodeURIComponent(t.name)}`}>{t.name}</Link>
                      ) : (
                        <Link to={`/events?type=service_call`}>{t.name}</Link>
                      )}
                    </td>
                    <td>{t.type === 'tool_call' ? 'tool' : 'service'}</td>
                    <td className="num">{formatCount(t.calls)}</td>
                    <td className="num">{formatCount(t.errors)}</td>
                    <td className="num">
                      <span className={t.error_rate >= 0.05 ? 'badge error' : t.error_rate > 0 ? 'badge warning' : 'badge ok'}>{formatPercent(t.error_rate)}</span>
                    </td>
                    <td className="num">{formatPercentile(t.p50_ms)}</td>
                    <td className="num">{formatPercentile(t.p95_ms)}</td>
                    <td className="num">{formatCount(t.agents_affected)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </div>
  );
}

import { Dashboard } from '../components/Dashboard';
import { useLive } from '../api/live';
import { formatAgo } from '../lib/format';

export function Overview() {
  const live = useLive();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Overview</h1>
          <p>
            What your agents cost and do, updated live.
            {live.lastUpdate && <span className="small"> Last update {formatAgo(new Date(live.lastUpdate).toISOString())}.</span>}
          </p>
        </div>
      </div>
      <Dashboard />
    </div>
  );
}

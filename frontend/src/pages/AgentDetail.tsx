import { Link, useParams } from 'react-router-dom';
import { useAgentName } from '../components/AgentName';
import { ApprovalMetricsPanel } from '../components/ApprovalMetrics';
import { Dashboard, useRange } from '../components/Dashboard';
import { RunsTable } from './Runs';

export default function AgentDetail() {
  const { agentId = '' } = useParams();
  const name = useAgentName(agentId);
  const [range] = useRange();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <p className="small">
            <Link to="/overview">Overview</Link> / agent
          </p>
          <h1>{name ?? agentId}</h1>
          {name && (
            <p className="mono small" data-testid="agent-id">
              {agentId}
            </p>
          )}
          <p>
            This agent’s cost, calls and reliability. <Link to={`/events?agent=${encodeURIComponent(agentId)}`}>Its events</Link>
          </p>
        </div>
      </div>
      <Dashboard agent={agentId} />
      <ApprovalMetricsPanel agent={agentId} range={range} />
      <RunsTable agent={agentId} title="Recent runs" />
    </div>
  );
}

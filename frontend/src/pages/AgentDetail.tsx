import { Link, useParams } from 'react-router-dom';
import { Dashboard } from '../components/Dashboard';
import { RunsTable } from './Runs';

export default function AgentDetail() {
  const { agentId = '' } = useParams();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <p className="small">
            <Link to="/overview">Overview</Link> / agent
          </p>
          <h1>{agentId}</h1>
          <p>
            This agent’s cost, calls and reliability. <Link to={`/events?agent=${encodeURIComponent(agentId)}`}>Its events</Link>
          </p>
        </div>
      </div>
      <Dashboard agent={agentId} />
      <RunsTable agent={agentId} title="Recent runs" />
    </div>
  );
}

import type { UpcomingFeature } from '../features';

export default function ComingSoon({ feature }: { feature: UpcomingFeature }) {
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{feature.label}</h1>
          <p>Coming soon</p>
        </div>
      </div>
      <div className="callout">
        <p>{feature.description}</p>
        <p className="muted small">This page arrives with a later release; the navigation already has its place.</p>
      </div>
    </div>
  );
}

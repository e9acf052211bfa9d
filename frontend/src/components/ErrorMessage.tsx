import { Link } from 'react-router-dom';
import { ApiError } from '../api/client';

/** Human text for a failed request, naming the service when the gateway says which one is down. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'service_unavailable') {
      return `${error.service ? `The ${error.service} service` : 'This service'} is unavailable right now. Other panels keep working; this one retries on its own.`;
    }
    if (error.status === 404) return `Not found (${error.code}).`;
    return `${error.message} (${error.code})`;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/**
 * Whether a request was refused at the workspace's plan limit: `403 plan_limit_reached`, answered
 * the same way by every service that enforces one (members, alert rules, API keys, …).
 */
export function isPlanLimit(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === 'plan_limit_reached';
}

/**
 * A failed request in words, for any place that shows one. A plan limit also shows the way out:
 * a link to the Billing page, where the plans and their limits are.
 */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!isPlanLimit(error)) return <>{errorText(error)}</>;
  return (
    <span data-error-code="plan_limit_reached">
      {error.message}{' '}
      <Link to="/billing" data-testid="plan-limit-billing-link">
        See plans and upgrade on Billing
      </Link>
    </span>
  );
}

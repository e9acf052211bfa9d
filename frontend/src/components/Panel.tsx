import type { ReactNode } from 'react';
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

interface PanelProps {
  title: ReactNode;
  hint?: ReactNode;
  actions?: ReactNode;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  children?: ReactNode;
  className?: string;
  id?: string;
  /** "true" once the panel shows data; used by the browser test and the page-load timing. */
  ready?: boolean;
}

/** A dashboard panel with its own loading and error state: one failing service never blanks the page. */
export function Panel({ title, hint, actions, loading, error, onRetry, children, className, id, ready }: PanelProps) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section
      className={`panel${error ? ' error' : ''}${className ? ` ${className}` : ''}`}
      aria-labelledby={headingId}
      aria-busy={loading ? true : undefined}
      data-panel={id}
      data-ready={ready ? 'true' : 'false'}
    >
      <div className="panel-head">
        <h2 id={headingId}>{title}</h2>
        <div className="row">
          {hint && <span className="hint">{hint}</span>}
          {actions}
        </div>
      </div>
      {error ? (
        <div className="panel-message error" role="alert">
          {errorText(error)}{' '}
          {onRetry && (
            <button type="button" onClick={onRetry}>
              Retry
            </button>
          )}
        </div>
      ) : loading ? (
        <div aria-label="Loading">
          <div className="skeleton" />
          <div className="skeleton" style={{ width: '70%' }} />
          <div className="skeleton" style={{ width: '85%' }} />
        </div>
      ) : (
        children
      )}
    </section>
  );
}

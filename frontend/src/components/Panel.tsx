import type { ReactNode } from 'react';
import { ErrorMessage } from './ErrorMessage';

/** Re-exported: the pages import it from here, next to Panel. */
export { errorText } from './ErrorMessage';

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
          <ErrorMessage error={error} />{' '}
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

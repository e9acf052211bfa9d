/**
 * The Overview page-load benchmark, kept out of the pages: the pages only render, and this watches
 * the DOM for the moment the Overview's dashboard first shows every panel with data (its
 * `data-ready` turns "true"). Then it records, once per page load:
 *
 * - `window.__beaconOverviewReady = performance.now()`, read by the browser test
 *   (`e2e/run.mjs`, `overview_tti` in `timings.json`) for the page-load budget in
 *   docs/benchmarks.md;
 * - a `beacon-overview-ready` performance mark, for the browser's performance tools.
 */

declare global {
  interface Window {
    /** performance.now() when the Overview first showed all its panels with data (for the page-load budget). */
    __beaconOverviewReady?: number;
  }
}

export const OVERVIEW_READY_MARK = 'beacon-overview-ready';
const OVERVIEW_PATH = '/overview';

function isReadyOverviewDashboard(target: Node): boolean {
  return (
    target instanceof Element &&
    target.getAttribute('data-testid') === 'dashboard' &&
    target.getAttribute('data-ready') === 'true' &&
    window.location.pathname === OVERVIEW_PATH
  );
}

/**
 * Starts watching for the Overview to become ready (the dashboard renders `data-ready="false"`
 * first, so the change is always an attribute mutation). Returns a function that stops watching;
 * it stops by itself once the time is recorded.
 */
export function recordOverviewReady(): () => void {
  const observer = new MutationObserver((mutations) => {
    if (window.__beaconOverviewReady !== undefined) {
      observer.disconnect();
      return;
    }
    if (mutations.some((m) => isReadyOverviewDashboard(m.target))) {
      window.__beaconOverviewReady = performance.now();
      performance.mark?.(OVERVIEW_READY_MARK);
      observer.disconnect();
    }
  });
  observer.observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  return () => observer.disconnect();
}

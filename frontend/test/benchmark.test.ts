import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OVERVIEW_READY_MARK, recordOverviewReady } from '../src/lib/benchmark';

/** The dashboard as the app renders it: not ready at first. */
function dashboard(): HTMLElement {
  const el = document.createElement('div');
  el.setAttribute('data-testid', 'dashboard');
  el.setAttribute('data-ready', 'false');
  document.body.append(el);
  return el;
}

const mutationsDelivered = () => new Promise((resolve) => setTimeout(resolve, 0));

let stop: () => void;
beforeEach(() => {
  delete window.__beaconOverviewReady;
  window.history.pushState(null, '', '/overview');
});
afterEach(() => {
  stop?.();
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

describe('recordOverviewReady', () => {
  it('records performance.now() and a mark when the Overview dashboard turns ready', async () => {
    vi.spyOn(performance, 'now').mockReturnValue(1234.5);
    const mark = vi.spyOn(performance, 'mark');
    stop = recordOverviewReady();
    const el = dashboard();
    await mutationsDelivered();
    expect(window.__beaconOverviewReady).toBeUndefined();
    el.setAttribute('data-ready', 'true');
    await mutationsDelivered();
    expect(window.__beaconOverviewReady).toBe(1234.5);
    expect(mark).toHaveBeenCalledWith(OVERVIEW_READY_MARK);
  });

  it('keeps the first time only', async () => {
    const now = vi.spyOn(performance, 'now').mockReturnValue(100);
    stop = recordOverviewReady();
    const el = dashboard();
    el.setAttribute('data-ready', 'true');
    await mutationsDelivered();
    now.mockReturnValue(900);
    el.setAttribute('data-ready', 'false');
    el.setAttribute('data-ready', 'true');
    await mutationsDelivered();
    expect(window.__beaconOverviewReady).toBe(100);
  });

  it('ignores the agent page’s dashboard and other panels turning ready', async () => {
    window.history.pushState(null, '', '/agents/support-bot');
    stop = recordOverviewReady();
    dashboard().setAttribute('data-ready', 'true');
    await mutationsDelivered();
    window.history.pushState(null, '', '/overview');
    const panel = document.createElement('section');
    panel.setAttribute('data-ready', 'false');
    document.body.append(panel);
    panel.setAttribute('data-ready', 'true');
    await mutationsDelivered();
    expect(window.__beaconOverviewReady).toBeUndefined();
  });

  it('records nothing once stopped', async () => {
    stop = recordOverviewReady();
    stop();
    dashboard().setAttribute('data-ready', 'true');
    await mutationsDelivered();
    expect(window.__beaconOverviewReady).toBeUndefined();
  });
});

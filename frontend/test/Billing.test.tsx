import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import Billing from '../src/pages/Billing';
import { formatCents, formatCredits, formatPlanPrice } from '../src/lib/money';

type Call = { url: string; method: string };
let calls: Call[];
let subscription: unknown;
let plansStatus: number;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const ent = (retention_days: number, events_per_month: number, alert_rules: number, members: number, api_keys: number, hosted_credit_allowance: number) => ({
  retention_days, events_per_month, alert_rules, members, api_keys, hosted_credit_allowance,
});
const plans = [
  { id: 'free', name: 'Free', price_cents_monthly: 0, currency: 'usd', contact_sales: false, checkout_available: false, entitlements: ent(7, 100_000, 3, 3, 2, 1_000_000) },
  { id: 'pro', name: 'Pro', price_cents_monthly: 1500, currency: 'usd', contact_sales: false, checkout_available: true, entitlements: ent(30, 1_000_000, 20, 10, 10, 5_000_000) },
  { id: 'business', name: 'Business', price_cents_monthly: 9900, currency: 'usd', contact_sales: false, checkout_available: true, entitlements: ent(90, 10_000_000, 100, 50, 50, 50_000_000) },
  { id: 'enterprise', name: 'Enterprise', price_cents_monthly: null, currency: 'usd', contact_sales: true, checkout_available: false, entitlements: ent(365, 100_000_000, 1000, 1000, 1000, 500_000_000) },
];
const freeState = {
  workspace_id: 'w', plan: 'free', subscribed_plan: null, status: null, current_period_end: null, grace_until: null,
  entitlements: plans[0].entitlements, revision: 0,
};
const pastDue = {
  workspace_id: 'w', plan: 'pro', subscribed_plan: 'pro', status: 'past_due', current_period_end: '2027-01-07T10:00:00Z', grace_until: '2026-12-15T10:00:00Z',
  entitlements: plans[1].entitlements, revision: 3,
};

beforeEach(() => {
  calls = [];
  subscription = freeState;
  plansStatus = 200;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      calls.push({ url, method });
      if (url === '/api/billing/subscription' && method === 'GET') return json(subscription);
      if (url === '/api/billing/plans' && method === 'GET') {
        return plansStatus === 200 ? json({ plans }) : json({ code: 'service_unavailable', message: 'down', service: 'billing' }, plansStatus);
      }
      throw new Error(`unexpected fetch ${method} ${url}`);
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <Billing />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const row = async (id: string) => (await screen.findByTestId('plans-table')).querySelector(`[data-plan="${id}"]`) as HTMLElement;
const entitlement = (scope: HTMLElement, key: string) => scope.querySelector(`[data-entitlement="${key}"] dd`)!.textContent;

describe('plan prices', () => {
  it('formats integer cents exactly', () => {
    expect(formatPlanPrice(0)).toBe('Free');
    expect(formatPlanPrice(1500)).toBe('$15/mo');
    expect(formatPlanPrice(9900)).toBe('$99/mo');
    expect(formatPlanPrice(1999)).toBe('$19.99/mo');
    expect(formatPlanPrice(1505)).toBe('$15.05/mo');
    expect(formatPlanPrice(null, true)).toBe('Contact us');
    expect(formatPlanPrice(null)).toBe('Contact us');
    expect(formatPlanPrice(1500, true)).toBe('Contact us');
    expect(formatCents(123_456_789)).toBe('$1,234,567.89');
    // 0.1 + 0.2 style drift cannot happen: no float division
    expect(formatCents(30)).toBe('$0.30');
    expect(formatCents(9_007_199_254_740_993n)).toBe('$90,071,992,547,409.93');
    expect(() => formatCents(15.5)).toThrow();
  });
  it('formats hosted credits (micro-USD) as dollars', () => {
    expect(formatCredits(1_000_000)).toBe('$1.00');
    expect(formatCredits(500_000_000)).toBe('$500.00');
  });
});

describe('Billing page', () => {
  it('shows the current plan and the plans table', async () => {
    subscription = { ...pastDue, status: 'active', grace_until: null };
    renderPage();
    const current = await screen.findByTestId('current-plan');
    expect(within(current).getByTestId('effective-plan').textContent).toContain('Pro');
    expect(within(current).getByText('active')).toBeTruthy();
    expect(within(current).getByText('Current period ends')).toBeTruthy();
    expect(screen.queryByTestId('past-due-warning')).toBeNull();
    const entitlements = screen.getByTestId('current-entitlements');
    expect(entitlement(entitlements, 'retention_days')).toBe('30 days');
    expect(entitlement(entitlements, 'events_per_month')).toBe('1,000,000');
    expect(entitlement(entitlements, 'hosted_credit_allowance')).toBe('$5.00');

    expect(within(await row('free')).getByText('Free', { selector: 'td.num' })).toBeTruthy();
    expect(within(await row('pro')).getByText('$15/mo')).toBeTruthy();
    expect(within(await row('pro')).getByText('current')).toBeTruthy();
    expect(within(await row('business')).getByText('$99/mo')).toBeTruthy();
    expect(within(await row('enterprise')).getByText('Contact us')).toBeTruthy();
    expect(within(await row('enterprise')).getByText('365 days')).toBeTruthy();
    expect(within(await row('enterprise')).getByText('$500.00')).toBeTruthy();
    expect(calls.map((c) => `${c.method} ${c.url}`).sort()).toEqual(['GET /api/billing/plans', 'GET /api/billing/subscription']);
  });

  it('says a workspace without a subscription is on Free', async () => {
    renderPage();
    const current = await screen.findByTestId('current-plan');
    await screen.findByTestId('plans-table');
    expect(within(current).getByTestId('effective-plan').textContent).toBe('Free');
    expect(within(current).getByText('no subscription (Free)')).toBeTruthy();
    expect(within(await row('free')).getByText('current')).toBeTruthy();
  });

  it('warns when past due, with the grace period end', async () => {
    subscription = pastDue;
    renderPage();
    const warning = await screen.findByTestId('past-due-warning');
    expect(warning.getAttribute('role')).toBe('alert');
    expect(warning.textContent).toContain('Payment failed');
    expect(warning.textContent).toContain('falls back to Free');
    expect(screen.getByTestId('grace-until').getAttribute('title')).toBe('2026-12-15T10:00:00Z');
    expect(screen.getByText('past due')).toBeTruthy();
  });

  it('is read-only: a note about Checkout and no buttons', async () => {
    renderPage();
    await screen.findByTestId('plans-table');
    expect(screen.getByTestId('checkout-note').textContent).toContain('Checkout');
    // only the table's sort headers would be buttons; none of them buys anything
    expect(screen.queryByRole('button', { name: /upgrade|subscribe|checkout|buy/i })).toBeNull();
    expect(calls.every((c) => c.method === 'GET')).toBe(true);
  });

  it('keeps the current plan when the plans fail', async () => {
    plansStatus = 503;
    renderPage();
    expect(await screen.findByText(/The billing service is unavailable/)).toBeTruthy();
    expect((await screen.findByTestId('effective-plan')).textContent).toBe('Free');
  });
});

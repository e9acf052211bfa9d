import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import Billing from '../src/pages/Billing';
import { stripeRedirect } from '../src/api/billing';
import { fireEvent, waitFor } from '@testing-library/react';
import { formatCents, formatCredits, formatPlanPrice } from '../src/lib/money';

type Call = { url: string; method: string; body?: unknown };
let calls: Call[];
let subscription: unknown;
let plansStatus: number;
let role: string;
let credits: Record<string, unknown>;
let actionAnswer: { status: number; body: unknown };
let contact: Record<string, unknown>;
let contactAnswer: { status: number; body: unknown } | null;

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

const ledger = {
  transactions: [
    { id: 3, kind: 'debit_usage', reference: 'llm_call:e1', description: 'Hosted demo beacon-demo: 40 input, 20 output tokens', created_at: '2026-12-08T02:31:07Z', amount: -80, entries: [] },
    { id: 2, kind: 'grant_purchase', reference: 'checkout:cs_1', description: '$10 of hosted usage', created_at: '2026-12-08T02:00:00Z', amount: 10_000_000, entries: [] },
  ],
  next_cursor: null,
};

beforeEach(() => {
  calls = [];
  subscription = freeState;
  plansStatus = 200;
  role = 'owner';
  credits = { workspace_id: 'w', balance: 10_999_920, allowance_balance: 999_920, purchased_balance: 10_000_000, allowance_month: '2026-12', allowance_granted: 1_000_000, hosted_llm_allowed: true };
  actionAnswer = { status: 200, body: { url: 'https://checkout.stripe.com/c/pay/cs_test_1' } };
  contact = { email: 'pays@example.com', source: 'stripe', updated_at: '2026-12-08T03:00:00Z' };
  contactAnswer = null;
  document.cookie = 'XSRF-TOKEN=t';
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      calls.push({ url, method, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      if (method === 'GET') {
        if (url === '/api/billing/subscription') return json(subscription);
        if (url === '/api/billing/plans') {
          return plansStatus === 200 ? json({ plans }) : json({ code: 'service_unavailable', message: 'down', service: 'billing' }, plansStatus);
        }
        if (url === '/api/me') return json({ user: { id: 'u', email: 'a@b.c' }, role, workspace: { id: 'w', name: 'W' }, workspaces: [] });
        if (url === '/api/billing/credits') return json(credits);
        if (url === '/api/billing/credits/ledger?limit=20') return json(ledger);
        if (url === '/api/billing/credit-packs') {
          return json({ credit_packs: [
            { id: 'credits_10', name: '$10 of hosted usage', price_cents: 1000, currency: 'usd', credits: 10_000_000, checkout_available: true },
            { id: 'credits_50', name: '$50 of hosted usage', price_cents: 5000, currency: 'usd', credits: 50_000_000, checkout_available: false },
          ] });
        }
        if (url === '/api/obs/usage') return json({ month: '2026-12', events: 85_000, events_limit: 100_000, api_keys: 2, api_keys_limit: 2, plan: 'free' });
        if (url === '/api/workspace/members') return json([{ user_id: 'u', email: 'a@b.c', role: 'owner' }]);
        if (url === '/api/obs/alerts/rules') return json({ rules: [] });
        if (url === '/api/billing/invoices') {
          return role === 'owner' || role === 'admin'
            ? json({ invoices: [
                { id: 'in_2', number: 'LOCAL-0002', status: 'open', currency: 'usd', amount_due: 1500, amount_paid: 0, created: '2026-12-08T03:00:00Z', period_start: null, period_end: null, hosted_invoice_url: 'https://invoice.stripe.com/i/2' },
                { id: 'in_1', number: 'LOCAL-0001', status: 'paid', currency: 'usd', amount_due: 1500, amount_paid: 1500, created: '2026-12-07T03:00:00Z', period_start: null, period_end: null, hosted_invoice_url: null },
              ] })
            : json({ code: 'forbidden_role', message: 'Only the workspace owners and admins manage its billing.' }, 403);
        }
      }
      if (method === 'POST' && (url === '/api/billing/checkout' || url === '/api/billing/portal')) return json(actionAnswer.body, actionAnswer.status);
      if (url === '/api/billing/contact') {
        if (role !== 'owner' && role !== 'admin') return json({ code: 'forbidden_role', message: 'Only owners and admins.' }, 403);
        if (method === 'GET') return json(contact);
        if (method === 'PUT') {
          if (contactAnswer) return json(contactAnswer.body, contactAnswer.status);
          contact = { email: (calls[calls.length - 1].body as { email: string }).email, source: 'workspace', updated_at: '2026-12-08T04:00:00Z' };
          return json(contact);
        }
        if (method === 'DELETE') {
          contact = { email: null };
          return new Response(null, { status: 204 });
        }
      }
      throw new Error(`unexpected fetch ${method} ${url}`);
    }),
  );
  vi.spyOn(stripeRedirect, 'assign').mockImplementation(() => {});
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function renderPage(path = '/billing') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
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
    expect(calls.every((c) => c.method === 'GET')).toBe(true);
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

  it('sends an owner of a Free workspace to Checkout for the plan chosen', async () => {
    renderPage();
    const upgrade = await screen.findByRole('button', { name: 'Upgrade to Pro' });
    expect(within(await row('business')).getByRole('button', { name: 'Upgrade to Business' })).toBeTruthy();
    expect(within(await row('enterprise')).queryByRole('button', { name: /upgrade/i })).toBeNull();
    fireEvent.click(upgrade);
    await waitFor(() => expect(stripeRedirect.assign).toHaveBeenCalledWith('https://checkout.stripe.com/c/pay/cs_test_1'));
    expect(calls.filter((c) => c.method === 'POST')).toEqual([{ url: '/api/billing/checkout', method: 'POST', body: { plan: 'pro' } }]);
  });

  it('changes the plan of a subscribed workspace in the portal, not a second Checkout', async () => {
    subscription = { ...pastDue, status: 'active', grace_until: null };
    actionAnswer = { status: 200, body: { url: 'https://billing.stripe.com/p/session/1' } };
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Switch to Business' }));
    await waitFor(() => expect(stripeRedirect.assign).toHaveBeenCalledWith('https://billing.stripe.com/p/session/1'));
    fireEvent.click(screen.getByRole('button', { name: 'Manage billing' }));
    await waitFor(() => expect(stripeRedirect.assign).toHaveBeenCalledTimes(2));
    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      { url: '/api/billing/portal', method: 'POST', body: { flow: 'change_plan' } },
      { url: '/api/billing/portal', method: 'POST', body: {} },
    ]);
  });

  it('gives members and viewers no buttons that buy anything', async () => {
    role = 'member';
    renderPage();
    await screen.findByTestId('plans-table');
    await screen.findByTestId('credit-packs');
    expect(screen.getByText(/Only the workspace's owners and admins/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /upgrade|switch|buy|manage billing/i })).toBeNull();
    expect(calls.every((c) => c.method === 'GET')).toBe(true);
  });

  it('shows a refused Checkout in words and does not navigate', async () => {
    actionAnswer = { status: 503, body: { code: 'stripe_not_configured', message: 'Billing has no Stripe secret key (BEACON_STRIPE_SECRET_KEY).' } };
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Upgrade to Pro' }));
    const error = await screen.findByTestId('billing-action-error');
    expect(error.textContent).toContain('BEACON_STRIPE_SECRET_KEY');
    expect(stripeRedirect.assign).not.toHaveBeenCalled();
  });

  it('shows usage against every limit, amber near it and red at it', async () => {
    renderPage();
    const usage = await screen.findByTestId('usage');
    await waitFor(() => expect(usage.querySelector('[data-usage="events"]')!.textContent).toContain('85,000 of 100,000'));
    expect(usage.querySelector('[data-usage="events"]')!.getAttribute('data-level')).toBe('high');
    expect(usage.querySelector('[data-usage="api_keys"]')!.getAttribute('data-level')).toBe('full');
    await waitFor(() => expect(usage.querySelector('[data-usage="members"]')!.textContent).toContain('1 of 3'));
    expect(usage.querySelector('[data-usage="alert_rules"]')!.textContent).toContain('0 of 3');
    await waitFor(() => expect(usage.querySelector('[data-usage="credits"]')!.textContent).toContain('of $1.00'));
    expect(usage.querySelector('[data-usage="events"] [role="progressbar"]')!.getAttribute('aria-valuenow')).toBe('85000');
  });

  it('shows the credit balance, the packs and the ledger, and buys a pack', async () => {
    renderPage();
    const balance = await screen.findByTestId('credit-balance');
    expect(balance.querySelector('[data-credits]')!.getAttribute('data-credits')).toBe('10999920');
    expect(balance.textContent).toContain('10,999,920 credits');
    const table = await screen.findByTestId('ledger-table');
    await waitFor(() => expect(table.querySelectorAll('[data-amount]').length).toBe(2));
    expect(table.textContent).toContain('hosted usage');
    expect(table.textContent).toContain('credits bought');
    expect(screen.getByText(/not sold here/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Buy \$10 of hosted usage/ }));
    await waitFor(() => expect(stripeRedirect.assign).toHaveBeenCalled());
    expect(calls.filter((c) => c.method === 'POST')).toEqual([{ url: '/api/billing/checkout', method: 'POST', body: { credit_pack: 'credits_10' } }]);
    expect(screen.queryByTestId('credits-exhausted')).toBeNull();
  });

  it("lists the invoices for owners and admins, with Stripe's page for each", async () => {
    renderPage();
    const table = await screen.findByTestId('invoices-table');
    await waitFor(() => expect(table.querySelectorAll('[data-cents]').length).toBe(2));
    expect(table.textContent).toContain('LOCAL-0002');
    expect(table.textContent).toContain('$15');
    const view = within(table).getByRole('link', { name: 'View' });
    expect(view.getAttribute('href')).toBe('https://invoice.stripe.com/i/2');
    expect(view.getAttribute('rel')).toContain('noopener');
  });

  it('does not ask for invoices as a member', async () => {
    role = 'member';
    renderPage();
    await screen.findByTestId('plans-table');
    await screen.findByTestId('credit-packs');
    expect(screen.queryByTestId('invoices-table')).toBeNull();
    expect(calls.some((c) => c.url === '/api/billing/invoices')).toBe(false);
  });

  it('warns when the hosted credit is used up', async () => {
    credits = { ...credits, balance: -40, allowance_balance: 0, purchased_balance: -40, hosted_llm_allowed: false };
    renderPage();
    const warning = await screen.findByTestId('credits-exhausted');
    expect(warning.textContent).toContain('used up');
  });

  it('says what happened when the browser is back from Checkout', async () => {
    renderPage('/billing?checkout=success&session_id=cs_1');
    expect((await screen.findByTestId('checkout-returned')).textContent).toContain('Payment done at Stripe');
    cleanup();
    renderPage('/billing?checkout=canceled');
    expect((await screen.findByTestId('checkout-returned')).textContent).toContain('nothing changed');
  });

  it('keeps the current plan when the plans fail', async () => {
    plansStatus = 503;
    renderPage();
    expect(await screen.findByText(/The billing service is unavailable/)).toBeTruthy();
    expect((await screen.findByTestId('effective-plan')).textContent).toBe('Free');
  });
});

describe('billing e-mail', () => {
  it('shows the address a Checkout collected and saves the one the owner types', async () => {
    renderPage();
    const input = (await screen.findByTestId('billing-contact-email')) as HTMLInputElement;
    await waitFor(() => expect(input.value).toBe('pays@example.com'));
    const panel = screen.getByTestId('billing-contact-form');
    expect(panel.textContent).toContain('the last Checkout collected');
    const save = within(panel).getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(input, { target: { value: '  finance@example.com ' } });
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT' && c.url === '/api/billing/contact')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({ email: 'finance@example.com' });
    await waitFor(() => expect(input.value).toBe('finance@example.com'));
    expect(panel.textContent).not.toContain('the last Checkout collected');
  });

  it('shows the refusal of an address that is not one, and keeps what was typed', async () => {
    contactAnswer = { status: 400, body: { code: 'invalid_email', message: 'email must be one e-mail address such as billing@example.com, at most 254 characters.', field: 'email' } };
    renderPage();
    const input = (await screen.findByTestId('billing-contact-email')) as HTMLInputElement;
    await waitFor(() => expect(input.value).toBe('pays@example.com'));
    fireEvent.change(input, { target: { value: 'ops@localhost' } });
    fireEvent.click(within(screen.getByTestId('billing-contact-form')).getByRole('button', { name: 'Save' }));
    const error = await screen.findByTestId('billing-contact-error');
    expect(error.textContent).toContain('one e-mail address');
    expect(input.value).toBe('ops@localhost');
  });

  it('removes the address, and says notices are in-app only then', async () => {
    renderPage();
    const panel = await screen.findByTestId('billing-contact-form');
    fireEvent.click(await within(panel).findByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.url === '/api/billing/contact')).toBe(true));
    await waitFor(() => expect(panel.textContent).toContain('notices are in-app only'));
    expect((screen.getByTestId('billing-contact-email') as HTMLInputElement).value).toBe('');
  });

  it('is not shown to members and viewers, who may not read it', async () => {
    role = 'viewer';
    renderPage();
    await screen.findByTestId('plans-table');
    expect(screen.queryByTestId('billing-contact-form')).toBeNull();
    expect(calls.some((c) => c.url === '/api/billing/contact')).toBe(false);
  });
});

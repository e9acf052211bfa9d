/** billing-service's read API behind the gateway (docs/billing.md): plans and the workspace's subscription. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export interface Entitlements {
  retention_days: number;
  events_per_month: number;
  alert_rules: number;
  members: number;
  api_keys: number;
  /** credits per month; one credit is one micro-USD of hosted LLM usage */
  hosted_credit_allowance: number;
}

export interface Plan {
  id: string;
  name: string;
  /** integer US cents per month; null for a plan sold by contact */
  price_cents_monthly: number | null;
  currency: string;
  contact_sales: boolean;
  checkout_available: boolean;
  entitlements: Entitlements;
}

export type SubscriptionStatus = 'active' | 'past_due' | 'canceled';

export interface Subscription {
  workspace_id: string;
  /** the effective plan, whose limits `entitlements` carries */
  plan: string;
  /** the subscription row's plan; null without a subscription */
  subscribed_plan: string | null;
  /** null for a workspace that never subscribed (Free) */
  status: SubscriptionStatus | null;
  current_period_end: string | null;
  grace_until: string | null;
  entitlements: Entitlements;
  revision: number;
}

export function usePlans() {
  return useQuery({
    queryKey: ['billing', 'plans'],
    queryFn: async () => (await api<{ plans: Plan[] }>('/api/billing/plans')).plans,
    staleTime: 300_000,
  });
}

export function useSubscription() {
  return useQuery({ queryKey: ['billing', 'subscription'], queryFn: () => api<Subscription>('/api/billing/subscription') });
}

/** `GET /api/billing/credits`: the workspace's hosted LLM credits (one credit = one micro-USD). */
export interface Credits {
  workspace_id: string;
  balance: number;
  allowance_balance: number;
  purchased_balance: number;
  allowance_month: string;
  allowance_granted: number;
  hosted_llm_allowed: boolean;
}

export interface LedgerTransaction {
  id: number;
  kind: 'grant_allowance' | 'expiry' | 'grant_purchase' | 'debit_usage' | 'reversal' | (string & {});
  reference: string;
  description: string;
  created_at: string;
  /** the transaction's effect on the workspace's balance, in credits */
  amount: number;
}

/** `GET /api/obs/usage` (obs-ingest-service): this month's events and the active keys against their limits. */
export interface IngestUsage {
  month: string;
  events: number;
  events_limit: number;
  api_keys: number;
  api_keys_limit: number;
  plan: string;
}

export function useCredits() {
  return useQuery({ queryKey: ['billing', 'credits'], queryFn: () => api<Credits>('/api/billing/credits') });
}

export function useLedger() {
  return useQuery({
    queryKey: ['billing', 'ledger'],
    queryFn: () => api<{ transactions: LedgerTransaction[]; next_cursor: string | null }>('/api/billing/credits/ledger?limit=20'),
  });
}

export function useIngestUsage() {
  return useQuery({ queryKey: ['billing', 'ingest-usage'], queryFn: () => api<IngestUsage>('/api/obs/usage') });
}

/** Where the browser goes; a seam so tests can observe the navigation without leaving jsdom's page. */
export const stripeRedirect = {
  assign(url: string) {
    window.location.href = url;
  },
};

export type CheckoutRequest = { plan: string } | { credit_pack: string };

/** Starts Stripe Checkout (a plan or a credit pack) and sends the browser there. */
export function useCheckout() {
  return useMutation({
    mutationFn: (request: CheckoutRequest) => api<{ url: string }>('/api/billing/checkout', { method: 'POST', body: request }),
    onSuccess: (answer) => stripeRedirect.assign(answer.url),
  });
}

/** Opens the Stripe Customer Portal (optionally on the plan choice) and sends the browser there. */
export function usePortal() {
  return useMutation({
    mutationFn: (flow: 'change_plan' | null) =>
      api<{ url: string }>('/api/billing/portal', { method: 'POST', body: flow ? { flow } : {} }),
    onSuccess: (answer) => stripeRedirect.assign(answer.url),
  });
}

export interface CreditPack {
  id: string;
  name: string;
  price_cents: number;
  currency: string;
  credits: number;
  checkout_available: boolean;
}

export function useCreditPacks() {
  return useQuery({
    queryKey: ['billing', 'credit-packs'],
    queryFn: async () => (await api<{ credit_packs: CreditPack[] }>('/api/billing/credit-packs')).credit_packs,
    staleTime: 300_000,
  });
}

/** `GET /api/billing/invoices` (owners and admins): the workspace's Stripe invoices, newest first. */
export interface Invoice {
  id: string;
  number: string | null;
  status: string | null;
  currency: string;
  /** integer cents of `currency` */
  amount_due: number | null;
  amount_paid: number | null;
  created: string | null;
  period_start: string | null;
  period_end: string | null;
  hosted_invoice_url: string | null;
}

export function useInvoices(enabled: boolean) {
  return useQuery({
    queryKey: ['billing', 'invoices'],
    queryFn: async () => (await api<{ invoices: Invoice[] }>('/api/billing/invoices')).invoices,
    enabled,
  });
}

/** `GET /api/billing/contact` (owners and admins): where billing notices are e-mailed, if anywhere. */
export interface BillingContact {
  email: string | null;
  /** `workspace`: set here; `stripe`: the address a Checkout collected */
  source?: 'workspace' | 'stripe';
  updated_at?: string;
}

export function useBillingContact(enabled: boolean) {
  return useQuery({ queryKey: ['billing', 'contact'], queryFn: () => api<BillingContact>('/api/billing/contact'), enabled });
}

/** Sets (an address) or removes (`null`) the billing e-mail address. */
export function useSetBillingContact() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (email: string | null) =>
      email === null
        ? (await api<void>('/api/billing/contact', { method: 'DELETE' }), { email: null } as BillingContact)
        : api<BillingContact>('/api/billing/contact', { method: 'PUT', body: { email } }),
    onSuccess: (contact) => client.setQueryData(['billing', 'contact'], contact),
  });
}

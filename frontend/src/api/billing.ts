/** billing-service's read API behind the gateway (docs/billing.md): plans and the workspace's subscription. */
import { useQuery } from '@tanstack/react-query';
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

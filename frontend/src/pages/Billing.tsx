import { usePlans, useSubscription, type Entitlements, type Plan, type Subscription } from '../api/billing';
import { DataTable, type Column } from '../components/DataTable';
import { Panel } from '../components/Panel';
import { formatCount, formatTime } from '../lib/format';
import { formatCredits, formatPlanPrice } from '../lib/money';

const ENTITLEMENTS: ReadonlyArray<{ key: keyof Entitlements; label: string; format: (v: number) => string }> = [
  { key: 'retention_days', label: 'Event retention', format: (v) => `${formatCount(v)} ${v === 1 ? 'day' : 'days'}` },
  { key: 'events_per_month', label: 'Events / month', format: formatCount },
  { key: 'alert_rules', label: 'Alert rules', format: formatCount },
  { key: 'members', label: 'Members', format: formatCount },
  { key: 'api_keys', label: 'API keys', format: formatCount },
  { key: 'hosted_credit_allowance', label: 'Hosted LLM credit / month', format: (v) => formatCredits(v) },
];

const show = (entitlements: Entitlements | undefined, key: keyof Entitlements, format: (v: number) => string) => {
  const v = entitlements?.[key];
  return typeof v === 'number' ? format(v) : '—';
};

const STATUS_CLASS: Record<string, string> = { active: 'ok', past_due: 'warning', canceled: '' };

function CurrentPlan({ subscription, plans }: { subscription: Subscription; plans: Plan[] | undefined }) {
  // the plans' names; while they are missing (or failed), the id capitalised
  const nameOf = (id: string | null) => (id ? (plans?.find((p) => p.id === id)?.name ?? id.charAt(0).toUpperCase() + id.slice(1)) : '—');
  const graceOver = subscription.status === 'past_due' && subscription.plan !== subscription.subscribed_plan;
  return (
    <div className="stack">
      {subscription.status === 'past_due' && (
        <div className="callout warn" role="alert" data-testid="past-due-warning">
          <strong>Payment failed.</strong>{' '}
          {graceOver
            ? `The grace period has ended: this workspace has ${nameOf(subscription.plan)}'s limits until a payment succeeds.`
            : `This workspace keeps ${nameOf(subscription.subscribed_plan)}'s limits until ${formatTime(subscription.grace_until)}${subscription.grace_until ? ' ' : ''}and falls back to Free then, unless a payment succeeds.`}
        </div>
      )}
      <dl className="small" data-testid="current-plan">
        <dt>Plan</dt>
        <dd data-testid="effective-plan">
          <strong>{nameOf(subscription.plan)}</strong>
          {subscription.subscribed_plan && subscription.subscribed_plan !== subscription.plan && <> (subscribed: {nameOf(subscription.subscribed_plan)})</>}
        </dd>
        <dt>Status</dt>
        <dd>
          {subscription.status ? (
            <span className={`badge ${STATUS_CLASS[subscription.status] ?? ''}`} data-status={subscription.status}>
              {subscription.status.replace('_', ' ')}
            </span>
          ) : (
            'no subscription (Free)'
          )}
        </dd>
        {subscription.current_period_end && (
          <>
            <dt>Current period ends</dt>
            <dd title={subscription.current_period_end}>{formatTime(subscription.current_period_end)}</dd>
          </>
        )}
        {subscription.grace_until && (
          <>
            <dt>Grace until</dt>
            <dd title={subscription.grace_until} data-testid="grace-until">
              {formatTime(subscription.grace_until)}
            </dd>
          </>
        )}
      </dl>
      <h3>Entitlements</h3>
      <dl className="small" data-testid="current-entitlements">
        {ENTITLEMENTS.map((e) => (
          <div key={e.key} data-entitlement={e.key}>
            <dt>{e.label}</dt>
            <dd>{show(subscription.entitlements, e.key, e.format)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export default function Billing() {
  const subscription = useSubscription();
  const plans = usePlans();
  const current = subscription.data?.plan;
  const columns: Column<Plan>[] = [
    {
      id: 'name',
      header: 'Plan',
      cell: (p) => (
        <>
          {p.name}
          {p.id === current && <> <span className="badge ok">current</span></>}
        </>
      ),
    },
    { id: 'price', header: 'Price', cell: (p) => formatPlanPrice(p.price_cents_monthly, p.contact_sales), numeric: true, cellProps: (p) => ({ 'data-price-cents': p.price_cents_monthly ?? '' }) },
    ...ENTITLEMENTS.map((e) => ({ id: e.key, header: e.label, cell: (p: Plan) => show(p.entitlements, e.key, e.format), numeric: true })),
  ];
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Billing</h1>
          <p>This workspace's plan and what each plan includes. Prices are per month, in US dollars.</p>
        </div>
      </div>
      <Panel id="billing-subscription" title="Current plan" loading={subscription.isPending} error={subscription.error} onRetry={() => subscription.refetch()} ready={!!subscription.data}>
        {subscription.data && <CurrentPlan subscription={subscription.data} plans={plans.data} />}
      </Panel>
      <Panel id="billing-plans" title="Plans" loading={plans.isPending} error={plans.error} onRetry={() => plans.refetch()} ready={!!plans.data}>
        <DataTable testId="plans-table" columns={columns} rows={plans.data ?? []} rowKey={(p) => p.id} rowProps={(p) => ({ 'data-plan': p.id })} caption="Plans" />
        <p className="small muted" data-testid="checkout-note">
          Changing plan comes with Stripe Checkout, which is not built yet; until then this page is read-only. A hosted LLM credit is one
          micro-dollar of usage of the platform's own provider keys.
        </p>
      </Panel>
    </div>
  );
}

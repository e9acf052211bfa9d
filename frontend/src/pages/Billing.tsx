import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import {
  useCheckout,
  useCreditPacks,
  useCredits,
  useIngestUsage,
  useInvoices,
  useLedger,
  usePlans,
  usePortal,
  useBillingContact,
  useSetBillingContact,
  useSubscription,
  type Credits,
  type Entitlements,
  type Invoice,
  type LedgerTransaction,
  type Plan,
  type Subscription,
} from '../api/billing';
import { useAlertRules, useMe, useMembers } from '../api/hooks';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { formatCount, formatTime } from '../lib/format';
import { formatCents, formatCredits, formatPlanPrice } from '../lib/money';

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

/** A live subscription: one that Checkout must not start again (change plan in the portal instead). */
const subscribed = (s: Subscription | undefined) => !!s && (s.status === 'active' || s.status === 'past_due');

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

/** One limit as a bar: used of limit, amber from 80 %, red at the limit. */
export function UsageBar({ id, label, used, limit, format = formatCount }: { id: string; label: string; used: number | undefined; limit: number | undefined; format?: (v: number) => string }) {
  const known = typeof used === 'number' && typeof limit === 'number';
  const share = known && limit > 0 ? Math.min(1, used / limit) : known && used > 0 ? 1 : 0;
  const level = !known ? '' : share >= 1 ? 'full' : share >= 0.8 ? 'high' : '';
  return (
    <div className="usage" data-usage={id} data-level={level}>
      <div className="row small">
        <span>{label}</span>
        <span className="muted">{known ? `${format(used)} of ${format(limit)}` : '—'}</span>
      </div>
      <div
        className="usage-bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? limit : undefined}
        aria-valuenow={known ? used : undefined}
      >
        <div style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
    </div>
  );
}

function Usage({ subscription }: { subscription: Subscription | undefined }) {
  const usage = useIngestUsage();
  const members = useMembers();
  const rules = useAlertRules();
  const credits = useCredits();
  const limits = subscription?.entitlements;
  return (
    <div className="stack" data-testid="usage">
      <UsageBar id="events" label={`Events this month${usage.data ? ` (${usage.data.month})` : ''}`} used={usage.data?.events} limit={usage.data?.events_limit ?? limits?.events_per_month} />
      <UsageBar id="api_keys" label="Active API keys" used={usage.data?.api_keys} limit={usage.data?.api_keys_limit ?? limits?.api_keys} />
      <UsageBar id="members" label="Members" used={members.data?.length} limit={limits?.members} />
      <UsageBar id="alert_rules" label="Alert rules" used={rules.data?.length} limit={limits?.alert_rules} />
      <UsageBar
        id="credits"
        label="Hosted LLM credit used this month"
        used={credits.data ? credits.data.allowance_granted - credits.data.allowance_balance : undefined}
        limit={credits.data?.allowance_granted}
        format={(v) => formatCredits(v)}
      />
      {[usage, members, rules, credits].some((q) => q.error) && (
        <p className="small muted" data-testid="usage-partial">
          Some usage could not be read:{' '}
          {[usage, members, rules, credits]
            .filter((q) => q.error)
            .map((q, i) => (
              <span key={i}>
                <ErrorMessage error={q.error} />{' '}
              </span>
            ))}
        </p>
      )}
    </div>
  );
}

const KIND_TEXT: Record<string, string> = {
  grant_allowance: 'monthly allowance',
  expiry: 'allowance expired',
  grant_purchase: 'credits bought',
  debit_usage: 'hosted usage',
  reversal: 'refund reversal',
};

const signedCredits = (amount: number) => `${amount > 0 ? '+' : ''}${formatCredits(amount)}`;

function CreditsPanel({ credits, canManage }: { credits: Credits; canManage: boolean }) {
  const packs = useCreditPacks();
  const ledger = useLedger();
  const checkout = useCheckout();
  const columns: Column<LedgerTransaction>[] = [
    { id: 'time', header: 'When', cell: (t) => <span title={t.created_at}>{formatTime(t.created_at)}</span> },
    { id: 'kind', header: 'What', cell: (t) => KIND_TEXT[t.kind] ?? t.kind },
    { id: 'description', header: 'Detail', cell: (t) => t.description },
    { id: 'amount', header: 'Credits', numeric: true, cell: (t) => signedCredits(t.amount), cellProps: (t) => ({ 'data-amount': t.amount }) },
  ];
  return (
    <div className="stack">
      {!credits.hosted_llm_allowed && (
        <div className="callout warn" role="alert" data-testid="credits-exhausted">
          <strong>Hosted LLM credit is used up.</strong> Agents that use the platform's own provider keys stop until credits are bought or the
          next month's allowance arrives; agents with the workspace's own API key are not affected.
        </div>
      )}
      <dl className="small" data-testid="credit-balance">
        <dt>Balance</dt>
        <dd data-credits={credits.balance}>
          <strong>{formatCredits(credits.balance)}</strong> ({formatCount(credits.balance)} credits)
        </dd>
        <dt>This month's allowance ({credits.allowance_month})</dt>
        <dd>
          {formatCredits(credits.allowance_balance)} left of {formatCredits(credits.allowance_granted)}
        </dd>
        <dt>Bought</dt>
        <dd>{formatCredits(credits.purchased_balance)}</dd>
      </dl>
      {packs.data && packs.data.length > 0 && (
        <div className="row" data-testid="credit-packs">
          {packs.data.map((pack) =>
            canManage && pack.checkout_available ? (
              <button
                key={pack.id}
                type="button"
                data-pack={pack.id}
                onClick={() => checkout.mutate({ credit_pack: pack.id })}
                disabled={checkout.isPending}
              >
                Buy {pack.name} — {formatCents(pack.price_cents)}
              </button>
            ) : (
              <span key={pack.id} className="small muted" data-pack={pack.id}>
                {pack.name}: {formatCents(pack.price_cents)}
                {!pack.checkout_available ? ' (not sold here: no Stripe price configured)' : ''}
              </span>
            ),
          )}
        </div>
      )}
      {checkout.error && (
        <p className="error small" role="alert">
          <ErrorMessage error={checkout.error} />
        </p>
      )}
      <h3>Ledger</h3>
      {ledger.error ? (
        <p className="error small">
          <ErrorMessage error={ledger.error} />
        </p>
      ) : (
        <DataTable testId="ledger-table" columns={columns} rows={ledger.data?.transactions ?? []} rowKey={(t) => String(t.id)} caption="Credit ledger, newest first" />
      )}
    </div>
  );
}

function Invoices() {
  const invoices = useInvoices(true);
  const columns: Column<Invoice>[] = [
    { id: 'created', header: 'Date', cell: (i) => <span title={i.created ?? ''}>{formatTime(i.created)}</span> },
    { id: 'number', header: 'Invoice', cell: (i) => i.number ?? i.id },
    { id: 'status', header: 'Status', cell: (i) => i.status ?? '—' },
    {
      id: 'amount',
      header: 'Amount',
      numeric: true,
      cell: (i) => (i.amount_due === null ? '—' : `${formatCents(i.amount_due)}${i.currency && i.currency !== 'usd' ? ` ${i.currency.toUpperCase()}` : ''}`),
      cellProps: (i) => ({ 'data-cents': i.amount_due ?? '' }),
    },
    {
      id: 'link',
      header: '',
      cell: (i) =>
        i.hosted_invoice_url ? (
          <a href={i.hosted_invoice_url} target="_blank" rel="noopener noreferrer">
            View
          </a>
        ) : null,
    },
  ];
  return (
    <Panel id="billing-invoices" title="Invoices" loading={invoices.isPending} error={invoices.error} onRetry={() => invoices.refetch()} ready={!!invoices.data}>
      <DataTable
        testId="invoices-table"
        columns={columns}
        rows={invoices.data ?? []}
        rowKey={(i) => i.id}
        caption="Invoices, newest first"
        empty={<p className="muted">No invoices yet: they appear once the workspace subscribes.</p>}
      />
    </Panel>
  );
}

function BillingContactPanel() {
  const contact = useBillingContact(true);
  const save = useSetBillingContact();
  const [draft, setDraft] = useState<string | null>(null);
  const current = contact.data?.email ?? null;
  const value = draft ?? current ?? '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(value.trim(), { onSuccess: () => setDraft(null) });
  };
  return (
    <Panel id="billing-contact" title="Billing e-mail" loading={contact.isPending} error={contact.error} onRetry={() => contact.refetch()} ready={!!contact.data}>
      <form className="stack" onSubmit={submit} data-testid="billing-contact-form">
        <p className="small muted">
          Failed payments, the grace period, the move to Free and hosted credits running low are always in the notification list; they are also
          e-mailed here. {contact.data?.source === 'stripe' && 'This is the address the last Checkout collected; set your own to keep it.'}
          {!current && 'No address yet: notices are in-app only.'}
        </p>
        <div className="form-grid">
          <label>
            E-mail address
            <input type="email" value={value} onChange={(e) => setDraft(e.target.value)} placeholder="billing@example.com" maxLength={254} data-testid="billing-contact-email" />
          </label>
          <div>
            <button type="submit" className="primary" disabled={!value.trim() || value.trim() === current || save.isPending} data-action="save-contact">
              Save
            </button>{' '}
            {current && (
              <button type="button" onClick={() => save.mutate(null, { onSuccess: () => setDraft(null) })} disabled={save.isPending} data-action="remove-contact">
                Remove
              </button>
            )}
          </div>
        </div>
        {save.error && (
          <div className="callout warn" role="alert" data-testid="billing-contact-error">
            <ErrorMessage error={save.error} />
          </div>
        )}
      </form>
    </Panel>
  );
}

export default function Billing() {
  const subscription = useSubscription();
  const plans = usePlans();
  const credits = useCredits();
  const me = useMe();
  const checkout = useCheckout();
  const portal = usePortal();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const returned = params.get('checkout') ?? params.get('credits');
  const canManage = me.data?.role === 'owner' || me.data?.role === 'admin';
  const current = subscription.data?.plan;
  const live = subscribed(subscription.data);

  // back from Stripe: the webhook may land a moment after the browser does
  useEffect(() => {
    if (returned === 'success') void client.invalidateQueries({ queryKey: ['billing'] });
  }, [returned, client]);

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
    {
      id: 'action',
      header: '',
      cell: (p) => {
        if (p.contact_sales || !canManage || p.id === current || !p.checkout_available) return null;
        return live ? (
          <button type="button" onClick={() => portal.mutate('change_plan')} disabled={portal.isPending} data-action="change-plan">
            Switch to {p.name}
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => checkout.mutate({ plan: p.id })} disabled={checkout.isPending} data-action="checkout">
            {checkout.isPending && checkout.variables && 'plan' in checkout.variables && checkout.variables.plan === p.id ? 'Redirecting…' : `Upgrade to ${p.name}`}
          </button>
        );
      },
    },
  ];
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Billing</h1>
          <p>This workspace's plan, its usage against each limit, and its hosted LLM credit. Prices are per month, in US dollars.</p>
        </div>
        {canManage && live && (
          <button type="button" onClick={() => portal.mutate(null)} disabled={portal.isPending} data-action="portal">
            Manage billing
          </button>
        )}
      </div>
      {returned === 'success' && (
        <div className="callout ok" role="status" data-testid="checkout-returned">
          Payment done at Stripe. The plan and credits below change as soon as billing has Stripe's confirmation — reload if they have not yet.
        </div>
      )}
      {returned === 'canceled' && (
        <div className="callout" role="status" data-testid="checkout-returned">
          Checkout was cancelled; nothing changed.
        </div>
      )}
      {(checkout.error || portal.error) && (
        <div className="callout warn" role="alert" data-testid="billing-action-error">
          <ErrorMessage error={checkout.error ?? portal.error} />
        </div>
      )}
      {!canManage && me.data && <p className="small muted">Only the workspace's owners and admins change its plan or buy credits.</p>}
      <Panel id="billing-subscription" title="Current plan" loading={subscription.isPending} error={subscription.error} onRetry={() => subscription.refetch()} ready={!!subscription.data}>
        {subscription.data && <CurrentPlan subscription={subscription.data} plans={plans.data} />}
      </Panel>
      <Panel id="billing-usage" title="Usage" loading={subscription.isPending} error={subscription.error} onRetry={() => subscription.refetch()} ready={!!subscription.data}>
        <Usage subscription={subscription.data} />
      </Panel>
      <Panel id="billing-credits" title="Hosted LLM credit" loading={credits.isPending} error={credits.error} onRetry={() => credits.refetch()} ready={!!credits.data}>
        {credits.data && <CreditsPanel credits={credits.data} canManage={canManage} />}
      </Panel>
      {canManage && <Invoices />}
      {canManage && <BillingContactPanel />}
      <Panel id="billing-plans" title="Plans" loading={plans.isPending} error={plans.error} onRetry={() => plans.refetch()} ready={!!plans.data}>
        <DataTable testId="plans-table" columns={columns} rows={plans.data ?? []} rowKey={(p) => p.id} rowProps={(p) => ({ 'data-plan': p.id })} caption="Plans" />
        <p className="small muted" data-testid="checkout-note">
          Payments go through Stripe Checkout; plan changes, the payment method, invoices and cancelling are in Stripe's customer portal. On the
          local stack both are a clearly labelled local stand-in and no money moves. A hosted LLM credit is one micro-dollar of usage of the
          platform's own provider keys.
        </p>
      </Panel>
    </div>
  );
}

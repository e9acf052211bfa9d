#!/usr/bin/env node
/**
 * Browser test of the Beacon web app against a running system, in Debian's Chromium (playwright-core,
 * no browser download). Everything goes through the gateway at BEACON_URL.
 *
 *   BEACON_URL          gateway base URL, e.g. http://127.0.0.1:8080 (required)
 *   BEACON_E2E_EMAIL    address of a fresh user (default: e2e-<time>@beacon.test)
 *   BEACON_E2E_OUT      directory for screenshots and timings.json (default: ./e2e-out)
 *   CHROMIUM_PATH       browser binary (default: /usr/bin/chromium)
 *   BEACON_E2E_MODE     "full" (default) or "timing": only sign in and measure Overview loads
 *   BEACON_E2E_LOADS    how many Overview loads to time (default 5)
 *   BEACON_E2E_SKIP     comma-separated, for a system that lacks a part yet (default: nothing skipped):
 *                       "alerts" skips the alert and notification steps and ignores their 404s;
 *                       "metrics-stream" ignores 404s of GET /api/obs/metrics/stream (the app
 *                       then polls, and the live check still has to pass)
 *
 * Flow (full): sign in through the development mailbox link → create an API key in the UI → send
 * known events with it → Overview shows them live (exact cost) → Events → event → run timeline
 * (sorted by cost) → alert rule (in-app) with backtest preview and test notification → events that
 * cross it → the notification appears live (badge + list) → revoke the key → ingest refuses it.
 * Screenshots of every page; Overview time-to-interactive in timings.json. Any failed check or
 * console error exits non-zero with a message.
 */
import { chromium } from 'playwright-core';
import { mkdir, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

const BASE = (process.env.BEACON_URL || '').replace(/\/+$/, '');
if (!BASE) {
  console.error('e2e: set BEACON_URL to the gateway base URL, e.g. BEACON_URL=http://127.0.0.1:8080');
  process.exit(2);
}
const EMAIL = (process.env.BEACON_E2E_EMAIL || `e2e-${Date.now()}@beacon.test`).toLowerCase();
const OUT = path.resolve(process.env.BEACON_E2E_OUT || 'e2e-out');
const MODE = process.env.BEACON_E2E_MODE || 'full';
const LOADS = Number(process.env.BEACON_E2E_LOADS || 5);
const TIMEOUT = 20_000;
const SKIP = (process.env.BEACON_E2E_SKIP || '').split(',').map((s) => s.trim());
const SKIP_ALERTS = SKIP.includes('alerts');
// The magic-link submit page at /login/ott is Spring Security's default page, served by the gateway,
// not by this app: what the console says there (its stylesheet, /favicon.ico) is not the app's.
const IGNORED_ERRORS = [/\/favicon\.ico\b/, /\/login\/ott\b/];
if (SKIP_ALERTS) IGNORED_ERRORS.push(/\/api\/obs\/(notifications|alerts)\b/);
if (SKIP.includes('metrics-stream')) IGNORED_ERRORS.push(/\/api\/obs\/metrics\/stream\b/);

const consoleErrors = [];
// Every request the page makes to the gateway (not static assets), for the failure report: what was
// still waiting when a step timed out and what answered last.
const journal = new Map();
function watchRequests(page) {
  const started = (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/api/') && !url.pathname.startsWith('/actuator/')) return;
    journal.set(request, { at: Date.now(), step, what: `${request.method()} ${url.pathname}${url.search}`, status: null, ms: null });
  };
  const ended = (request, status) => {
    const entry = journal.get(request);
    if (!entry) return;
    entry.status = status;
    entry.ms = Date.now() - entry.at;
  };
  page.on('request', started);
  page.on('requestfinished', async (request) => ended(request, (await request.response())?.status() ?? 'no response'));
  page.on('requestfailed', (request) => ended(request, `failed: ${request.failure()?.errorText}`));
}
function journalReport() {
  const entries = [...journal.values()];
  const pending = entries.filter((e) => e.status === null);
  const lines = [];
  const at = (e) => new Date(e.at).toISOString().slice(11, 23);
  for (const e of pending) lines.push(`  still waiting after ${Date.now() - e.at} ms: ${e.what} (sent ${at(e)}, step "${e.step}")`);
  for (const e of entries.filter((x) => x.status !== null).slice(-25)) lines.push(`  ${at(e)} ${e.what} -> ${e.status} in ${e.ms} ms`);
  return lines.join('\n');
}
const timings = { base_url: BASE, email: EMAIL, mode: MODE, skipped: SKIP.filter(Boolean), started_at: new Date().toISOString() };
let step = 'start';

class CheckFailed extends Error {}
function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}
function log(message) {
  console.log(`e2e: ${message}`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

/** Polls fn until it returns a truthy value (no fixed sleeps); throws with `what` on timeout. */
async function until(what, fn, timeout = TIMEOUT, interval = 250) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new CheckFailed(`timed out after ${timeout} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

// ---------- exact money (same rule as the aggregator: round_half_even once per event) ----------
const PRICES = { 'openai/gpt-4o': { input: 2.5, cached: 1.25, output: 10 } }; // USD per million tokens
function costNano({ provider, model, input_tokens: input = 0, cached_input_tokens: cached = 0, output_tokens: output = 0 }) {
  const p = PRICES[`${provider}/${model}`];
  // prices ×100 are integers: 1000 × tokens × price = 10 × tokens × (price × 100), exact in BigInt
  const cents = (x) => BigInt(Math.round(x * 100));
  return 10n * (BigInt(input - cached) * cents(p.input) + BigInt(cached) * cents(p.cached) + BigInt(output) * cents(p.output));
}
function usdToNano(usd) {
  const [whole, fraction = ''] = usd.split('.');
  return BigInt(whole) * 1_000_000_000n + BigInt(`${fraction}000000000`.slice(0, 9));
}
function nanoToUsd(n) {
  const s = n.toString().padStart(10, '0');
  return `${s.slice(0, -9)}.${s.slice(-9)}`;
}

async function sendEvents(key, events) {
  const response = await fetch(`${BASE}/api/obs/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ batch: events }),
  });
  return { status: response.status, body: await response.text() };
}

function runEvents(agent, runId, at, llmCalls, extra = []) {
  const t = (ms) => new Date(at + ms).toISOString();
  const events = [{ event_id: randomUUID(), type: 'run_start', occurred_at: t(0), agent_id: agent, run_id: runId }];
  let offset = 10;
  for (const llm of llmCalls) {
    events.push({
      event_id: randomUUID(),
      type: 'llm_call',
      occurred_at: t(offset),
      agent_id: agent,
      run_id: runId,
      status: 'ok',
      duration_ms: 420,
      llm,
    });
    offset += 450;
  }
  for (const e of extra) {
    events.push({ event_id: randomUUID(), occurred_at: t(offset), agent_id: agent, run_id: runId, ...e });
    offset += (e.duration_ms ?? 0) + 20;
  }
  events.push({ event_id: randomUUID(), type: 'run_end', occurred_at: t(offset), agent_id: agent, run_id: runId, status: 'ok', duration_ms: offset });
  return events;
}

// ---------- steps ----------

async function signIn(page) {
  step = 'sign in';
  await page.goto(`${BASE}/sign-in`);
  await page.getByLabel('Email address').fill(EMAIL);
  await shot(page, '01-sign-in');
  const since = Date.now() - 1000;
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.getByTestId('link-sent').waitFor({ timeout: TIMEOUT });
  const mail = await until('the sign-in mail in the development mailbox', async () => {
    const response = await fetch(`${BASE}/dev/mailbox/messages`);
    check(response.ok, `GET /dev/mailbox/messages answered ${response.status} (is the gateway running with the local profile?)`);
    const mails = await response.json();
    return mails.find((m) => m.to === EMAIL && m.link?.includes('/login/ott') && new Date(m.sent_at ?? m.sentAt ?? 0).getTime() >= since - 60_000);
  });
  // the link's host is the configured public URL: follow its path on the gateway under test
  const link = new URL(mail.link);
  await page.goto(`${BASE}${link.pathname}${link.search}`);
  await page.locator('button[type=submit], input[type=submit]').first().click();
  await page.waitForURL(/\/overview/, { timeout: TIMEOUT });
  await page.getByTestId('dashboard').waitFor({ timeout: TIMEOUT });
  log(`signed in as ${EMAIL}`);
}

async function overviewTti(page, loads) {
  step = 'overview timing';
  const samples = [];
  for (let i = 0; i < loads; i++) {
    await page.goto(`${BASE}/overview`, { waitUntil: 'commit' });
    await page.locator('[data-testid=dashboard][data-ready=true]').waitFor({ timeout: TIMEOUT });
    const ms = await page.evaluate(() => window.__beaconOverviewReady);
    check(typeof ms === 'number', 'the Overview did not record its ready time');
    samples.push(Math.round(ms));
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { samples_ms: samples, median_ms: sorted[Math.floor(sorted.length / 2)], max_ms: sorted[sorted.length - 1] };
}

async function kpi(page, id) {
  const el = page.getByTestId(id);
  return { text: (await el.locator('.kpi-value').textContent())?.trim(), exact: await el.getAttribute('data-exact') };
}

async function full(page) {
  await signIn(page);

  step = 'empty overview';
  await page.locator('[data-testid=dashboard][data-ready=true]').waitFor({ timeout: TIMEOUT });
  check(await page.locator('[data-empty-state=true]').isVisible(), 'a new workspace should show the "send your first event" empty state');
  await shot(page, '02-overview-empty');

  step = 'create API key';
  await page.getByRole('link', { name: 'API keys' }).click();
  const keyName = `e2e key ${Date.now()}`;
  await page.getByLabel('Name').fill(keyName);
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = (await page.getByTestId('new-key-secret').textContent({ timeout: TIMEOUT }))?.trim();
  check(secret && /^bcn_[A-Za-z0-9]{38}$/.test(secret), `the page did not show a key secret (got "${secret}")`);
  check((await page.locator('[data-testid=new-key] pre').textContent()).includes(secret), 'the curl example does not contain the new key');
  await shot(page, '03-api-key-created');
  log('created an API key in the UI');

  step = 'send events, see them live on Overview';
  await page.getByRole('link', { name: 'Overview' }).click();
  await page.locator('[data-testid=dashboard][data-ready=true]').waitFor({ timeout: TIMEOUT });
  const runId = `e2e-run-${Date.now()}`;
  const llm1 = { provider: 'openai', model: 'gpt-4o', input_tokens: 1850, cached_input_tokens: 1024, output_tokens: 312 };
  const llm2 = { provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 500 };
  const events = runEvents('e2e-agent', runId, Date.now() - 5_000, [llm1, llm2], [
    { type: 'tool_call', status: 'error', duration_ms: 150, tool: { name: 'e2e.lookup' }, error: { type: 'timeout', message: 'e2e tool timed out' } },
  ]);
  const expectedCost = nanoToUsd(costNano(llm1) + costNano(llm2));
  const sentAt = Date.now();
  const sent = await sendEvents(secret, events);
  check(sent.status === 200, `ingest answered ${sent.status} ${sent.body}`);
  const ackedAt = Date.now();
  timings.ingest_ack_ms = ackedAt - sentAt;
  // where the live-update time goes: first summary refetch started / answered after the ack
  const onRequest = (request) => {
    if (request.url().includes('/api/obs/metrics/summary') && timings.live_refetch_started_ms === undefined) {
      timings.live_refetch_started_ms = Date.now() - ackedAt;
    }
  };
  const onResponse = (response) => {
    if (response.url().includes('/api/obs/metrics/summary') && timings.live_refetch_started_ms !== undefined && timings.live_summary_answered_ms === undefined) {
      timings.live_summary_answered_ms = Date.now() - ackedAt;
    }
  };
  page.on('request', onRequest);
  page.on('response', onResponse);
  await until(`Overview to show ${events.length} calls and $${expectedCost} without reload`, async () => {
    const calls = await kpi(page, 'kpi-today-calls');
    const cost = await kpi(page, 'kpi-today-cost');
    return calls.text === String(events.length) && cost.exact === expectedCost;
  }, 30_000);
  timings.live_update_ms = Date.now() - sentAt;
  page.off('request', onRequest);
  page.off('response', onResponse);
  const cost = await kpi(page, 'kpi-today-cost');
  check(cost.text === '$0.014', `cost shown as "${cost.text}", expected "$0.014" for $${expectedCost}`);
  const errorRate = await kpi(page, 'kpi-error-rate');
  check(errorRate.text === '20%', `error rate shown as "${errorRate.text}", expected "20%" (1 of 5)`);
  const tokens = await kpi(page, 'kpi-today-tokens');
  check(tokens.text === '3,662', `tokens shown as "${tokens.text}", expected "3,662"`);
  await page.locator('[data-testid=dashboard][data-ready=true]').waitFor();
  await page.locator('[data-testid=top-agent-cost] td[data-exact]').first().waitFor({ timeout: TIMEOUT });
  check((await page.locator('[data-testid=top-agent-cost] td[data-exact]').first().getAttribute('data-exact')) === expectedCost, 'top agents by cost does not show the exact cost');
  await shot(page, '04-overview');
  log(
    `Overview updated live in ${timings.live_update_ms} ms: ${events.length} calls, $${expectedCost}` +
      ` (ingest ack ${timings.ingest_ack_ms} ms; after it, first refetch ${timings.live_refetch_started_ms} ms, answered ${timings.live_summary_answered_ms} ms)`,
  );

  step = 'overview dark theme';
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, '04b-overview-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  step = 'overview on a phone';
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('button', { name: /Menu/ }).click();
  await page.locator('#sidebar.open').waitFor();
  await shot(page, '04c-overview-phone-menu');
  await page.getByRole('button', { name: /Menu/ }).click();
  await page.setViewportSize({ width: 1366, height: 900 });

  step = 'events explorer';
  await page.getByRole('link', { name: 'Events', exact: true }).click();
  for (const e of events) {
    await page.locator(`tr[data-event-id="${e.event_id}"]`).waitFor({ timeout: TIMEOUT });
  }
  await shot(page, '05-events');
  await page.getByLabel('Status').selectOption('error');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/status=error/);
  await until('the error filter to leave only the failed tool call', async () => (await page.locator('tr[data-event-id]').count()) === 1);
  await shot(page, '05b-events-filtered');
  await page.goto(`${BASE}/events/${events[1].event_id}`);
  const json = await page.getByTestId('event-json').textContent({ timeout: TIMEOUT });
  check(json.includes(events[1].event_id) && json.includes('"cost_usd": "0.006465000"'), 'event detail JSON lacks the id or the exact cost');
  await shot(page, '06-event-detail');

  step = 'run timeline';
  await page.getByTestId('open-run').click();
  await page.waitForURL(/\/runs\//);
  await until('the run timeline to show every step', async () => (await page.locator('[data-testid=run-timeline] tbody tr').count()) === events.length);
  check((await page.getByTestId('run-cost').getAttribute('data-exact')) === expectedCost, 'run cost is not exact');
  await shot(page, '07-run-timeline');
  const costHeader = page.getByTestId('run-timeline').getByRole('button', { name: 'Cost', exact: true });
  await costHeader.click();
  await costHeader.click();
  await page.locator('[data-testid=run-timeline] th[aria-sort=descending]').waitFor({ timeout: TIMEOUT });
  const stepCosts = await page.locator('[data-testid=run-timeline] tbody td[data-exact]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-exact')));
  check(
    stepCosts.every((c, i) => i === 0 || usdToNano(stepCosts[i - 1]) >= usdToNano(c)),
    `the timeline sorted by cost (twice clicked: descending) is not largest first: ${stepCosts.join(', ')}`,
  );
  await page.getByRole('link', { name: 'Runs', exact: true }).first().click();
  await page.locator(`tr[data-run-id="${runId}"]`).waitFor({ timeout: TIMEOUT });
  await shot(page, '08-runs');

  step = 'agent and tools';
  await page.goto(`${BASE}/agents/e2e-agent`);
  await page.locator('[data-testid=dashboard][data-ready=true]').waitFor({ timeout: TIMEOUT });
  check((await page.getByTestId('kpi-today-cost').getAttribute('data-exact')) === expectedCost, 'agent page cost is not exact');
  await shot(page, '09-agent');
  await page.getByRole('link', { name: 'Tools', exact: true }).click();
  await page.getByTestId('tools-table').getByText('e2e.lookup').waitFor({ timeout: TIMEOUT });
  await shot(page, '10-tools');

  if (!SKIP_ALERTS) await alerts(page, events, llm2, runId, secret);
  else log('SKIPPED the alert and notification steps (BEACON_E2E_SKIP=alerts)');

  await rest(page, keyName, secret, runId);
}

async function alerts(page, events, llm2, runId, secret) {
  step = 'alert rule';
  await page.goto(`${BASE}/alerts/new`);
  const ruleName = `e2e calls ${Date.now()}`;
  await page.getByLabel('Name').fill(ruleName);
  await page.getByLabel('Metric').selectOption('calls');
  await page.getByLabel('Window').selectOption('1h');
  await page.getByLabel('Comparator').selectOption('gt');
  await page.getByLabel('Warning threshold').fill(String(events.length));
  await page.getByRole('button', { name: 'Preview on past data' }).click();
  await page.locator('[data-panel=preview][data-ready=true]').waitFor({ timeout: TIMEOUT });
  await shot(page, '11-alert-editor-preview');
  await page.getByRole('button', { name: 'Create rule' }).click();
  await page.waitForURL(/\/alerts\/[0-9a-f-]{36}$/, { timeout: TIMEOUT });
  await page.getByTestId('test-rule').click();
  await page.getByTestId('test-results').getByText('delivered').first().waitFor({ timeout: TIMEOUT });
  await shot(page, '12-alert-rule-tested');

  step = 'live notification';
  await page.getByRole('link', { name: 'Notifications', exact: true }).click();
  await page.locator('[data-panel=notifications][data-ready=true]').waitFor({ timeout: TIMEOUT });
  const alertCount = async () =>
    page.locator('[data-testid=notification-list] li').filter({ has: page.locator('.badge.warning, .badge.critical') }).count();
  const unread = async () => Number((await page.getByTestId('unread-badge').textContent({ timeout: 1000 }).catch(() => '0')) || 0);
  const before = { alerts: await alertCount(), unread: await unread() };
  const more = runEvents('e2e-agent', `${runId}-2`, Date.now() - 2_000, [llm2]);
  const sent2 = await sendEvents(secret, more);
  check(sent2.status === 200, `ingest answered ${sent2.status} ${sent2.body}`);
  const crossedAt = Date.now();
  await until('the alert notification to appear live (list and unread badge)', async () => (await alertCount()) > before.alerts && (await unread()) > before.unread, 90_000);
  timings.notification_ms = Date.now() - crossedAt;
  await shot(page, '13-notifications');
  log(`notification appeared live ${timings.notification_ms} ms after the crossing events`);
  await page.getByRole('link', { name: 'Alerts', exact: true }).click();
  await page.locator('[data-panel=alert-history][data-ready=true]').waitFor({ timeout: TIMEOUT });
  await shot(page, '14-alerts');

}

/**
 * The agent platform with the local stack's demo provider: create the demo agent, ask it to send
 * an email, approve the action it proposes, read its answer, then see the turn as a run with its
 * LLM and tool calls and an exact non-zero cost, linked back to the conversation.
 */
async function chat(page) {
  step = 'chat with the demo agent';
  await page.getByRole('link', { name: 'Chat', exact: true }).click();
  await page.getByRole('heading', { name: 'Chat' }).waitFor();
  await page.getByRole('button', { name: 'Create the demo agent' }).click();
  await page.getByRole('button', { name: 'New conversation' }).click();
  await page.waitForURL(/\/chat\/[0-9a-f-]{36}/, { timeout: TIMEOUT });
  await page.getByRole('textbox', { name: 'Message' }).fill('Please send an email to the team about the launch');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const approve = page.getByRole('button', { name: /^Approve / });
  await approve.waitFor({ timeout: TIMEOUT });
  await shot(page, '16-chat-approval-pending');

  step = 'approve the demo action';
  await approve.click();
  await page.getByText('The email was sent (demo: nothing left this machine).').waitFor({ timeout: TIMEOUT });
  await page.locator('[data-testid=tool-status]').filter({ hasText: 'ok' }).first().waitFor({ timeout: TIMEOUT });
  await shot(page, '16-chat-answered');

  step = 'the turn as a run';
  await page.getByRole('link', { name: /^Run [0-9a-f]{8}$/ }).first().click();
  await page.waitForURL(/\/runs\//, { timeout: TIMEOUT });
  // the aggregator may not have the run's last events yet: reload until it shows them
  const cost = await until('the run to show its conversation and exact cost', async () => {
    const exact = await page.getByTestId('run-cost').getAttribute('data-exact', { timeout: 1000 }).catch(() => null);
    const linked = await page.getByTestId('run-conversation').count();
    if (exact && Number(exact) > 0 && linked > 0) return exact;
    await page.reload();
    return null;
  }, 60_000, 1000);
  // the demo's model calls at its labelled price ($1 / $2 per million tokens); the first non-zero
  // cost may be before the continuation's call arrives
  log(`the demo turn's run costs $${cost}`);
  await shot(page, '16-chat-run');

  step = "the demo agent's approvals";
  await page.locator('a[href^="/agents/"]').first().click();
  await page.waitForURL(/\/agents\//, { timeout: TIMEOUT });
  // the action's events pair in the aggregator: reload until the panel shows the approved email
  const rate = await until("the agent page to show the email's approval", async () => {
    const row = page.getByTestId('approval-metrics-table').locator('tbody tr', { hasText: 'demo_send_email' });
    if ((await row.count()) > 0) {
      const exact = await row.first().locator('td[data-exact]').first().getAttribute('data-exact');
      if (exact !== null && exact !== '') return exact;
    }
    await page.reload();
    return null;
  }, 60_000, 1000);
  check(Number(rate) === 1, `the approval rate of the approved email is ${rate}, not 1`);
  log(`the demo agent's approvals: demo_send_email approved, rate ${rate}`);
  await shot(page, '16-chat-agent-approvals');
}

/** Upgrade and buy credits through the local Stripe stand-in, and see the limits change. */
async function billing(page) {
  step = 'billing: the Free plan and its usage';
  await page.getByRole('link', { name: 'Billing' }).click();
  await page.getByTestId('effective-plan').filter({ hasText: 'Free' }).waitFor({ timeout: TIMEOUT });
  await page.locator('[data-usage="events"]').filter({ hasText: /of 100,000/ }).waitFor({ timeout: TIMEOUT });
  await shot(page, '18-billing-free');

  step = 'billing: upgrade through the Stripe stand-in';
  await page.getByRole('button', { name: 'Upgrade to Pro' }).click();
  await page.waitForURL(/\/checkout\/cs_test_/, { timeout: TIMEOUT });
  await page.getByText('Local Stripe stand-in').waitFor({ timeout: TIMEOUT });
  await shot(page, '18-billing-stand-in-checkout');
  await page.getByRole('button', { name: 'Pay (test)' }).click();
  await page.waitForURL(/\/billing\?checkout=success/, { timeout: TIMEOUT });
  await until('the workspace to be on Pro', async () => {
    if ((await page.getByTestId('effective-plan').textContent({ timeout: 2000 }).catch(() => ''))?.includes('Pro')) return true;
    await page.reload();
    return null;
  }, 30_000, 1000);
  await page.locator('[data-usage="events"]').filter({ hasText: /of 1,000,000/ }).waitFor({ timeout: TIMEOUT });
  await page.getByTestId('invoices-table').getByText(/^LOCAL-\d{4}$/).first().waitFor({ timeout: TIMEOUT });
  await shot(page, '18-billing-pro');

  step = 'billing: buy credits';
  const before = Number(await page.getByTestId('credit-balance').locator('[data-credits]').getAttribute('data-credits'));
  await page.getByRole('button', { name: /^Buy \$10 of hosted usage/ }).click();
  await page.waitForURL(/\/checkout\/cs_test_/, { timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Pay (test)' }).click();
  await page.waitForURL(/\/billing\?credits=success/, { timeout: TIMEOUT });
  const after = await until('the bought credits in the balance', async () => {
    const value = Number(await page.getByTestId('credit-balance').locator('[data-credits]').getAttribute('data-credits', { timeout: 2000 }).catch(() => 'NaN'));
    if (value === before + 10_000_000) return value;
    await page.reload();
    return null;
  }, 30_000, 1000);
  await page.getByTestId('ledger-table').getByText('credits bought').waitFor({ timeout: TIMEOUT });
  log(`billing: upgraded to Pro; credits ${before} -> ${after}`);
  await shot(page, '18-billing-credits');
}

/** Connect GitHub through the local GitHub stand-in and see the tools it brings. */
async function integrations(page) {
  step = 'integrations: connect GitHub through its stand-in';
  await page.getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('button', { name: 'Connect GitHub' }).click();
  await page.waitForURL(/\/login\/oauth\/authorize/, { timeout: TIMEOUT });
  await page.getByText('Local GitHub stand-in').waitFor({ timeout: TIMEOUT });
  await shot(page, '19-integrations-stand-in-consent');
  await page.getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL(/\/integrations\?connected=github/, { timeout: TIMEOUT });
  await page.getByText('demo-octocat').first().waitFor({ timeout: TIMEOUT });
  await page.getByText('github.create_issue').first().waitFor({ timeout: TIMEOUT });
  log('integrations: GitHub connected (stand-in), its tools listed');
  await shot(page, '19-integrations-github');
}

async function rest(page, keyName, secret, runId) {
  step = 'members and upcoming pages';
  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByTestId('members-table').getByText(EMAIL).waitFor({ timeout: TIMEOUT });
  await shot(page, '15-members');
  await chat(page);
  await billing(page);
  await integrations(page);

  step = 'revoke key';
  await page.getByRole('link', { name: 'API keys' }).click();
  const row = page.locator(`tr[data-key-name="${keyName}"]`);
  await row.getByRole('button', { name: /^Revoke key/ }).click();
  await row.getByRole('button', { name: /^Confirm revoking/ }).click();
  await row.getByText('revoked').waitFor({ timeout: TIMEOUT });
  await shot(page, '17-api-key-revoked');
  const refused = await until('ingest to refuse the revoked key', async () => {
    const r = await sendEvents(secret, runEvents('e2e-agent', `${runId}-3`, Date.now(), []));
    return r.status === 401 || r.status === 403 ? r : null;
  }, 15_000);
  log(`ingest refuses the revoked key: ${refused.status} ${refused.body}`);

  timings.overview_tti = await overviewTti(page, LOADS);
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  let failure = null;
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    watchRequests(page);
    page.on('console', (message) => {
      const where = message.location().url ?? '';
      if (IGNORED_ERRORS.some((pattern) => pattern.test(where))) return;
      if (message.type() === 'error') consoleErrors.push(`[${step}] ${message.text()} (${message.location().url ?? ''})`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`[${step}] uncaught: ${error.message}`));
    if (MODE === 'timing') {
      await signIn(page);
      timings.overview_tti = await overviewTti(page, LOADS);
      await shot(page, 'overview-timing');
    } else {
      await full(page);
    }
  } catch (e) {
    failure = e;
    try {
      const pages = browser.contexts().flatMap((c) => c.pages());
      if (pages[0]) await shot(pages[0], `FAILED-${step.replace(/\W+/g, '-')}`);
    } catch {
      // best effort
    }
  } finally {
    timings.finished_at = new Date().toISOString();
    timings.console_errors = consoleErrors;
    timings.requests = [...journal.values()].map((e) => ({ ...e, at: new Date(e.at).toISOString() }));
    await writeFile(path.join(OUT, 'timings.json'), JSON.stringify(timings, null, 2));
    await browser.close();
  }
  if (failure) {
    console.error(`e2e: FAILED at step "${step}": ${failure.message}`);
    console.error(`e2e: requests to the gateway (pending first, then the last 25 answered):\n${journalReport()}`);
    if (consoleErrors.length) console.error(`e2e: console errors:\n  ${consoleErrors.join('\n  ')}`);
    process.exit(1);
  }
  if (consoleErrors.length) {
    console.error(`e2e: FAILED: ${consoleErrors.length} console error(s):\n  ${consoleErrors.join('\n  ')}`);
    process.exit(1);
  }
  log(`Overview time to interactive: median ${timings.overview_tti.median_ms} ms over ${timings.overview_tti.samples_ms.length} loads`);
  log(`passed; screenshots and timings.json in ${OUT}`);
}

main();

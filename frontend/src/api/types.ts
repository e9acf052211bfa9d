/** Wire types of the gateway and the services behind it (snake_case, as sent). */

export type Role = 'owner' | 'admin' | 'member' | 'viewer';

export interface Me {
  user: { id: string; email: string };
  workspace: { id: string; name: string } | null;
  role: Role | null;
  workspaces: Array<{ id: string; name: string; role: Role }>;
}

export interface Member {
  id: string;
  email: string;
  role: Role;
}

export interface MetricValues {
  calls: number;
  errors: number;
  error_rate: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  reasoning_tokens: number;
  cost_nano_usd: number;
  cost_usd: string;
  unpriced_calls: number;
  avg_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
}

export interface Summary {
  today: string;
  today_totals: MetricValues;
  yesterday: MetricValues;
  month_to_date: MetricValues;
  trailing7_day_average_cost_nano_usd: number;
  trailing7_day_average_cost_usd: string;
  projected_month_end_cost_nano_usd: number;
  projected_month_end_cost_usd: string;
}

export interface DailyRow {
  day: string;
  group: string | null;
  metrics: MetricValues;
}

export interface Daily {
  from: string;
  to: string;
  group_by: string | null;
  rows: DailyRow[];
}

export interface Timeseries {
  from: string;
  to: string;
  step: '1m' | '1h' | '1d';
  metric: string;
  group_by: string | null;
  series: Array<{ group: string | null; points: Array<{ time: string; value: number | null }> }>;
}

export interface ObsEvent {
  event_id: string;
  type: string;
  occurred_at: string;
  agent_id: string | null;
  subject: string | null;
  run_id: string | null;
  trace_id: string | null;
  span_id: string | null;
  parent_span_id: string | null;
  status: string | null;
  error_type: string | null;
  error_message: string | null;
  duration_ms: number | null;
  provider: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  reasoning_tokens: number | null;
  usage_flags: string[] | null;
  reported_cost_nano_usd: number | null;
  cost_nano_usd: number;
  cost_usd: string;
  pricing_status: string | null;
  pricing_id: number | null;
  tool_name: string | null;
  tool_integration: string | null;
  action_kind: string | null;
  action_state: string | null;
  service_name: string | null;
  service_operation: string | null;
  metadata: Record<string, unknown> | null;
  tags: string[] | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Run {
  run_id: string;
  agent_id: string | null;
  status: 'running' | 'ok' | 'error';
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  first_event_at: string;
  last_event_at: string;
  events: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_nano_usd: number;
  cost_usd: string;
}

export interface RunDetail {
  run: Run;
  events: ObsEvent[];
}

export interface ToolScore {
  type: 'tool_call' | 'service_call';
  name: string;
  calls: number;
  errors: number;
  error_rate: number;
  p50_ms: number | null;
  p95_ms: number | null;
  agents_affected: number;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  rate_limit_per_second?: number;
  created_at: string;
  expires_at?: string;
  last_used_at?: string;
  revoked_at?: string;
  revoked: boolean;
  secret?: string;
}

export type AlertMetric =
  | 'cost_usd'
  | 'tokens'
  | 'calls'
  | 'errors'
  | 'error_rate'
  | 'latency_p95_ms'
  | 'no_events'
  | 'projected_month_cost_usd';

export type AlertChannel =
  | { type: 'slack'; webhook_url: string; status?: 'ok' | 'broken' | 'disabled'; last_error?: string | null }
  | { type: 'in_app'; status?: 'ok' | 'broken' | 'disabled'; last_error?: string | null }
  | { type: 'email'; to: string; status?: 'ok' | 'broken' | 'disabled'; last_error?: string | null };

export interface AlertRuleDraft {
  name: string;
  metric: AlertMetric;
  /** `service` (implies service_call): an outside service, the first part of a service call's `service/operation` */
  filters: { agent: string | null; provider: string | null; model: string | null; tool: string | null; type: string | null; service?: string | null };
  group_by: null | 'agent' | 'model' | 'provider' | 'tool' | 'service';
  window: '5m' | '15m' | '1h' | '24h' | 'day' | 'month';
  comparator: 'gt' | 'gte' | 'lt' | 'lte';
  warning_threshold: string | null;
  critical_threshold: string | null;
  min_sample: number;
  no_data: 'ignore' | 'ok' | 'alert';
  channels: AlertChannel[];
  renotify_minutes: number;
  cooldown_minutes: number;
  enabled: boolean;
  snoozed_until: string | null;
}

export interface AlertState {
  group: string;
  state: 'ok' | 'warning' | 'critical' | 'no_data' | 'snoozed';
  value: string | null;
  since: string | null;
}

export interface AlertRule extends AlertRuleDraft {
  id: string;
  states: AlertState[];
  created_at: string;
  updated_at: string;
}

export interface PreviewResult {
  from: string;
  to: string;
  firings: Array<{ at: string; group: string; state: 'warning' | 'critical' | 'resolved'; value: string; threshold: string }>;
}

export interface TestResult {
  results: Array<{ channel: string; status: 'delivered' | 'failed'; status_code: number | null; error: string | null; latency_ms: number | null }>;
}

export interface AlertEvent {
  id: string;
  rule_id: string;
  rule_name: string;
  group: string;
  from_state: string;
  to_state: string;
  value: string | null;
  threshold: string | null;
  window: string;
  occurred_at: string;
  deliveries: Array<{ channel: string; attempt: number; status: string; status_code: number | null; latency_ms: number | null; error: string | null; at: string }>;
}

export interface Notification {
  id: string;
  rule_id: string | null;
  severity: 'warning' | 'critical' | 'resolved' | 'test';
  title: string;
  body: string;
  link: string | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationList {
  notifications: Notification[];
  unread: number;
}

/** Per action kind (tool name): how its approvals went in a time range. */
export interface ApprovalGroup {
  agent_id: string;
  kind: string;
  proposed: number;
  approved: number;
  rejected: number;
  expired: number;
  executed: number;
  failed: number;
  pending: number;
  /** Decimal string 0..1; null when nothing was decided. */
  approval_rate: string | null;
  time_to_approve_ms: { p50: number | null; p95: number | null };
}

export interface ApprovalMetrics {
  from: string;
  to: string;
  groups: ApprovalGroup[];
}

/** Wire fixtures of chat-service and a fetch stub that records requests and answers per route. */
import { vi } from 'vitest';
import type { Approval, ChatAgent, Conversation, Message } from '../src/api/chat';

export type Call = { url: string; method: string; body: unknown; headers: Record<string, string> };

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** An event-stream answer the test writes to event by event; `close` ends it. */
export function sseStream() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    send(event: string, data: unknown) {
      controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
    },
    raw(text: string) {
      controller.enqueue(encoder.encode(text));
    },
    close() {
      controller.close();
    },
  };
}

/** A whole event stream at once. */
export function sseResponse(events: Array<[string, unknown]>) {
  const s = sseStream();
  for (const [event, data] of events) s.send(event, data);
  s.close();
  return s.response;
}

export const AGENT_ID = '0b9f3c1e-5d1a-4a53-9a0e-2f6b8a1c7d42';
export const CONV_ID = 'c0ffee00-0000-4000-8000-000000000001';
export const RUN_ID = 'a1b2c3d4-0000-4000-8000-0000000000r1';

export function agent(over: Partial<ChatAgent> = {}): ChatAgent {
  return {
    id: AGENT_ID, name: 'Support bot', description: '', system_prompt: '', provider: 'openai', model: 'gpt-4o-mini', temperature: null,
    max_tokens: null, tools: [], archived: false, archived_at: null, created_by: 'u', created_at: '2026-12-07T17:00:00Z', updated_at: '2026-12-07T17:00:00Z',
    ...over,
  };
}

export function conversation(over: Partial<Conversation> = {}): Conversation {
  return {
    id: CONV_ID, agent_id: AGENT_ID, agent_name: 'Support bot', title: 'Where is order 42?', state: 'idle', last_run_id: RUN_ID,
    created_by: 'u', created_at: '2026-12-07T18:00:00Z', updated_at: '2026-12-07T18:01:00Z',
    ...over,
  };
}

export function message(over: Partial<Message> & Pick<Message, 'id' | 'seq' | 'role'>): Message {
  return {
    content: '', run_id: RUN_ID, tool_calls: [], tool_call_id: null, tool_name: null, status: null, created_at: '2026-12-07T18:00:00Z',
    ...over,
  };
}

export function approval(over: Partial<Approval> = {}): Approval {
  return {
    id: 'ap-1', conversation_id: CONV_ID, agent_id: AGENT_ID, agent_name: 'Support bot', run_id: RUN_ID, tool_call_id: 'call_2',
    tool: 'demo_send_email', arguments: { to: 'ann@example.com', subject: 'Your order', body: 'It ships today.' }, state: 'pending',
    requested_at: '2026-12-07T18:00:05Z', expires_at: '2026-12-07T18:15:05Z', decided_by: null, decided_at: null, reason: null, result: null,
    ...over,
  };
}

export function me(role: string) {
  return { user: { id: 'u', email: 'a@b.c' }, workspace: { id: 'w', name: 'W' }, role, workspaces: [] };
}

/**
 * Stubs fetch: `route` answers a request (or undefined for "not mine", which fails the test's
 * request loudly); every request is recorded with its parsed JSON body and headers.
 */
export function stubFetch(route: (method: string, url: string, body: unknown) => Response | Promise<Response> | undefined) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ url, method, body, headers: (init?.headers ?? {}) as Record<string, string> });
      const answer = await route(method, url, body);
      if (!answer) throw new Error(`unexpected fetch ${method} ${url}`);
      return answer;
    }),
  );
  return calls;
}

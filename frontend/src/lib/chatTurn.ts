/**
 * What a turn's stream has shown so far, folded from its events, and how that merges with the
 * stored conversation: the stream's messages are the stored ones (same ids), so once the
 * conversation is read again they are simply found there.
 */
import type { Approval, ConversationState, Message, TurnEvent } from '../api/chat';

export interface TurnError {
  run_id: string | null;
  code: string;
  message: string;
}

export interface LiveTurn {
  runId: string | null;
  messages: Message[];
  /** Assistant text still arriving (`delta`), until its `message` comes. */
  draft: string;
  /** Tool calls executing, by call id. */
  running: Record<string, { name: string; arguments: unknown }>;
  approvals: Approval[];
  errors: TurnError[];
  /** The `done` state, once it came. */
  done: ConversationState | null;
}

export const emptyTurn = (): LiveTurn => ({ runId: null, messages: [], draft: '', running: {}, approvals: [], errors: [], done: null });

const upsert = <T extends { id: string }>(list: T[], item: T) => [...list.filter((x) => x.id !== item.id), item];

export function applyTurnEvent(turn: LiveTurn, e: TurnEvent): LiveTurn {
  switch (e.type) {
    case 'run':
      return { ...turn, runId: e.run_id, messages: e.message ? upsert(turn.messages, e.message) : turn.messages };
    case 'delta':
      return { ...turn, draft: turn.draft + e.text };
    case 'message':
      return { ...turn, draft: '', messages: upsert(turn.messages, e.message) };
    case 'tool_call':
      return { ...turn, running: { ...turn.running, [e.id]: { name: e.name, arguments: e.arguments } } };
    case 'tool_result': {
      const running = { ...turn.running };
      delete running[e.id];
      return { ...turn, running, messages: e.message ? upsert(turn.messages, e.message) : turn.messages };
    }
    case 'approval':
      return { ...turn, approvals: upsert(turn.approvals, e.approval) };
    case 'error':
      return { ...turn, draft: '', errors: [...turn.errors, { run_id: turn.runId, code: e.code, message: e.message }] };
    case 'done':
      return { ...turn, draft: '', running: {}, done: e.state };
  }
}

/** Stored messages first, the stream's newer ones added, in conversation order. */
export function mergeMessages(stored: Message[], live: Message[]): Message[] {
  const ids = new Set(stored.map((m) => m.id));
  return [...stored, ...live.filter((m) => !ids.has(m.id))].sort((a, b) => a.seq - b.seq);
}

/** The stored approvals are the newer word once read again; the stream's fill in until then. */
export function mergeApprovals(stored: Approval[], live: Approval[]): Approval[] {
  const ids = new Set(stored.map((a) => a.id));
  return [...stored, ...live.filter((a) => !ids.has(a.id))];
}

/** A stream's error not (yet) stored on an assistant message of its run. */
export function unstoredErrors(errors: TurnError[], messages: Message[]): TurnError[] {
  return errors.filter((e) => !messages.some((m) => m.error?.code === e.code && (e.run_id === null || m.run_id === e.run_id)));
}

/** Consecutive messages of one run: a turn, linked to its run in the obs pages. */
export function groupByRun(messages: Message[]): Array<{ runId: string | null; messages: Message[] }> {
  const groups: Array<{ runId: string | null; messages: Message[] }> = [];
  for (const m of messages) {
    const last = groups[groups.length - 1];
    if (last && last.runId === m.run_id) last.messages.push(m);
    else groups.push({ runId: m.run_id, messages: [m] });
  }
  return groups;
}

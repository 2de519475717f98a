// The call flow of one platform scenario as a conversation (support/schemas/conversation.ts), built
// from what the harness saw in either mode: its REST exchanges, the webhooks its receiver got with
// the answers it served, and the harness's own waits; in mock mode also the virtual time of each
// webhook and what each participant heard. The same renderer as app gating draws it, with the
// receiver in the place of the app. Everything passes through redact() before it is kept.
import type { CallbackRecord } from '../callbacks/receiver';
import { WaitTimeoutError } from '../callbacks/wait';
import type { Exchange } from '../client/exchange';
import type { CallerEvent, Conversation, ConversationEntry, HarnessNote, RestExchange, WebhookExchange } from '../schemas/conversation';
import { PERCL_EXPECTED, type RequestType } from '../schemas/webhooks';
import type { Delivery } from '../simulator';
import type { CallState } from '../simulator/state';

export interface ScenarioFlowInput {
  scenario: string;
  variant: string;
  mode: 'mock' | 'live';
  /** Display lines of the clauses the scenario checks. */
  clauses: string[];
  exchanges: readonly Exchange[];
  records: readonly CallbackRecord[];
  participants: readonly { name: string; callId: string }[];
  /** What the harness did beside the exchanges: quiet periods, key presses, dialled calls. */
  harnessEntries: readonly (HarnessNote | CallerEvent)[];
  /** Mock mode: the simulator's deliveries (virtual time) and calls (what they heard). */
  simulator?: { deliveries: readonly Delivery[]; call(callId: string): CallState | undefined };
  error?: Error;
  redact: (text: string) => string;
}

/** Callback seqs an error is about (set by assertions and the receiver's problem check). */
export interface WithCulprits {
  culprits?: number[];
}

export function scenarioFlow(input: ScenarioFlowInput): Conversation {
  const nameOf = new Map(input.participants.map((p) => [p.callId, p.name]));
  const virtualTimes = input.simulator ? matchDeliveries(input.records, input.simulator.deliveries) : new Map<number, number>();
  const entries: ConversationEntry[] = [
    ...input.exchanges.map((e) => restEntry(e, input.redact)),
    ...input.records.map((r) => webhookEntry(r, virtualTimes.get(r.seq), nameOf, input.redact)),
    ...input.harnessEntries,
    ...(input.simulator ? heard(input.participants, input.simulator) : []),
  ];
  const waitStart = input.error instanceof WaitTimeoutError ? input.error.since : undefined;
  if (waitStart !== undefined && input.error instanceof WaitTimeoutError) {
    const until = input.error.idle ? 'until the simulator is idle' : `up to ${input.error.timeoutMs} ms`;
    entries.push({ kind: 'note', text: `waits ${until} for ${input.error.description}`, at: waitStart - 0.001 });
  }
  // The simulator's clock starts at an arbitrary epoch: the diagram counts from the scenario's first event.
  const origin = Math.min(...entries.flatMap((e) => ('virtualTime' in e && e.virtualTime !== undefined ? [e.virtualTime] : [])));
  const sorted = fold(stableSort(entries)).map((e) => ('virtualTime' in e && e.virtualTime !== undefined ? { ...e, virtualTime: e.virtualTime - origin } : e));
  const failure = input.error ? { message: input.redact(withoutLog(input.error.message)), entries: marked(sorted, input.error, waitStart) } : undefined;
  return {
    scenario: input.scenario,
    variant: `${input.mode} mode, ${input.variant}`,
    lifelines: { platform: input.mode === 'mock' ? 'FreeClimb (simulator)' : 'FreeClimb', answerer: 'harness' },
    clauses: input.clauses,
    callers: input.participants.map((p) => ({ name: p.name, callId: p.callId, from: '' })),
    entries: sorted,
    ...(failure ? { failure } : {}),
  };
}

/** Failure texts end with the callback log for the console; in the diagram its rows are that log. */
function withoutLog(message: string): string {
  const cut = message.search(/\n\s*(callbacks received:|arrived \(\d+\):)/);
  return cut < 0 ? message : `${message.slice(0, cut)}\n(the callbacks that arrived are the rows of this diagram)`;
}

function restEntry(e: Exchange, redact: (text: string) => string): RestExchange {
  const body = e.responseBody as { message?: unknown; details?: { reason?: unknown } } | undefined;
  const reason = typeof body?.details?.reason === 'string' ? body.details.reason : typeof body?.message === 'string' ? body.message : undefined;
  const error = e.error ?? (e.status !== undefined && e.status >= 400 ? reason : undefined);
  return {
    kind: 'rest',
    seq: e.seq,
    method: e.method,
    path: redact(e.url),
    status: e.status ?? 0,
    requestBody: e.requestBody === undefined ? '' : redact(typeof e.requestBody === 'string' ? e.requestBody : JSON.stringify(e.requestBody)),
    ...(error ? { error: redact(error) } : {}),
    at: Date.parse(e.startedAt),
  };
}

function webhookEntry(r: CallbackRecord, virtualTime: number | undefined, nameOf: Map<string, string>, redact: (text: string) => string): WebhookExchange {
  const body = (typeof r.body === 'object' && r.body !== null && !Array.isArray(r.body) ? r.body : {}) as Record<string, unknown>;
  const callId = typeof body.callId === 'string' ? body.callId : null;
  const percl = r.answer?.percl;
  const status = r.answer?.status;
  const answerSummary = Array.isArray(percl) ? `[${percl.map(commandName).join(', ')}]` : status !== undefined ? String(status) : 'no answer';
  const webhookProblems = [
    ...(r.signature.ok ? [] : [`signature ${r.signature.reason ?? 'rejected'}`]),
    ...(r.validation.ok ? [] : [`payload off the schema: ${r.validation.issues[0] ?? r.validation.message ?? ''}`]),
  ];
  return {
    kind: 'webhook',
    seq: r.seq,
    url: r.endpoint || r.path,
    requestType: r.requestType ?? '(no requestType)',
    callId,
    body: JSON.parse(redact(JSON.stringify(body))) as Record<string, unknown>,
    ...(virtualTime !== undefined ? { virtualTime } : {}),
    at: Date.parse(r.receivedAt),
    ...(callId && nameOf.has(callId) ? { participant: nameOf.get(callId) } : {}),
    ...(webhookProblems.length ? { webhookProblems } : {}),
    perclExpected: PERCL_EXPECTED.has(r.requestType as RequestType),
    ...(status !== undefined ? { status } : {}),
    answerSummary,
    problems: (r.answer?.problems ?? []).filter((p) => p.severity === 'error').map((p) => ({ pointer: p.pointer, rule: p.rule, message: p.message })),
  };
}

/** The simulator sends each webhook body as JSON; the receiver keeps the raw text it got. */
function matchDeliveries(records: readonly CallbackRecord[], deliveries: readonly Delivery[]): Map<number, number> {
  const byBody = new Map<string, Delivery[]>();
  for (const d of deliveries) {
    const key = JSON.stringify(d.body);
    byBody.set(key, [...(byBody.get(key) ?? []), d]);
  }
  const out = new Map<number, number>();
  for (const r of records) {
    const d = byBody.get(r.rawBody)?.shift();
    if (d) out.set(r.seq, d.virtualTime);
  }
  return out;
}

function heard(participants: ScenarioFlowInput['participants'], sim: NonNullable<ScenarioFlowInput['simulator']>): CallerEvent[] {
  return participants.flatMap((p) =>
    (sim.call(p.callId)?.heard ?? []).map((h) => ({
      kind: 'caller' as const,
      caller: p.name,
      callId: p.callId,
      action: 'hears' as const,
      detail: h.kind === 'say' ? `"${h.text}"` : `♪ ${h.text}`,
      virtualTime: h.virtualTime,
      // performance.now() to wall-clock milliseconds, the unit of the other entries.
      at: performance.timeOrigin + h.at,
    })),
  );
}

function stableSort(entries: ConversationEntry[]): ConversationEntry[] {
  return entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i).map(({ e }) => e);
}

/** Identical REST requests in a row with the same answer (live mode's polls) become one row. */
function fold(entries: ConversationEntry[]): ConversationEntry[] {
  const out: ConversationEntry[] = [];
  for (const e of entries) {
    const prev = out[out.length - 1];
    if (e.kind === 'rest' && prev?.kind === 'rest' && prev.method === e.method && prev.path === e.path && prev.status === e.status && prev.error === e.error) {
      out[out.length - 1] = { ...prev, count: (prev.count ?? 1) + 1 };
    } else out.push(e);
  }
  return out;
}

/** Which entries the failure is about: named callbacks, the wait that timed out, or the REST call that failed. */
function marked(entries: readonly ConversationEntry[], error: Error, waitStart: number | undefined): number[] {
  const culprits = new Set((error as WithCulprits).culprits ?? []);
  const out = entries.flatMap((e, i) => (e.kind === 'webhook' && culprits.has(e.seq) ? [i] : []));
  if (out.length) return out;
  if (waitStart !== undefined) return entries.flatMap((e, i) => (e.kind === 'note' && e.at === waitStart - 0.001 ? [i] : []));
  if (['ApiError', 'TransportError', 'ResponseSchemaError'].includes(error.name)) {
    const last = entries.map((e, i) => ({ e, i })).filter(({ e }) => e.kind === 'rest').pop();
    if (last) return [last.i];
  }
  return [];
}

function commandName(element: unknown): string {
  return typeof element === 'object' && element !== null && !Array.isArray(element) ? (Object.keys(element)[0] ?? '?') : '?';
}

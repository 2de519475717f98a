// The platform scenario's call flow: built from the harness's REST exchanges and the receiver's
// records (mock mode adds virtual time and what callers heard), folded where live mode repeats a
// poll, with the exchange that broke an expectation marked and the failure under it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { divergingRecords, fail } from '../support/assert';
import type { CallbackRecord } from '../support/callbacks/receiver';
import { WaitTimeoutError } from '../support/callbacks/wait';
import type { Exchange } from '../support/client/exchange';
import { renderSequenceDiagram } from '../support/report/sequence-diagram';
import { scenarioFlow, type ScenarioFlowInput } from '../support/report/scenario-flow';
import { Conversation } from '../support/schemas/conversation';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

function rest(seq: number, at: number, method: string, path: string, status: number | undefined, responseBody?: unknown): Exchange {
  return {
    seq,
    startedAt: iso(at),
    method,
    url: `https://api.example.test/apiserver/Accounts/AC0123/${path}`,
    requestHeaders: { authorization: 'Basic [redacted]' },
    requestBody: method === 'POST' ? { alias: 'x' } : undefined,
    status,
    responseHeaders: {},
    responseBody,
    durationMs: 1,
    attempt: 1,
  };
}

function hook(seq: number, at: number, endpoint: string, body: Record<string, unknown>, answer?: CallbackRecord['answer'], signatureOk = true): CallbackRecord {
  return {
    seq,
    receivedAt: iso(at),
    method: 'POST',
    path: `/s/key/${endpoint}`,
    query: {},
    endpoint,
    headers: {},
    rawBody: JSON.stringify(body),
    body,
    requestType: body.requestType as string,
    signature: signatureOk ? { ok: true } : { ok: false, reason: 'mismatch' },
    validation: { ok: true, issues: [] },
    answer,
  } as CallbackRecord;
}

const status = (seq: number, at: number, s: string) => hook(seq, at, 'status', { requestType: 'conferenceStatus', conferenceId: 'CF1', status: s }, { status: 204, problems: [] });

function input(more: Partial<ScenarioFlowInput> = {}): ScenarioFlowInput {
  return {
    scenario: 'terminating reports empty, then terminated',
    variant: 'default reading',
    mode: 'mock',
    clauses: ['C14 — Empty, then terminated'],
    exchanges: [rest(1, 0, 'POST', 'Conferences', 200), rest(2, 10, 'POST', 'Calls', 200)],
    records: [
      status(1, 5, 'empty'),
      hook(2, 12, 'connect/alice', { requestType: 'outDialApiConnect', callId: 'CA1' }, { status: 200, percl: [{ AddToConference: {} }], problems: [] }),
      status(3, 14, 'populated'),
      status(4, 20, 'terminated'),
      status(5, 21, 'empty'),
    ],
    participants: [{ name: 'alice', callId: 'CA1' }],
    harnessEntries: [],
    redact: (text) => text.replaceAll('AC0123', '[account]'),
    ...more,
  };
}

test('a passing flow: REST and webhooks in time order, the PerCL answered, the participant named, valid against the schema', () => {
  const flow = scenarioFlow(input());
  Conversation.parse(flow);
  assert.deepEqual(
    flow.entries.map((e) => (e.kind === 'rest' ? `REST ${e.method}` : e.kind === 'webhook' ? `#${e.seq}` : e.kind)),
    ['REST POST', '#1', 'REST POST', '#2', '#3', '#4', '#5'],
  );
  const connect = flow.entries.find((e) => e.kind === 'webhook' && e.seq === 2);
  assert.equal(connect?.kind === 'webhook' && connect.participant, 'alice');
  assert.equal(connect?.kind === 'webhook' && connect.answerSummary, '[AddToConference]');
  assert.equal(flow.failure, undefined);
  assert.deepEqual(flow.lifelines, { platform: 'FreeClimb (simulator)', answerer: 'harness' });
  const html = renderSequenceDiagram(flow);
  assert.match(html, /✓ passed/);
  assert.match(html, /#4 conferenceStatus status=terminated/);
  assert.match(html, /200 \[AddToConference\]/);
  assert.ok(!html.includes('AC0123'), 'the account id is redacted');
  assert.ok(!/<script|https?:\/\/(?!www\.w3\.org)/.test(html), 'no script and no external URL');
});

test('an order assertion marks the callback that left the documented sequence and repeats the failure under it', () => {
  const records = input().records;
  const statuses = ['empty', 'populated', 'terminated', 'empty'];
  const culprits = divergingRecords(statuses, records.filter((r) => r.endpoint === 'status'), [['empty', 'populated', 'empty', 'terminated']]).map((r) => r.seq);
  assert.deepEqual(culprits, [4]);
  let error: Error | undefined;
  try {
    fail('conference status callbacks, in order', ['empty', 'populated', 'empty', 'terminated'], statuses, records, culprits);
  } catch (e) {
    error = e as Error;
  }
  const flow = scenarioFlow(input({ error }));
  const marked = flow.failure!.entries.map((i) => flow.entries[i]);
  assert.deepEqual(marked.map((e) => e.kind === 'webhook' && e.seq), [4]);
  assert.ok(!flow.failure!.message.includes('callbacks received'), 'the callback log is left to the diagram rows');
  const html = renderSequenceDiagram(flow);
  assert.match(html, /class="label failed">#4 conferenceStatus status=terminated/);
  assert.match(html, /class="note-text failed">✗ conference status callbacks, in order</);
  // The message sits right under the marked exchange, before the callback that came after it.
  assert.ok(html.indexOf('✗ conference status callbacks') < html.indexOf('#5 conferenceStatus'));
});

test('a wait that timed out is shown where it began, and the receiver problems mark their webhooks', () => {
  const wait = new WaitTimeoutError('the terminated callback', 1500, [], 'timed out after 1500ms waiting for the terminated callback\narrived (1):\n  [0] #1 …', T0 + 13);
  const flow = scenarioFlow(input({ error: wait }));
  const [i] = flow.failure!.entries;
  assert.equal(flow.entries[i].kind, 'note');
  assert.match((flow.entries[i] as { text: string }).text, /waits up to 1500 ms for the terminated callback/);
  const next = flow.entries[i + 1];
  assert.equal(next.kind === 'webhook' && next.seq, 3, 'the wait began before #3 arrived');

  const forged = input({ records: [...input().records, hook(6, 30, 'status', { requestType: 'conferenceStatus', conferenceId: 'CF1', status: 'empty' }, { status: 401, problems: [] }, false)] });
  const problem = Object.assign(new Error('the receiver saw 1 problem(s) that no step asserted on'), { culprits: [6] });
  const flagged = scenarioFlow({ ...forged, error: problem });
  const bad = flagged.entries[flagged.failure!.entries[0]];
  assert.ok(bad.kind === 'webhook' && bad.seq === 6 && bad.webhookProblems?.[0] === 'signature mismatch');
});

test('live mode: no virtual time, repeated polls folded into one row with a count, a failed REST call marked', () => {
  const polls = [3, 4, 5, 6].map((n) => rest(n, 30 + n, 'GET', 'Calls/CA2', 200));
  const failed = rest(7, 50, 'POST', 'Conferences/CF1', 404, { message: 'conference not found' });
  const error = Object.assign(new Error('POST Conferences/CF1 answered 404'), { name: 'ApiError' });
  const flow = scenarioFlow(input({ mode: 'live', exchanges: [...input().exchanges, ...polls, failed], error }));
  const folded = flow.entries.filter((e) => e.kind === 'rest' && e.method === 'GET');
  assert.equal(folded.length, 1);
  assert.equal(folded[0].kind === 'rest' && folded[0].count, 4);
  assert.ok(flow.entries.every((e) => !('virtualTime' in e) || e.virtualTime === undefined));
  const marked = flow.entries[flow.failure!.entries[0]];
  assert.ok(marked.kind === 'rest' && marked.status === 404 && marked.error === 'conference not found');
  const html = renderSequenceDiagram(flow);
  assert.match(html, /REST GET \/Calls\/CA2 ×4/);
  assert.match(html, /class="head-text">FreeClimb</);
});

test('mock mode: virtual time counts from the scenario start, gaps show, what a caller heard is on their lifeline', () => {
  const deliveries = input().records.map((r, i) => ({ seq: i, url: r.endpoint, requestType: r.requestType!, body: r.body as Record<string, unknown>, virtualTime: 5_000_000 + (r.seq >= 4 ? 90_000 : 0) }));
  const call = { heard: [{ kind: 'say' as const, text: 'Welcome', virtualTime: 5_000_000, at: T0 + 13 - performance.timeOrigin }] };
  const flow = scenarioFlow(input({ simulator: { deliveries, call: (id) => (id === 'CA1' ? (call as never) : undefined) } }));
  const first = flow.entries.find((e) => e.kind === 'webhook');
  assert.equal(first?.kind === 'webhook' && first.virtualTime, 0);
  const heard = flow.entries.find((e) => e.kind === 'caller');
  assert.ok(heard?.kind === 'caller' && heard.caller === 'alice' && heard.detail === '"Welcome"');
  const html = renderSequenceDiagram(flow);
  assert.match(html, /\+90 s \(virtual time\)/);
  assert.match(html, /alice hears &quot;Welcome&quot;/);
  assert.match(html, /class="head-text">alice</);
});

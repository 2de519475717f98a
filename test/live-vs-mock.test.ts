// The app's view of the difference between a live and a mock gate run (issue 24, item 5): masking
// of per-run values, order within a call, webhooks one side did not send, fields with another
// value, and the comparison of two results folders merged into one.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Conversation, WebhookExchange } from '../support/schemas/conversation';
import { compareConversations, describeDifference } from '../support/report/conversation-diff';
import { maskedWebhooks } from '../support/report/conversation-mask';
import { LIVE_VS_MOCK_EPIC, writeLiveVsMock } from '../support/report/live-vs-mock';
import { tempDir } from './helpers/temp-dir';

const hex = (c: string) => c.repeat(40);

/** A conversation of one caller, "alice", whose call is `call`, with the given webhooks in order. */
function conversation(call: string, webhooks: Partial<WebhookExchange>[], host = 'http://127.0.0.1:4000', from = '+15550001111'): Conversation {
  return {
    scenario: 'alice joins',
    variant: 'x',
    callers: [{ name: 'alice', callId: call, from }],
    entries: webhooks.map((w, i) => ({
      kind: 'webhook',
      seq: i + 1,
      url: `${host}${w.url ?? '/voice'}`,
      requestType: w.requestType ?? 'inboundCall',
      callId: w.callId === undefined ? call : w.callId,
      body: w.body ?? {},
      at: i,
      perclExpected: true,
      status: w.status ?? 200,
      answerSummary: w.answerSummary ?? '[Say]',
      problems: [],
    })),
  };
}

/** The same scenario as two runs would record it: other ids, numbers, times and hosts. */
function pair(make: (ids: { call: string; conf: string; acct: string; from: string; host: string; t: number }) => Partial<WebhookExchange>[]) {
  const mockIds = { call: `CA${hex('a')}`, conf: `CF${hex('b')}`, acct: `AC${hex('c')}`, from: '+15550001111', host: 'http://127.0.0.1:4000', t: 1000 };
  const liveIds = { call: `CA${hex('1')}`, conf: `CF${hex('2')}`, acct: `AC${hex('3')}`, from: '+15550100001', host: 'https://abc.example.test', t: 98765 };
  return { mock: conversation(mockIds.call, make(mockIds), mockIds.host, mockIds.from), live: conversation(liveIds.call, make(liveIds), liveIds.host, liveIds.from) };
}

const joinFlow = (x: { call: string; conf: string; acct: string; from: string; t: number }): Partial<WebhookExchange>[] => [
  { requestType: 'inboundCall', url: '/voice', body: { accountId: x.acct, callId: x.call, from: x.from, to: '+15550100003', callStatus: 'ringing' }, answerSummary: '[GetDigits]' },
  { requestType: 'createConference', url: `/conference/created?room=1357&c=${x.conf}`, body: { callId: x.call, conferenceId: x.conf, recordingDurationSec: x.t, startTime: x.t } },
  { requestType: 'conferenceStatus', url: '/conference/status', body: { conferenceId: x.conf, status: 'populated' }, status: 204, answerSummary: '204' },
  { requestType: 'conferenceStatus', url: '/conference/status', body: { conferenceId: x.conf, status: 'inProgress' }, status: 204, answerSummary: '204' },
];

test('ids, phone numbers, times and hosts are masked: two runs of the same conversation do not differ', () => {
  const { mock, live } = pair(joinFlow);
  const c = compareConversations(mock, live);
  assert.deepEqual(c.differences, []);
  assert.equal(c.liveWebhooks, 4);
  const [first, second] = maskedWebhooks(live);
  assert.equal(first.call, 'call of alice');
  assert.equal(first.fields.from, '"<number of alice>"', "the caller's own number: number A live, the step's number in mock mode");
  assert.equal(first.fields.to, '"<number#1>"');
  assert.equal(first.fields.accountId, '"<AC#1>"');
  assert.equal(second.path, '/conference/created?room=1357&c=<CF#1>');
  assert.equal(second.fields.startTime, '"<time>"');
  assert.equal(second.fields.recordingDurationSec, '"<time>"');
});

test('masking keeps which id is which: a webhook about another conference differs', () => {
  const { mock, live } = pair(joinFlow);
  const other = `CF${hex('9')}`;
  (live.entries[3] as WebhookExchange).body.conferenceId = other;
  const d = compareConversations(mock, live).differences;
  assert.equal(d.length, 1);
  assert.equal(d[0].kind, 'field');
  assert.match(describeDifference(d[0]), /conferenceStatus \/conference\/status status="inProgress" \(#4\) conferenceId: live "<CF#2>", mock "<CF#1>"/);
});

test('a field with another value, a field on one side only and another answer are each one difference', () => {
  const { mock, live } = pair((x) => {
    const flow = joinFlow(x);
    if (x.t === 98765) {
      flow[0].body = { ...flow[0].body, callStatus: 'inProgress', queueId: null };
      flow[0].answerSummary = '[Say, Hangup]';
    }
    return flow;
  });
  const d = compareConversations(mock, live).differences;
  assert.deepEqual(
    d.map((x) => (x.kind === 'field' ? [x.field, x.mockValue, x.liveValue] : x.kind)),
    [
      ['callStatus', '"ringing"', '"inProgress"'],
      ['queueId', undefined, 'null'],
      ['(answer)', '200 [GetDigits]', '200 [Say, Hangup]'],
    ],
  );
  assert.match(describeDifference(d[2]), /the app's answer: live 200 \[Say, Hangup\], mock 200 \[GetDigits\]/);
});

test('a webhook the simulator did not send, and one the account did not send', () => {
  const { mock, live } = pair((x) => {
    const flow = joinFlow(x);
    if (x.t === 98765) flow.splice(2, 0, { requestType: 'conferenceStatus', url: '/conference/status', body: { conferenceId: x.conf, status: 'empty' }, status: 204, answerSummary: '204' });
    else flow.push({ requestType: 'callStatus', url: '/status', body: { callStatus: 'inProgress' }, status: 204, answerSummary: '204' });
    return flow;
  });
  const d = compareConversations(mock, live).differences;
  assert.deepEqual(
    d.map((x) => x.kind),
    ['only-live', 'only-mock'],
  );
  assert.match(describeDifference(d[0]), /^call of alice: the account sent conferenceStatus \/conference\/status status="empty" \(#3\), the simulator did not$/);
  assert.match(describeDifference(d[1]), /the simulator sent callStatus \/status callStatus="inProgress" \(#5\), the account did not/);
});

test('the same webhooks in another order within a call are an order difference, not field differences', () => {
  const { mock, live } = pair((x) => {
    const flow = joinFlow(x);
    if (x.t === 98765) [flow[2], flow[3]] = [flow[3], flow[2]];
    return flow;
  });
  const d = compareConversations(mock, live).differences;
  assert.equal(d.length, 1);
  assert.equal(d[0].kind, 'order');
  assert.match(describeDifference(d[0]), /conferenceStatus \/conference\/status \(live #4, mock #3\) came in another order: live after conferenceStatus \/conference\/status \(#3\), mock after createConference/);
});

test('calls interleaving in another order is timing, not a difference; order within each call still counts', () => {
  const bob = (x: { call: string }) => `CA${x.call.slice(2, 3) === 'a' ? hex('d') : hex('4')}`;
  const { mock, live } = pair((x) => {
    const a = { requestType: 'inboundCall', url: '/voice', body: {}, callId: x.call } as Partial<WebhookExchange>;
    const b = { requestType: 'inboundCall', url: '/voice', body: {}, callId: bob(x) } as Partial<WebhookExchange>;
    const a2 = { requestType: 'getDigits', url: '/room', body: {}, callId: x.call } as Partial<WebhookExchange>;
    return x.t === 98765 ? [b, a, a2] : [a, a2, b];
  });
  assert.deepEqual(compareConversations(mock, live).differences, []);
});

test('two results folders merged: scenarios paired by feature and name, the difference written as JSON and Allure results', () => {
  const dir = tempDir('live-vs-mock');
  const results = join(dir, 'allure-results');
  const reports = join(dir, 'reports');
  const { mock, live } = pair(joinFlow);
  (live.entries[1] as WebhookExchange).body.conferenceStatus = 'creating';
  let n = 0;
  const put = (variant: string, project: string, name: string, conv: Conversation) => {
    n += 1;
    writeFileSync(join(results, `att${n}-attachment.json`), JSON.stringify(conv));
    const result = { uuid: `r${n}`, name, fullName: `${project}:features/rooms.feature#${name}`, parameters: [{ name: 'variant', value: variant }], steps: [{ name: 'conversation.json', steps: [], attachments: [{ name: 'conversation.json', source: `att${n}-attachment.json` }] }] };
    writeFileSync(join(results, `r${n}-result.json`), JSON.stringify(result));
  };
  require('node:fs').mkdirSync(results, { recursive: true });
  put('default', 'conference-line', 'alice joins', mock);
  put('live', 'conference-line-correct', 'alice joins', live);
  put('default', 'conference-line', 'alice alone', mock);
  put('live', 'conference-line-correct', 'alice alone', mock);
  put('default', 'conference-line', 'alice is busy', mock);
  put('variant=x', 'conference-line', 'alice joins', live);
  // The built-in feature is named by its path from each run's folder: the same scenario all the same.
  const builtin = (variant: string, from: string, conv: Conversation) => {
    n += 1;
    writeFileSync(join(results, `att${n}-attachment.json`), JSON.stringify(conv));
    const result = { uuid: `r${n}`, name: '1 a caller joins', fullName: `x:${from}/app-features/builtin.feature#1 a caller joins`, parameters: [{ name: 'variant', value: variant }], attachments: [{ name: 'conversation.json', source: `att${n}-attachment.json` }] };
    writeFileSync(join(results, `r${n}-result.json`), JSON.stringify(result));
  };
  builtin('default', '../../work/main', mock);
  builtin('live', '../../compiled', mock);
  const written = writeLiveVsMock(results, reports)!;
  assert.deepEqual(written.report.summary, { compared: 3, same: 2, different: 1, onlyMock: 1, onlyLive: 0 });
  // Every reading the mock results hold, closest first on the one scenario both compared: the account sent what variant=x's simulator sent there.
  assert.deepEqual(written.report.readings, [
    { reading: 'variant=x', compared: 1, different: 0, differences: 0, shared: 1, differentShared: 0 },
    { reading: 'default', compared: 3, different: 1, differences: 1, shared: 1, differentShared: 1 },
  ]);
  assert.match(readFileSync(join(reports, 'app-gate', 'live-vs-mock.json'), 'utf8'), /"mockReading": "default"/);
  const json = JSON.parse(readFileSync(join(reports, 'app-gate', 'live-vs-mock.json'), 'utf8'));
  assert.equal(json.scenarios.find((s: { scenario: string }) => s.scenario === 'alice joins').differences[0].field, 'conferenceStatus');
  const ours = () =>
    readdirSync(results)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(results, f), 'utf8')))
      .filter((r) => r.labels?.some((l: { value: string }) => l.value === LIVE_VS_MOCK_EPIC));
  const first = ours();
  assert.equal(first.length, 5, 'four scenarios and the summary');
  assert.equal(first.find((r) => r.name === 'live vs mock: alice joins').status, 'broken');
  assert.equal(first.find((r) => r.name === 'live vs mock: alice alone').status, 'passed');
  assert.equal(first.find((r) => r.name === 'live vs mock: alice is busy').status, 'skipped');
  // A second report over the same folder replaces the comparison instead of adding a retry of it.
  writeLiveVsMock(results, reports);
  assert.equal(ours().length, 5);
});

test('mock results under other readings only: compared with the first of them', () => {
  const dir = tempDir('live-vs-mock-other');
  const results = join(dir, 'allure-results');
  require('node:fs').mkdirSync(results, { recursive: true });
  const { mock, live } = pair(joinFlow);
  for (const [i, variant, conv] of [[1, 'startModeratorFirstJoin=inProgressOnly', mock], [2, 'live', live]] as const) {
    writeFileSync(join(results, `att${i}-attachment.json`), JSON.stringify(conv));
    writeFileSync(join(results, `r${i}-result.json`), JSON.stringify({ uuid: `r${i}`, name: 'alice joins', fullName: `p:features/rooms.feature#alice joins`, parameters: [{ name: 'variant', value: variant }], attachments: [{ name: 'conversation.json', source: `att${i}-attachment.json` }] }));
  }
  const written = writeLiveVsMock(results, join(dir, 'reports'))!;
  assert.equal(written.report.mockReading, 'startModeratorFirstJoin=inProgressOnly');
  assert.deepEqual(written.report.summary, { compared: 1, same: 1, different: 0, onlyMock: 0, onlyLive: 0 });
});

test('nothing to compare without both a live and a mock run', () => {
  const dir = tempDir('live-vs-mock-none');
  assert.equal(writeLiveVsMock(dir, join(dir, 'reports')), undefined);
});

test('fch report --mock and --live each need a folder; an unknown option is named', () => {
  const { runReport } = require('../support/report/pipeline') as typeof import('../support/report/pipeline');
  let err = '';
  const io = { stdout: { write: () => true }, stderr: { write: (t: string) => (err += t) } };
  assert.equal(runReport(io, 'fch report', ['--mock', 'a', '--live']), 2);
  assert.match(err, /^fch report: --live needs a results folder\n/);
  err = '';
  assert.equal(runReport(io, 'fch report', ['--mock', '--live', 'b']), 2);
  assert.match(err, /^fch report: --mock needs a results folder\n/);
  err = '';
  assert.equal(runReport(io, 'fch report', ['--diff']), 2);
  assert.match(err, /unknown option --diff/);
});

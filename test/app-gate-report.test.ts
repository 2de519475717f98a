// The app gate's reports: JUnit XML (one testsuite per reading, escaped failure text) and the
// conversation's sequence diagram (self-contained, the failing exchange marked).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import http from 'node:http';
import { describeEntry, webhookExchange } from '../support/app-gate/conversation';
import { post } from '../support/simulator/dispatcher';
import { conversationProblems } from '../support/app-gate/scenario-checks';
import { addConversation, emptyCoverage } from '../support/report/gate-coverage';
import { junitXml } from '../support/report/junit';
import { renderSequenceDiagram } from '../support/report/sequence-diagram';
import type { Conversation } from '../support/schemas/conversation';

test('JUnit: one testsuite per variant, counts, escaped failure message', () => {
  const xml = junitXml([
    { name: 'default', cases: [{ name: '1 a caller joins', classname: 'builtin.feature', timeMs: 12.5, status: 'passed' }] },
    {
      name: 'startModeratorFirstJoin=inProgressOnly',
      cases: [
        { name: 'two callers <meet>', classname: 'rooms.feature', timeMs: 30, status: 'failed', failure: 'waited for "alice" & "bob"\nsecond line\u0001' },
        { name: 'skipped one', classname: 'rooms.feature', timeMs: 0, status: 'skipped' },
      ],
    },
  ]);
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
  assert.match(xml, /<testsuites name="app gate" tests="3" failures="1" skipped="1"/);
  assert.match(xml, /<testsuite name="startModeratorFirstJoin=inProgressOnly" tests="2" failures="1" skipped="1"/);
  assert.match(xml, /<testcase name="two callers &lt;meet&gt;" classname="rooms.feature" time="0.030"><failure message="waited for &quot;alice&quot; &amp; &quot;bob&quot;">/);
  assert.ok(!xml.includes('\u0001'), 'control characters are dropped');
  assert.match(xml, /<testcase name="skipped one" classname="rooms.feature" time="0.000"><skipped\/><\/testcase>/);
});

const invalid = webhookExchange({
  seq: 3,
  url: 'http://127.0.0.1:3000/digits',
  requestType: 'getDigits',
  body: { requestType: 'getDigits', callId: 'CA1', digits: '1234' },
  virtualTime: 95_000,
  status: 200,
  answer: '[{"AddToConference":{"conferenceId":"CF1","startConfOnEnter":"true"}}]',
  sentAt: 3,
});

test('an invalid PerCL answer: pointer and rule in the problem, the exchange marked', () => {
  assert.equal(invalid.answerSummary, '[AddToConference]');
  assert.deepEqual(invalid.problems.map((p) => [p.pointer, p.rule]), [['/0/AddToConference/startConfOnEnter', 'type']]);
  const problems = conversationProblems([invalid], undefined);
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /webhook #3 getDigits to http:\/\/127.0.0.1:3000\/digits was answered with invalid PerCL:\n {2}\/0\/AddToConference\/startConfOnEnter \[type\]/);
  assert.deepEqual(problems[0].entries, [0]);
});

test('a 500, a timeout and a notification body: failures and what is ignored', () => {
  const base = { url: 'http://127.0.0.1:3000/status', body: { requestType: 'conferenceStatus', status: 'empty' }, virtualTime: 0 };
  const e500 = webhookExchange({ ...base, seq: 1, requestType: 'conferenceStatus', status: 500, answer: 'TypeError' });
  const timeout = webhookExchange({ ...base, seq: 2, requestType: 'conferenceStatus', error: 'no answer within 5000 ms' });
  const ignored = webhookExchange({ ...base, seq: 3, requestType: 'conferenceStatus', status: 200, answer: '[{"Bogus":{}}]' });
  assert.equal(ignored.problems.length, 0, 'a PerCL body on a notification-only webhook is ignored');
  const problems = conversationProblems([e500, timeout, ignored], 'the app under test exited (exit code 1)');
  assert.deepEqual(problems.map((p) => p.message.split('\n')[0]), [
    'webhook #1 conferenceStatus to http://127.0.0.1:3000/status got HTTP 500; every webhook needs a 2xx answer within the webhook timeout',
    'webhook #2 conferenceStatus to http://127.0.0.1:3000/status got no answer within 5000 ms; every webhook needs a 2xx answer within the webhook timeout',
    'the app under test exited (exit code 1)',
  ]);
});

test('a webhook still in flight when the scenario ended is said so, never "HTTP undefined"', () => {
  const inFlight = webhookExchange({ url: 'http://127.0.0.1:3000/status', body: { requestType: 'conferenceStatus', status: 'terminated' }, virtualTime: 0, seq: 12, requestType: 'conferenceStatus' });
  assert.equal(inFlight.answerSummary, 'in flight');
  const problems = conversationProblems([inFlight], undefined);
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /^webhook #12 conferenceStatus to http:\/\/127\.0\.0\.1:3000\/status was still waiting for its answer when the scenario ended/);
  assert.doesNotMatch(problems[0].message, /undefined/);
  assert.match(describeEntry(inFlight), /in flight, no answer yet/);
});

test('a webhook that got no answer says what happened: refused, reset, the timeout', async () => {
  const refused = await post('http://127.0.0.1:9/status', '{}', {}, 1000);
  assert.equal(refused.ok, false);
  assert.match(!refused.ok ? refused.error : '', /^POST http:\/\/127\.0\.0\.1:9\/status failed: connection refused: nothing listens there/);
  const silent = http.createServer(() => undefined);
  const rude = http.createServer((req) => req.socket.destroy());
  await Promise.all([silent, rude].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
  const url = (s: http.Server) => `http://127.0.0.1:${(s.address() as { port: number }).port}/status`;
  try {
    const timedOut = await post(url(silent), '{}', {}, 100);
    assert.match(!timedOut.ok ? timedOut.error : '', /no answer within 100 ms \(the webhook timeout\)/);
    const reset = await post(url(rude), '{}', {}, 1000);
    assert.match(!reset.ok ? reset.error : '', /closed the connection without answering|reset before an answer/);
  } finally {
    silent.closeAllConnections();
    silent.close();
    rude.close();
  }
});

test('the sequence diagram: lifelines, virtual-time gaps, the failure marked, nothing external', () => {
  const conversation: Conversation = {
    scenario: 'two callers meet',
    variant: 'startModeratorFirstJoin=inProgressOnly',
    callers: [{ name: 'alice', callId: 'CA1', from: '+15550190001' }],
    entries: [
      { kind: 'caller', caller: 'alice', callId: 'CA1', action: 'calls', detail: '+15550190001 → +15550100001', virtualTime: 0, at: 1 },
      { kind: 'caller', caller: 'alice', callId: 'CA1', action: 'hears', detail: '"Enter your <room> number"', virtualTime: 5_000, at: 2 },
      invalid,
      { kind: 'rest', seq: 1, method: 'POST', path: '/apiserver/Accounts/AC1/Conferences', status: 400, requestBody: '{}', error: 'bad alias', virtualTime: 95_000, at: 4 },
    ],
    failure: { message: 'webhook #3 getDigits was answered with invalid PerCL', entries: [2] },
  };
  const html = renderSequenceDiagram(conversation);
  for (const text of ['FreeClimb (simulator)', '>app<', '>alice<', '#3 getDigits → /digits', '+90 s (virtual time)', 'REST POST /Conferences', 'Enter your &lt;room&gt; number', 'startModeratorFirstJoin=inProgressOnly']) {
    assert.ok(html.includes(text), `diagram shows ${text}`);
  }
  assert.match(html, /class="note-text failed">✗ webhook #3 getDigits was answered with invalid PerCL</);
  assert.match(html, /class="arrow failed"/);
  assert.ok(!/https?:\/\/(?!127\.0\.0\.1|www\.w3\.org)/.test(html), 'no external resource');
  assert.ok(!/<script/i.test(html));
});

test('coverage: reuse after empty, empty then terminated, a recording report, call control', () => {
  const status = (seq: number, s: string, extra: Record<string, unknown> = {}) =>
    webhookExchange({ seq, url: 'http://x/status', requestType: 'conferenceStatus', body: { requestType: 'conferenceStatus', conferenceId: 'CF1', status: s, ...extra }, virtualTime: 0, status: 204, answer: '' });
  const cov = emptyCoverage();
  addConversation(cov, [status(1, 'empty'), status(2, 'populated'), status(3, 'empty', { recordingId: 'RE1' }), status(4, 'inProgress'), status(5, 'empty'), status(6, 'terminated'), webhookExchange({ seq: 7, url: 'http://x/cc', requestType: 'conferenceCallControl', body: {}, virtualTime: 0, status: 200, answer: '[]' })], 1);
  assert.deepEqual(cov.behaviours, { 'reuse after empty': 1, 'empty then terminated': 1, 'a recording report': 1, 'call control': 1, 'a caller leaving before joining': 1 });
  assert.equal(cov.answered.conferenceStatus, 6);
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CallbackReceiver, type CallbackRecord } from '../support/callbacks/receiver';
import { WaitClosedError, WaitTimeoutError } from '../support/callbacks/wait';
import { signatureHeader } from '../support/signature';

const SECRET = 'sigsec_test_0123456789abcdef';
const NOW = 1_700_000_000;
const ACCOUNT = 'AC' + 'a'.repeat(40);
const CALL = 'CA' + 'b'.repeat(40);
const CONF = 'CF' + 'c'.repeat(40);

const std = { accountId: ACCOUNT, callId: CALL, from: '+13121000109', to: '+13121000096', callStatus: 'inProgress', direction: 'inbound', conferenceId: null, queueId: null };
const inboundCall = { ...std, requestType: 'inboundCall', callStatus: 'ringing', parentCallId: null };
const conferenceStatus = (status: string) => ({ ...std, requestType: 'conferenceStatus', conferenceId: CONF, status });

type Signing = 'valid' | 'forged' | 'stale' | 'unsigned';

async function post(url: string, body: unknown, signing: Signing = 'valid', extraHeaders: Record<string, string> = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...extraHeaders };
  if (signing === 'valid') headers['freeclimb-signature'] = signatureHeader(raw, SECRET, NOW - 5);
  if (signing === 'forged') headers['freeclimb-signature'] = signatureHeader(raw, 'sigsec_wrong', NOW - 5);
  if (signing === 'stale') headers['freeclimb-signature'] = signatureHeader(raw, SECRET, NOW - 301);
  const res = await fetch(url, { method: 'POST', headers, body: raw });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

let receiver: CallbackReceiver;
let inboxCount = 0;
const newInbox = () => receiver.openInbox(`t${++inboxCount}`);

before(async () => {
  receiver = await CallbackReceiver.start({ port: 0, signingSecret: SECRET, nowSec: () => NOW, timeoutMs: 2000 });
});
after(async () => {
  await receiver.close();
});

test('records a signed webhook exactly and answers a notification with 204', async () => {
  const inbox = newInbox();
  assert.match(receiver.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(inbox.url('status'), `${receiver.baseUrl}/s/${inbox.key}/status`);
  // Odd spacing and non-ASCII: the signature must be checked over the bytes as sent.
  const raw = JSON.stringify(conferenceStatus('populated'), null, 1).replace('"+13121000109"', '"+13121000109" ') + '\n';
  const res = await post(inbox.url('status') + '?leg=A', raw, 'valid', { authorization: 'Basic c2VjcmV0' });
  assert.equal(res.status, 204);

  assert.equal(inbox.records.length, 1);
  const r = inbox.records[0];
  assert.ok(r.seq >= 1);
  assert.ok(!Number.isNaN(Date.parse(r.receivedAt)));
  assert.equal(r.method, 'POST');
  assert.equal(r.path, `/s/${inbox.key}/status`);
  assert.deepEqual(r.query, { leg: 'A' });
  assert.equal(r.endpoint, 'status');
  assert.equal(r.rawBody, raw);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.match(r.headers['freeclimb-signature'], /^t=\d+,v1=[0-9a-f]{64}$/);
  assert.equal(r.headers.authorization, '[redacted]');
  assert.equal(r.requestType, 'conferenceStatus');
  assert.equal(r.webhook?.requestType, 'conferenceStatus');
  assert.deepEqual(r.signature, { ok: true, t: NOW - 5 });
  assert.deepEqual(r.validation, { ok: true, issues: [] });
  assert.deepEqual(r.answer, { status: 204, problems: [] });
  assert.deepEqual(inbox.problems, []);
  assert.ok(receiver.records.includes(r));
});

test('seq increases across inboxes', async () => {
  const a = newInbox();
  const b = newInbox();
  await post(a.url('x'), conferenceStatus('empty'));
  await post(b.url('x'), conferenceStatus('empty'));
  assert.ok(b.records[0].seq > a.records[0].seq);
  assert.equal(a.records.length, 1, 'an inbox sees only its own records');
});

for (const [signing, reason] of [
  ['forged', 'mismatch'],
  ['stale', 'stale'],
  ['unsigned', 'missing'],
] as const) {
  test(`${signing} webhook → 401 naming "${reason}", recorded, problem queued`, async () => {
    const inbox = newInbox();
    let called = false;
    inbox.answer('voice', () => ((called = true), [{ Hangup: {} }]));
    const res = await post(inbox.url('voice'), inboundCall, signing);
    assert.equal(res.status, 401);
    assert.equal(res.type, 'application/json');
    assert.match(JSON.parse(res.text).error, new RegExp(`signature ${reason}`));
    assert.equal(called, false, 'the responder must not run for an unauthenticated request');

    const [record] = inbox.records;
    assert.equal(record.signature.ok, false);
    assert.equal(record.signature.reason, reason);
    assert.equal(record.answer?.status, 401);
    assert.equal(record.requestType, 'inboundCall');

    const problems = inbox.takeProblems('signature');
    assert.equal(problems.length, 1);
    assert.equal(problems[0].seq, record.seq);
    assert.equal(problems[0].endpoint, 'voice');
    assert.match(problems[0].message, new RegExp(reason));
    assert.deepEqual(inbox.problems, [], 'takeProblems consumes');
    assert.ok(!JSON.stringify([record, problems, res.text]).includes(SECRET), 'the secret leaked');
    assert.equal(record.webhook, undefined, 'an unverified body is not exposed as a webhook');
    await assert.rejects(
      inbox.waitFor((r) => r.requestType === 'inboundCall', { description: 'the rejected inboundCall', timeoutMs: 50 }),
      WaitTimeoutError,
      'a rejected callback must never satisfy a wait',
    );
  });
}

test('invalid webhook body → 400 naming the field and JSON path', async () => {
  const inbox = newInbox();
  const res = await post(inbox.url('status'), conferenceStatus('exploded'));
  assert.equal(res.status, 400);
  assert.match(JSON.parse(res.text).error, /invalid conferenceStatus webhook: \/status/);
  const [problem] = inbox.takeProblems();
  assert.equal(problem.kind, 'invalid-webhook');
  assert.match(problem.message, /\/status/);
  assert.equal(inbox.records[0].validation.ok, false);
  assert.ok(inbox.records[0].validation.issues.some((i) => i.startsWith('/status')));
});

test('unknown requestType → 400 naming requestType', async () => {
  const inbox = newInbox();
  const res = await post(inbox.url('status'), { ...inboundCall, requestType: 'conferenceMuted' });
  assert.equal(res.status, 400);
  assert.match(JSON.parse(res.text).error, /unknown requestType "conferenceMuted" at \/requestType/);
  assert.equal(inbox.takeProblems('invalid-webhook').length, 1);
  assert.equal(inbox.records[0].requestType, 'conferenceMuted');
});

test('body that is not JSON → 400', async () => {
  const inbox = newInbox();
  const res = await post(inbox.url('status'), 'requestType=inboundCall');
  assert.equal(res.status, 400);
  assert.match(res.text, /not JSON/);
  assert.equal(inbox.records[0].body, undefined);
});

test('a scripted answer is served as JSON and validated', async () => {
  const inbox = newInbox();
  const script = [{ CreateConference: { actionUrl: inbox.url('conf-created') } }];
  const seen: CallbackRecord[] = [];
  inbox.answer('voice', async (record) => (seen.push(record), script));
  const res = await post(inbox.url('voice'), inboundCall);
  assert.equal(res.status, 200);
  assert.equal(res.type, 'application/json');
  assert.deepEqual(JSON.parse(res.text), script);
  assert.equal(seen[0].webhook?.requestType, 'inboundCall');
  const answer = inbox.records[0].answer;
  assert.equal(answer?.status, 200);
  assert.deepEqual(answer?.percl, script);
  assert.deepEqual(answer?.problems, []);
  assert.deepEqual(inbox.problems, []);
});

test('invalid PerCL is still served, with the problem and pointer recorded', async () => {
  const inbox = newInbox();
  const script = [{ Say: {} }, { Hangup: {} }];
  inbox.answer('/voice', () => script);
  const res = await post(inbox.url('voice'), inboundCall);
  assert.equal(res.status, 200, 'served anyway so the platform reaction is observable');
  assert.deepEqual(JSON.parse(res.text), script);
  const { answer } = inbox.records[0];
  assert.ok(answer?.problems.some((p) => p.pointer === '/0/Say/text' && p.rule === 'required'));
  const [problem] = inbox.takeProblems('invalid-percl');
  assert.equal(problem.endpoint, 'voice');
  assert.match(problem.message, /endpoint "voice"/);
  assert.match(problem.message, /\/0\/Say\/text \[required\]/);
});

test('a throwing responder → 500 and a responder-error problem', async () => {
  const inbox = newInbox();
  inbox.answer('voice', () => {
    throw new Error('script bug');
  });
  const res = await post(inbox.url('voice'), inboundCall);
  assert.equal(res.status, 500);
  assert.match(res.text, /script bug/);
  const [problem] = inbox.takeProblems();
  assert.equal(problem.kind, 'responder-error');
  assert.match(problem.message, /script bug/);
});

test('waitFor resolves on arrival, and its timeout lists what arrived', async () => {
  const inbox = newInbox();
  const isEmpty = (r: CallbackRecord) => r.webhook?.requestType === 'conferenceStatus' && r.webhook.status === 'empty';
  const waiting = inbox.waitFor(isEmpty, { description: 'conferenceStatus empty' });
  await post(inbox.url('status'), conferenceStatus('populated'));
  await post(inbox.url('status'), conferenceStatus('empty'));
  assert.equal((await waiting).seq, inbox.records[1].seq);

  await post(inbox.url('voice'), inboundCall, 'stale');
  inbox.takeProblems();
  await assert.rejects(
    inbox.waitFor((r) => r.webhook?.requestType === 'conferenceStatus' && r.webhook.status === 'terminated', {
      description: 'conferenceStatus terminated',
      timeoutMs: 30,
    }),
    (error: unknown) => {
      assert.ok(error instanceof WaitTimeoutError);
      const m = error.message;
      assert.match(m, new RegExp(`timed out after 30ms waiting for conferenceStatus terminated on inbox "${inbox.key}"`));
      assert.match(m, /arrived \(3\)/);
      assert.match(m, new RegExp(`#\\d+ conferenceStatus status status=populated callStatus=inProgress callId=${CALL} conferenceId=${CONF} → 204`));
      assert.match(m, /#\d+ inboundCall voice .*\[signature stale\] → 401/);
      return true;
    },
  );
});

test('unknown prefixes and closed inboxes → 404 orphans; close rejects pending waits', async () => {
  const before = receiver.orphans.length;
  const res = await post(`${receiver.baseUrl}/nowhere/voice`, inboundCall);
  assert.equal(res.status, 404);
  assert.equal(receiver.orphans.length, before + 1);
  assert.equal(receiver.orphans.at(-1)?.path, '/nowhere/voice');

  const inbox = newInbox();
  const pending = inbox.waitFor(() => false, { description: 'anything' });
  inbox.close();
  await assert.rejects(pending, WaitClosedError);
  assert.equal((await post(inbox.url('voice'), inboundCall)).status, 404);
  assert.equal(inbox.records.length, 0);
  assert.equal(receiver.orphans.length, before + 2);
});

test('a run-level route answers outside /s/', async () => {
  const route = receiver.route('/app/voice', (record) => [{ Say: { text: `hello ${record.webhook?.callId}` } }]);
  assert.equal(route.url(), `${receiver.baseUrl}/app/voice`);
  const res = await post(route.url(), inboundCall);
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(res.text), [{ Say: { text: `hello ${CALL}` } }]);
  assert.equal(route.records[0].endpoint, '');
  assert.throws(() => receiver.route('/s/x', () => []), /reserved/);
  route.close();
});

test('inbox keys must be URL-safe and unique', () => {
  assert.throws(() => receiver.openInbox('a/b'), /URL-safe/);
  const inbox = receiver.openInbox('dup');
  assert.throws(() => receiver.openInbox('dup'), /already open/);
  inbox.close();
});

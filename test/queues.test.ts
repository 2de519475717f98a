// Call queues in the simulator: Enqueue holds the call and loops its waitUrl PerCL; Dequeue (from
// the wait script or through REST) ends the wait with queueResult dequeued; a caller who hangs up is
// reported with queueResult hangup; a full queue refuses with queueFull. Sources: SPEC Enqueue and
// the queue webhooks, DOC:dequeue, DOC:dequeue-1, DOC:removefromqueuenotification.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WAIT_CYCLE_MIN_MS } from '../support/simulator/queues';
import { CALLS, rig, type Rig } from './helpers/webhook-rig';

const QUEUE = 'QU' + 'a'.repeat(40);
const ACTION = '/queue/left';
const WAIT = '/queue/wait';
const JOINED = '/queue/joined';

function enqueue(r: Rig, queueId = QUEUE, withNotification = true) {
  return [{ Say: { text: 'Please hold' } }, { Enqueue: { queueId, actionUrl: r.hooks.url(ACTION), waitUrl: r.hooks.url(WAIT), ...(withNotification ? { notificationUrl: r.hooks.url(JOINED) } : {}) } }];
}

test('Enqueue holds the call: addToQueueNotification, then queueWait with position, time and size', async (t) => {
  const r = await rig(t);
  r.hooks.on(WAIT, [{ Play: { file: 'https://h.example/hold.wav' } }, { Pause: { length: 10_000 } }]);
  const call = r.call(enqueue(r));
  await r.sim.settle();
  assert.equal(call.status, 'inProgress');
  assert.equal(call.endTime, null, 'the call waits, it is not hung up');
  assert.deepEqual(r.hooks.types(JOINED), ['addToQueueNotification']);
  assert.equal(r.hooks.at(JOINED)[0].queueId, QUEUE);
  const [wait] = r.hooks.at(WAIT);
  assert.equal(wait.requestType, 'queueWait');
  assert.equal(wait.callId, call.callId);
  assert.equal(wait.queueId, QUEUE);
  assert.equal(wait.queuePosition, '1');
  assert.equal(wait.queueTime, 0);
  assert.equal(wait.currentQueueSize, 1);
  // SPEC Enqueue.queueId: a queue that did not exist is created with that ID.
  const queue = r.rest('GET', `/Queues/${QUEUE}`);
  assert.equal(queue.status, 200);
  assert.equal(queue.json.currentSize, 1);
  const members = r.rest('GET', `/Queues/${QUEUE}/Members`);
  assert.deepEqual((members.json.queueMembers as { callId: string; position: number }[]).map((m) => [m.callId, m.position]), [[call.callId, 1]]);
});

test('the wait script is requested again when it runs out, paced by its own Pause', async (t) => {
  const r = await rig(t);
  r.hooks.on(WAIT, [{ Say: { text: 'You are next' } }, { Pause: { length: 5000 } }]);
  r.call(enqueue(r));
  await r.sim.settle();
  await r.sim.advance(5000);
  await r.sim.advance(5000);
  assert.deepEqual(r.hooks.at(WAIT).map((b) => b.queueTime), [0, 5, 10]);
});

test(`a wait script of audio alone is requested again after ${WAIT_CYCLE_MIN_MS} ms, not in a loop at one instant`, async (t) => {
  const r = await rig(t);
  r.hooks.on(WAIT, [{ Say: { text: 'Please keep holding' } }]);
  r.call(enqueue(r));
  await r.sim.settle();
  assert.equal(r.hooks.at(WAIT).length, 1);
  await r.sim.advance(WAIT_CYCLE_MIN_MS - 1);
  assert.equal(r.hooks.at(WAIT).length, 1);
  await r.sim.advance(1);
  assert.equal(r.hooks.at(WAIT).length, 2);
});

test('Dequeue in the wait script: actionUrl gets dequeue with queueResult dequeued, and its PerCL continues the call', async (t) => {
  const r = await rig(t);
  r.hooks.on(WAIT, (body) => (Number(body.queueTime) >= 3 ? [{ Say: { text: 'An agent is free' } }, { Dequeue: {} }] : [{ Pause: { length: 3000 } }]));
  r.hooks.on(ACTION, [{ Say: { text: 'Connecting you' } }, { Hangup: {} }]);
  const call = r.call(enqueue(r));
  await r.sim.settle();
  await r.sim.advance(3000);
  const [left] = r.hooks.at(ACTION);
  assert.equal(left.requestType, 'dequeue');
  assert.equal(left.queueResult, 'dequeued');
  assert.equal(left.queueTime, 3);
  assert.equal(left.queueId, QUEUE);
  assert.equal(call.endedReason, 'appHangup', "the actionUrl's PerCL ran");
  assert.equal(r.rest('GET', `/Queues/${QUEUE}`).json.currentSize, 0);
  await r.sim.advance(10_000);
  assert.equal(r.hooks.at(WAIT).length, 2, 'no wait request after the call left the queue');
});

test('REST dequeue of the front member answers 202 with the member; the wait script stops', async (t) => {
  const r = await rig(t);
  r.hooks.on(WAIT, [{ Pause: { length: 60_000 } }]);
  r.hooks.on(ACTION, [{ Say: { text: 'Hello' } }]);
  const first = r.call(enqueue(r));
  await r.sim.settle();
  const second = r.call(enqueue(r));
  await r.sim.settle();
  assert.equal(r.hooks.at(WAIT)[1].queuePosition, '2');
  assert.equal(r.rest('GET', `/Queues/${QUEUE}/Members/Front`).json.callId, first.callId);
  const res = r.rest('POST', `/Queues/${QUEUE}/Members/Front`);
  assert.equal(res.status, 202);
  assert.equal(res.json.callId, first.callId);
  assert.equal(res.json.position, 1);
  await r.sim.settle();
  assert.deepEqual(r.hooks.at(ACTION).map((b) => [b.requestType, b.callId, b.queueResult]), [['dequeue', first.callId, 'dequeued']]);
  assert.equal(first.pauseTimer, undefined, "the wait script's Pause was cancelled");
  // The script from actionUrl ran out: the dequeued call hangs up (§5.1); the other still waits, now first.
  assert.equal(first.endedReason, 'appHangup');
  assert.equal(second.endTime, null);
  assert.equal(r.rest('GET', `/Queues/${QUEUE}/Members/${second.callId}`).json.position, 1);
  const byId = r.rest('POST', `/Queues/${QUEUE}/Members/${second.callId}`);
  assert.equal(byId.status, 202);
  await r.sim.settle();
  assert.equal(r.hooks.at(ACTION).length, 2);
  assert.equal(r.rest('GET', `/Queues/${QUEUE}/Members/Front`).status, 404, 'an empty queue has no front member');
});

test('a caller who hangs up while queued: removeFromQueueNotification with queueResult hangup; its PerCL does not run', async (t) => {
  const r = await rig(t);
  r.hooks.on(WAIT, [{ Pause: { length: 60_000 } }]);
  r.hooks.on(ACTION, [{ Say: { text: 'never heard' } }]);
  const call = r.call(enqueue(r));
  await r.sim.settle();
  await r.sim.advance(7000);
  r.sim.engine.endCall(call, 'completed', 'farEndHangup');
  await r.sim.settle();
  const [left] = r.hooks.at(ACTION);
  assert.equal(left.requestType, 'removeFromQueueNotification');
  assert.equal(left.queueResult, 'hangup');
  assert.equal(left.queueTime, 7);
  assert.equal(call.heard?.some((h) => h.text === 'never heard'), false);
  assert.deepEqual(r.hooks.at(CALLS).map((b) => [b.callId, b.callEndedReason]), [[call.callId, 'farEndHangup']]);
  assert.equal(r.rest('GET', `/Queues/${QUEUE}`).json.currentSize, 0);
  await r.sim.advance(120_000);
  assert.equal(r.hooks.at(WAIT).length, 1);
});

test('a full queue refuses: removeFromQueueNotification with queueFull, and its PerCL continues the call', async (t) => {
  const r = await rig(t);
  const created = r.rest('POST', '/Queues', { alias: 'support', maxSize: '1' }); // SDK 2.1.3 sends maxSize as a string
  assert.equal(created.status, 200);
  assert.equal(created.json.maxSize, 1);
  const queueId = String(created.json.queueId);
  assert.match(queueId, /^QU[0-9a-f]{40}$/);
  r.hooks.on(WAIT, [{ Pause: { length: 60_000 } }]);
  r.hooks.on(ACTION, (body) => (body.queueResult === 'queueFull' ? [{ Say: { text: 'All lines are busy' } }, { Hangup: {} }] : undefined));
  r.call(enqueue(r, queueId, false));
  await r.sim.settle();
  const refused = r.call(enqueue(r, queueId, false));
  await r.sim.settle();
  const [full] = r.hooks.at(ACTION);
  assert.equal(full.requestType, 'removeFromQueueNotification');
  assert.equal(full.queueResult, 'queueFull');
  assert.equal(full.callId, refused.callId);
  assert.equal(refused.endedReason, 'appHangup');
  assert.ok(refused.heard?.some((h) => h.text === 'All lines are busy'));
  assert.equal(r.hooks.at(WAIT).length, 1, 'the refused call never waited');
});

test('REST queues: create, list by alias, update, read; unknown queue and member get 404', async (t) => {
  const r = await rig(t);
  const a = r.rest('POST', '/Queues', { alias: 'sales' });
  r.rest('POST', '/Queues', { alias: 'support' });
  assert.equal(a.json.maxSize, 100, 'SPEC default');
  assert.equal(a.json.currentSize, 0);
  const list = r.rest('GET', '/Queues?alias=sales');
  assert.deepEqual((list.json.queues as { queueId: string }[]).map((q) => q.queueId), [a.json.queueId]);
  const updated = r.rest('POST', `/Queues/${String(a.json.queueId)}`, { maxSize: 5 });
  assert.equal(updated.status, 200);
  assert.equal(updated.json.maxSize, 5);
  assert.equal(updated.json.revision, 2);
  assert.equal(r.rest('POST', '/Queues', { maxSize: 1001 }).status, 400, 'SPEC: at most 1000');
  assert.equal(r.rest('GET', `/Queues/QU${'0'.repeat(40)}`).status, 404);
  assert.equal(r.rest('GET', `/Queues/${String(a.json.queueId)}/Members/CA${'0'.repeat(40)}`).status, 404);
  assert.equal(r.rest('POST', `/Queues/${String(a.json.queueId)}/Members/CA${'0'.repeat(40)}`).status, 404);
});

test('[AMBIGUOUS] a Dequeue in a call that is not queued ends it (perclProcessingError)', async (t) => {
  const r = await rig(t);
  const call = r.call([{ Dequeue: {} }]);
  await r.sim.settle();
  assert.equal(call.endedReason, 'perclProcessingError');
});

test('[AMBIGUOUS] a REST dequeue during a GetSpeech of the wait script: the speech ends without a webhook', async (t) => {
  const r = await rig(t);
  r.hooks.on(WAIT, [{ GetSpeech: { actionUrl: r.hooks.url('/speech'), grammarFile: 'VERSAY_YESNO', grammarType: 'BUILTIN', prompts: [{ Say: { text: 'Want a call back?' } }] } }]);
  r.hooks.on(ACTION, [{ Say: { text: 'Connecting you' } }]);
  r.call(enqueue(r, QUEUE, false));
  await r.sim.settle();
  assert.equal(r.rest('POST', `/Queues/${QUEUE}/Members/Front`).status, 202);
  await r.sim.advance(60_000);
  assert.deepEqual(r.hooks.types(ACTION), ['dequeue']);
  assert.deepEqual(r.hooks.at('/speech'), []);
});

// SMS: the Sms PerCL command sends a message during the call and the script goes on; POST
// /Messages sends one through REST. Each is readable through /Messages, and notificationUrl hears
// of its status change. Sources: DOC:sms-4, SPEC Sms/MessageRequest/MessageResult/MessageStatusWebhook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rig } from './helpers/webhook-rig';

const APP_NUMBER = '+15550100001';
const CUSTOMER = '+15550104444';
const SMS_STATUS = '/sms/status';

test('Sms during a call: the message is sent, the script goes on, /Messages shows it and notificationUrl hears "sent"', async (t) => {
  const r = await rig(t);
  r.sim.addNumber(APP_NUMBER);
  const call = r.call([{ Sms: { from: APP_NUMBER, to: CUSTOMER, text: 'Your code is 1234', notificationUrl: r.hooks.url(SMS_STATUS) } }, { Say: { text: 'We sent you a text' } }, { Hangup: {} }]);
  await r.sim.settle();
  assert.ok(call.heard?.some((h) => h.text === 'We sent you a text'), 'Sms is not terminal');
  const list = r.rest('GET', `/Messages?to=${encodeURIComponent(CUSTOMER)}`);
  assert.equal(list.status, 200);
  const [message] = list.json.messages as Record<string, unknown>[];
  assert.equal(message.text, 'Your code is 1234');
  assert.equal(message.from, APP_NUMBER);
  assert.equal(message.direction, 'outbound');
  assert.equal(message.status, 'sent');
  assert.match(String(message.messageId), /^SM[0-9a-f]{40}$/);
  assert.equal(r.rest('GET', `/Messages/${String(message.messageId)}`).json.text, 'Your code is 1234');
  const [status] = r.hooks.at(SMS_STATUS);
  assert.equal(status.requestType, 'messageStatus');
  assert.equal(status.status, 'sent');
  assert.equal(status.callId, call.callId);
  assert.equal(status.messageId, message.messageId);
});

test('POST /Messages answers 202 with the queued message (SDK 2.1.3 messages.create sends {from, to, text})', async (t) => {
  const r = await rig(t);
  r.sim.addNumber(APP_NUMBER);
  const res = r.rest('POST', '/Messages', { from: APP_NUMBER, to: CUSTOMER, text: 'Receipt: paid' });
  assert.equal(res.status, 202);
  assert.equal(res.json.status, 'queued');
  await r.sim.settle();
  assert.equal(r.rest('GET', `/Messages/${String(res.json.messageId)}`).json.status, 'sent');
  assert.equal(r.rest('POST', '/Messages', { from: APP_NUMBER, to: CUSTOMER }).status, 400, 'text is required');
  assert.equal(r.rest('GET', `/Messages/SM${'0'.repeat(40)}`).status, 404);
});

test('[AMBIGUOUS] a sender that is not a number of the account: the message is rejected', async (t) => {
  const r = await rig(t);
  r.call([{ Sms: { from: '+15550109999', to: CUSTOMER, text: 'hi', notificationUrl: r.hooks.url(SMS_STATUS) } }]);
  await r.sim.settle();
  const [message] = r.rest('GET', '/Messages').json.messages as Record<string, unknown>[];
  assert.equal(message.status, 'rejected');
  assert.deepEqual(r.hooks.at(SMS_STATUS).map((b) => b.status), ['rejected']);
});

// Sms and StartRecordCall (issue 22): two commands that do not end the script. Sms sends a message
// readable through /Messages (notificationUrl hears its status); StartRecordCall records the call,
// reported on its callStatus. Sources: DOC:sms-4, SPEC Sms/MessageResult/MessageStatusWebhook,
// DOC:startrecordcall, DOC:callstatus.
import { Then, When } from '@cucumber/cucumber';
import { answerRedirectByWaiting } from '../support/app/scripts';
import { assertEqual, assertThat } from '../support/assert';
import type { HarnessWorld } from '../support/world';

type Body = Record<string, unknown>;

When('{string} is dialled and the app texts {string} {string}, then redirects', async function (this: HarnessWorld, name: string, to: string, text: string) {
  if (!/^\+[1-9][0-9]{1,14}$/.test(to)) throw new Error(`"${to}" is not an E.164 number such as +15550104444`);
  const target = answerRedirectByWaiting(this.inbox, name);
  // The sender is the account's own number (DOC:sms-4).
  const sms = { to, from: this.cfg.numberA, text, notificationUrl: this.inbox.url('sms-status') };
  await this.dial(name, () => [{ Sms: sms }, { Redirect: { actionUrl: target } }]);
});

Then('a message to {string} with text {string} is listed through REST', async function (this: HarnessWorld, to: string, text: string) {
  await this.backend.settle();
  const res = await this.api.request('GET', '/Messages', { query: { to }, expect: [200] });
  const listed = ((res.json as { messages?: Body[] }).messages ?? []).filter((m) => m.to === to);
  assertThat(`GET /Messages lists a message to ${to} with text "${text}"`, listed.some((m) => m.text === text && m.from === this.cfg.numberA), `from ${this.cfg.numberA}: "${text}"`, listed, this.inbox.records);
});

Then('the message status reaches its notificationUrl', async function (this: HarnessWorld) {
  const record = await this.inbox.waitFor((r) => r.endpoint === 'sms-status', { description: 'a messageStatus webhook on the Sms notificationUrl' });
  assertEqual('requestType on the Sms notificationUrl', record.requestType, 'messageStatus', this.inbox.records);
  assertThat('the status is one a sent message goes through', ['queued', 'sending', 'sent', 'delivered'].includes(String((record.body as Body).status)), 'queued, sending, sent or delivered', (record.body as Body).status, this.inbox.records);
});

When('{string} is dialled and the app records the call, then pauses {int} seconds', async function (this: HarnessWorld, name: string, seconds: number) {
  // An explicit Hangup: the callStatus must not depend on how a script that runs out ends (P01c).
  await this.dial(name, () => [{ StartRecordCall: {} }, { Pause: { length: seconds * 1000 } }, { Hangup: {} }]);
  await this.inbox.waitFor((r) => r.endpoint === `connect/${name}` && r.answer !== undefined, { description: `the app's answer to ${name}'s call` });
  await this.backend.elapse(seconds * 1000);
});

async function recordedCallStatus(world: HarnessWorld, name: string): Promise<Body> {
  return (await world.waitForCallEnd(name)).body as Body;
}

Then('the callStatus of {string} reports a recording of {int} second(s)', async function (this: HarnessWorld, name: string, seconds: number) {
  const body = await recordedCallStatus(this, name);
  assertThat('recordingId on the callStatus', typeof body.recordingId === 'string' && body.recordingId !== '', 'a recording id', body.recordingId, this.inbox.records);
  assertThat('recordingUrl on the callStatus', typeof body.recordingUrl === 'string' && /^https?:\/\//.test(body.recordingUrl), 'an absolute URL', body.recordingUrl, this.inbox.records);
  assertEqual('recordingDurationSec on the callStatus', Number(body.recordingDurationSec), seconds, this.inbox.records);
});

Then('the call recording of {string} can be read through REST', async function (this: HarnessWorld, name: string) {
  const body = await recordedCallStatus(this, name);
  const recording = await this.api.getRecording(String(body.recordingId));
  assertEqual('callId of the recording resource', recording.callId, this.participant(name).callId, this.inbox.records);
});

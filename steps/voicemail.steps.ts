// RecordUtterance (issue 22): the app records what the far end says, and the actionUrl gets a
// `record` webhook with the recording and why it ended (termReason). Sources: DOC:recordutterance,
// SPEC RecordUtterance/RecordWebhook/RecordUtteranceTermReason, DOC:recordings-1.
import { Then, When } from '@cucumber/cucumber';
import { answerRedirectByWaiting } from '../support/app/scripts';
import type { CallbackRecord } from '../support/callbacks/receiver';
import { assertEqual, assertThat } from '../support/assert';
import type { HarnessWorld } from '../support/world';

type Body = Record<string, unknown>;

When('{string} is dialled and the app records a message with {string}', async function (this: HarnessWorld, name: string, attributes: string) {
  let extra: unknown;
  try {
    extra = JSON.parse(attributes);
  } catch {
    throw new Error(`the RecordUtterance attributes ${attributes} are not JSON, such as {"finishOnKey": "#"}`);
  }
  // The PerCL answered to the record webhook continues the call at a redirect the harness can see.
  const target = answerRedirectByWaiting(this.inbox, name);
  this.inbox.answer(`recorded/${name}`, () => [{ Say: { text: 'Thank you for your message.' } }, { Redirect: { actionUrl: target } }]);
  await this.dial(name, () => [{ Say: { text: 'Leave a message.' } }, { RecordUtterance: { actionUrl: this.inbox.url(`recorded/${name}`), ...(extra as object) } }]);
  await this.inbox.waitFor((r) => r.endpoint === `connect/${name}` && r.answer !== undefined, { description: `the app's answer to ${name}'s call` });
  // The answer has left the inbox; in mock mode, let the simulator act on it too, so that the
  // recording has begun before the next step (a hang-up) can overtake it. Live, nothing says so
  // (the hang-up scenario is @mock-only).
  if (this.backend.mode === 'mock') await this.backend.settle();
});

async function theMessage(world: HarnessWorld, name: string): Promise<Body> {
  const { callId } = world.participant(name);
  const record: CallbackRecord = await world.inbox.waitFor((r) => r.endpoint === `recorded/${name}` && (r.body as Body).callId === callId, {
    description: `the record webhook of ${name}'s RecordUtterance (${callId})`,
  });
  assertEqual(`requestType on ${name}'s RecordUtterance actionUrl`, record.requestType, 'record', world.inbox.records);
  return record.body as Body;
}

Then('the message of {string} ends with termReason {string}', async function (this: HarnessWorld, name: string, reason: string) {
  const body = await theMessage(this, name);
  assertEqual(`termReason of ${name}'s message`, body.termReason, reason, this.inbox.records);
});

Then('the message of {string} is reported with a recording of {int} second(s)', async function (this: HarnessWorld, name: string, seconds: number) {
  const body = await theMessage(this, name);
  assertThat('recordingId is set', typeof body.recordingId === 'string' && body.recordingId !== '', 'a recording id', body.recordingId, this.inbox.records);
  assertThat('recordingUrl is a URL', typeof body.recordingUrl === 'string' && /^https?:\/\//.test(body.recordingUrl), 'an absolute URL', body.recordingUrl, this.inbox.records);
  assertEqual('recordingDurationSec (whole seconds, rounded up)', Number(body.recordingDurationSec), seconds, this.inbox.records);
});

Then('the message of {string} can be read through REST', async function (this: HarnessWorld, name: string) {
  const body = await theMessage(this, name);
  const recording = await this.api.getRecording(String(body.recordingId));
  assertEqual('callId of the recording resource', recording.callId, this.participant(name).callId, this.inbox.records);
  assertEqual('durationSec of the recording resource', Number(recording.durationSec), Number(body.recordingDurationSec), this.inbox.records);
});

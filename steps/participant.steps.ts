// Participants join through calls, and change only through call control (§6.20) or REST.
import { Then, When } from '@cucumber/cucumber';
import { CALL_CONTROL_SEQUENCE } from '../support/app/scripts';
import { assertEqual, assertThat } from '../support/assert';
import type { HarnessWorld } from '../support/world';

When('{string} joins the conference', async function (this: HarnessWorld, name: string) {
  await this.join(name, { startConfOnEnter: false, leaveUrl: true });
});

When('{string} joins the conference as a start moderator', async function (this: HarnessWorld, name: string) {
  await this.join(name, { startConfOnEnter: true, leaveUrl: true });
});

When('{string} joins the conference without setting startConfOnEnter', async function (this: HarnessWorld, name: string) {
  await this.join(name, { startConfOnEnter: undefined, leaveUrl: true });
});

When('{string} joins the conference without a leave URL', async function (this: HarnessWorld, name: string) {
  await this.join(name, { startConfOnEnter: false, leaveUrl: false });
});

When('{string} joins the conference, to be redirected when it leaves', async function (this: HarnessWorld, name: string) {
  await this.join(name, { startConfOnEnter: false, leaveUrl: true, onLeave: 'redirect' });
});

When('{string} joins the conference without call control', async function (this: HarnessWorld, name: string) {
  await this.join(name, { startConfOnEnter: false, leaveUrl: true, callControl: false });
});

When('{string} tries to join the conference', async function (this: HarnessWorld, name: string) {
  const conferenceId = this.requireConference();
  await this.dial(name, () => [{ AddToConference: { conferenceId, startConfOnEnter: true, notificationUrl: this.inbox.url(`joined/${name}`) } }]);
});

// One phrase, two suites: in app gating the caller's side hangs up; in the platform suite the
// app hangs the participant's call up through REST.
When('{string} hangs up', async function (this: HarnessWorld, name: string) {
  // Before the request: whatever this hang-up ends (the conference's recording) ends after it.
  this.moments.set('asked to end', this.clockNow());
  if (this.gated) await this.gated.hangUp(name);
  else if (this.liveGated) await this.liveGated.hangUp(name);
  else await this.api.updateCall(this.participant(name).callId, 'completed');
});

When('{string} is removed through REST', async function (this: HarnessWorld, name: string) {
  await this.api.removeParticipant(this.requireConference(), this.participant(name).callId);
});

When('{string} leaves the conference by PerCL', async function (this: HarnessWorld, name: string) {
  await this.callControl(name, [{ RemoveFromConference: {} }]);
});

When('{string} is removed by PerCL', async function (this: HarnessWorld, name: string) {
  // At HEAD RemoveFromConference has no attributes: the participant's own call-control answer removes it (§5.2).
  await this.callControl(name, [{ RemoveFromConference: {} }]);
});

When('{string} presses the call-control sequence', async function (this: HarnessWorld, name: string) {
  await this.pressDigits(name, CALL_CONTROL_SEQUENCE);
});

When('{string} terminates the conference by PerCL', async function (this: HarnessWorld, name: string) {
  await this.callControl(name, [{ TerminateConference: {} }]);
});

When('{string} terminates the conference by PerCL in the legacy shape', async function (this: HarnessWorld, name: string) {
  // SDK 2.1.3 still sends conferenceId (§7.4): the harness warns but the command must still work.
  await this.callControl(name, [{ TerminateConference: { conferenceId: this.requireConference() } }]);
  this.inbox.takeProblems('invalid-percl');
});

When('{string} mutes itself by PerCL', async function (this: HarnessWorld, name: string) {
  await this.callControl(name, [{ SetTalk: { talk: false } }]);
});

When('{string} is muted through REST', async function (this: HarnessWorld, name: string) {
  const p = await this.api.updateParticipant(this.requireConference(), this.participant(name).callId, { talk: false });
  assertEqual('the updated participant returned by REST has talk', p.talk, false);
});

Then('{string}\'s call ends with callStatus {string}', async function (this: HarnessWorld, name: string, status: string) {
  const record = await this.waitForCallEnd(name);
  assertEqual(`callStatus of ${name}'s call`, (record.body as { callStatus?: string }).callStatus, status, this.inbox.records);
});

Then('{string}\'s call is {string} through REST', async function (this: HarnessWorld, name: string, status: string) {
  const call = await this.api.getCall(this.participant(name).callId);
  assertEqual(`GET /Calls/${call.callId} status`, call.status, status);
});

Then('{string} is not bridged into the conference within {int} seconds', async function (this: HarnessWorld, name: string, seconds: number) {
  const waited = await this.quietPeriod(seconds);
  const { callId } = this.participant(name);
  const joined = this.inbox.records.filter((r) => r.requestType === 'addToConferenceNotification' && (r.body as { callId?: string }).callId === callId);
  assertThat(`${name} is not bridged into the terminated conference (quiet period: ${waited})`, joined.length === 0, 'no addToConferenceNotification', joined.map((r) => r.seq), this.inbox.records, joined.map((r) => r.seq));
  const participants = await this.api.listParticipants(this.requireConference());
  assertThat(`${name} is not a participant`, !participants.some((p) => p.callId === callId), 'not listed', participants.map((p) => p.callId));
});

Then('the conference has {int} participant(s)', async function (this: HarnessWorld, count: number) {
  const participants = await this.api.listParticipants(this.requireConference());
  assertEqual('number of participants listed through REST', participants.length, count, this.inbox.records);
});

Then('the conference has no participants', async function (this: HarnessWorld) {
  const participants = await this.api.listParticipants(this.requireConference());
  assertEqual('participants listed through REST', participants.map((p) => p.callId), [], this.inbox.records);
});

Then('{string}\'s participant resource has startConfOnEnter {word}', async function (this: HarnessWorld, name: string, value: string) {
  const p = await this.api.getParticipant(this.requireConference(), this.participant(name).callId);
  assertEqual(`startConfOnEnter of ${name}'s participant resource`, p.startConfOnEnter, value === 'true');
});

Then('{string}\'s participant resource has talk {word}', async function (this: HarnessWorld, name: string, value: string) {
  await this.backend.settle();
  const p = await this.api.getParticipant(this.requireConference(), this.participant(name).callId);
  assertEqual(`talk of ${name}'s participant resource`, p.talk, value === 'true');
});

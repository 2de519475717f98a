// A call's own life, outside any conference: what FreeClimb does with the PerCL that continues it
// (§5.1 terminal commands, §6.17 the leaveConference answer) and with REST changes (§6.22).
import { Then, When } from '@cucumber/cucumber';
import { answerRedirectByWaiting } from '../support/app/scripts';
import { assertEqual, assertOneOf, assertThat } from '../support/assert';
import { EVENT_SPELLINGS } from '../support/schemas/webhooks';
import type { HarnessWorld } from '../support/world';

When('{string} is dialled and the app answers with a Redirect followed by a Hangup', async function (this: HarnessWorld, name: string) {
  const target = answerRedirectByWaiting(this.inbox, name);
  // The Hangup comes after a terminal command, so FreeClimb must ignore it (§5.1); the harness warns.
  await this.dial(name, () => [{ Redirect: { actionUrl: target } }, { Hangup: {} }]);
});

When('{string} is dialled and the app answers with only a Say', async function (this: HarnessWorld, name: string) {
  await this.dial(name, () => [{ Say: { text: 'This script has no terminal command.' } }]);
});

When('{string}\'s call is canceled through REST', async function (this: HarnessWorld, name: string) {
  await this.api.updateCall(this.participant(name).callId, 'canceled');
});

Then('{string}\'s call continues at its redirect', async function (this: HarnessWorld, name: string) {
  const record = await this.waitForRedirect(name);
  assertOneOf(`requestType of ${name}'s Redirect webhook (§5.3)`, record.requestType, [...EVENT_SPELLINGS.redirect], this.inbox.records);
});

Then('{string}\'s call is still up through REST', async function (this: HarnessWorld, name: string) {
  await this.backend.settle();
  const call = await this.api.getCall(this.participant(name).callId);
  assertEqual(`GET /Calls/${call.callId} status`, call.status, 'inProgress', this.inbox.records);
});

Then('no redirect arrives for {string} within {int} seconds', async function (this: HarnessWorld, name: string, seconds: number) {
  const waited = await this.quietPeriod(seconds);
  const redirects = this.inbox.records.filter((r) => r.endpoint === `redirected/${name}`);
  assertThat(`nothing on ${name}'s redirect URL (quiet period: ${waited})`, redirects.length === 0, 'no webhook', redirects.map((r) => `#${r.seq} ${r.requestType}`), this.inbox.records);
});

Then('no callControl webhook arrives for {string} within {int} seconds', async function (this: HarnessWorld, name: string, seconds: number) {
  const waited = await this.quietPeriod(seconds);
  const sent = this.inbox.records.filter((r) => r.endpoint === `control/${name}`);
  assertThat(`nothing on ${name}'s callControlUrl (quiet period: ${waited})`, sent.length === 0, 'no webhook', sent.map((r) => `#${r.seq} ${r.requestType}`), this.inbox.records);
});

// Creating, reading, listing and terminating conferences.
import { Given, Then, When } from '@cucumber/cucumber';
import { assertEqual, assertThat } from '../support/assert';
import type { HarnessWorld } from '../support/world';

Given('a conference created through REST', async function (this: HarnessWorld) {
  await this.createConferenceViaRest();
});

Given('a recorded conference created through REST', async function (this: HarnessWorld) {
  await this.createConferenceViaRest({ record: true });
});

Given('{string} creates a conference by PerCL and waits outside it', async function (this: HarnessWorld, name: string) {
  await this.createConferenceViaPercl(name, { afterCreate: 'wait-outside' });
});

Given('{string} creates a conference by PerCL and joins it', async function (this: HarnessWorld, name: string) {
  await this.createConferenceViaPercl(name, { afterCreate: 'join' });
});

Given('{string} creates a conference by PerCL and joins it as a start moderator', async function (this: HarnessWorld, name: string) {
  await this.createConferenceViaPercl(name, { afterCreate: 'join-as-moderator' });
});

Given('{string} creates a recorded conference by PerCL and joins it as a start moderator', async function (this: HarnessWorld, name: string) {
  await this.createConferenceViaPercl(name, { afterCreate: 'join-as-moderator', record: true });
});

When('the conference is terminated through REST', async function (this: HarnessWorld) {
  // Before the request: the recording it ends ends after it.
  this.moments.set('asked to end', this.clockNow());
  await this.api.terminateConference(this.requireConference());
});

When('the app tries to reuse the terminated conference through REST', async function (this: HarnessWorld) {
  // Neither an alias change nor status=empty may bring a terminated conference back (§6.12).
  const id = this.requireConference();
  this.lastError = undefined;
  for (const body of [{ status: 'empty' as const }, { alias: `${this.aliasPrefix}-revived` }]) {
    try {
      await this.api.updateConference(id, body);
    } catch (e) {
      this.lastError = e;
      continue;
    }
    this.lastError = undefined;
    return;
  }
});

Then('the request is rejected with a client error', function (this: HarnessWorld) {
  const status = (this.lastError as { status?: number } | undefined)?.status;
  assertThat('a REST update of a terminated conference is refused', typeof status === 'number' && status >= 400 && status < 500, 'an HTTP 4xx answer', status ?? 'success');
});

Then('the conference status is {string}', async function (this: HarnessWorld, status: string) {
  const conf = await this.api.getConference(this.requireConference());
  assertEqual(`GET /Conferences/${conf.conferenceId} status`, conf.status, status, this.inbox.records);
});

Then('listing conferences with status {string} includes the conference', async function (this: HarnessWorld, status: string) {
  const id = this.requireConference();
  const list = await this.api.listConferences({ status });
  assertThat(`GET /Conferences?status=${status} lists ${id}`, list.some((c) => c.conferenceId === id), id, list.map((c) => `${c.conferenceId}:${c.status}`));
  assertThat(`every conference listed with status=${status} has that status`, list.every((c) => c.status === status), status, list.map((c) => c.status));
});

Then('listing conferences with status {string} does not include the conference', async function (this: HarnessWorld, status: string) {
  const id = this.requireConference();
  const list = await this.api.listConferences({ status });
  assertThat(`GET /Conferences?status=${status} omits ${id}`, !list.some((c) => c.conferenceId === id), `no ${id}`, list.map((c) => `${c.conferenceId}:${c.status}`));
});

Then('a new conference gets a different conference ID', async function (this: HarnessWorld) {
  const old = this.requireConference();
  await this.createConferenceViaRest();
  assertThat('conference IDs are never reused (§6.12)', this.conferenceId !== old, `an ID other than ${old}`, this.conferenceId);
});

// A well-formed ID that no conference was created with (§6.1: AddToConference needs an existing one).
const NEVER_CREATED = `CF${'0'.repeat(40)}`;

When('{string} tries to join a conference that was never created', async function (this: HarnessWorld, name: string) {
  await this.dial(name, () => [{ AddToConference: { conferenceId: NEVER_CREATED, startConfOnEnter: true, notificationUrl: this.inbox.url(`joined/${name}`) } }]);
});

Then('{string} is not bridged into any conference within {int} seconds', async function (this: HarnessWorld, name: string, seconds: number) {
  const waited = await this.quietPeriod(seconds);
  const { callId } = this.participant(name);
  const joined = this.inbox.records.filter((r) => r.requestType === 'addToConferenceNotification' && (r.body as { callId?: string }).callId === callId);
  assertThat(`${name} is not bridged into a conference that was never created (quiet period: ${waited})`, joined.length === 0, 'no addToConferenceNotification', joined.map((r) => `#${r.seq}`), this.inbox.records);
});

Then('the conference that was never created does not exist', async function (this: HarnessWorld) {
  const response = await this.api.request('GET', `/Conferences/${NEVER_CREATED}`);
  assertEqual(`GET /Conferences/${NEVER_CREATED} status`, response.status, 404);
});

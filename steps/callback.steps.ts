// What FreeClimb calls back, and in which order (§6.2, §6.3, §6.14, §6.17–§6.20).
import { Then, type DataTable } from '@cucumber/cucumber';
import { conferenceCallbacks, statusRecords } from '../support/app/callback-queries';
import { assertEqual, assertOneOf, assertThat, divergingRecords } from '../support/assert';
import { isEvent } from '../support/schemas/webhooks';
import type { HarnessWorld } from '../support/world';

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** Wait until `expected.length` status callbacks arrived, let the platform settle, then compare all. */
async function statusesSoFar(world: HarnessWorld, expectedLength: number): Promise<string[]> {
  const conferenceId = world.requireConference();
  await world.inbox.waitFor((r) => statusRecords([r], conferenceId).length === 1, {
    description: `${expectedLength} status callback(s) for conference ${conferenceId}`,
    count: expectedLength,
  });
  await world.backend.settle();
  return world.statusSequence();
}

Then('the status callbacks are {string}', async function (this: HarnessWorld, expected: string) {
  const statuses = await statusesSoFar(this, list(expected).length);
  const culprits = divergingRecords(statuses, statusRecords(this.inbox.records, this.requireConference()), [list(expected)]).map((r) => r.seq);
  assertEqual('conference status callbacks, in order', statuses, list(expected), this.inbox.records, culprits);
});

Then('the status callbacks are one of:', async function (this: HarnessWorld, table: DataTable) {
  const readings = table.raw().map((row) => list(row[0]));
  const statuses = await statusesSoFar(this, Math.min(...readings.map((r) => r.length)));
  this.observe(this.clauses.join('/'), 'status callbacks where the docs allow several sequences', statuses.join(', '));
  const culprits = divergingRecords(statuses, statusRecords(this.inbox.records, this.requireConference()), readings).map((r) => r.seq);
  assertOneOf('conference status callbacks, in order', statuses, readings, this.inbox.records, culprits);
});

Then('the creation callback reports the conference as empty', async function (this: HarnessWorld) {
  const record = await this.waitForStatus('empty', 'the creation callback');
  // §6.2 [AMBIGUOUS]: either requestType is documented for the creation callback.
  this.observe('C02', 'requestType of the creation callback', record.requestType);
  // §4.3 [AMBIGUOUS]: for a REST-created conference the call fields may be null or left out.
  const body = record.body as Record<string, unknown>;
  this.observe('C02', 'callId on the creation callback', 'callId' in body ? (body.callId === null ? 'null' : 'a call') : 'left out');
  assertOneOf('requestType of the creation callback', record.requestType, ['createConference', 'conferenceStatus'], this.inbox.records);
  const first = statusRecords(this.inbox.records, this.requireConference())[0];
  assertEqual('the first status callback is the creation callback', first?.seq, record.seq, this.inbox.records);
});

Then('the actionUrl of {string} receives createConference with the conference ID', async function (this: HarnessWorld, name: string) {
  const record = await this.inbox.waitFor((r) => r.endpoint === `created/${name}` && r.requestType === 'createConference', {
    description: `createConference on ${name}'s actionUrl`,
  });
  assertEqual('conferenceId on the actionUrl request', (record.body as { conferenceId?: string }).conferenceId, this.requireConference());
});

Then('both creation callbacks arrive before the first participant joins', async function (this: HarnessWorld) {
  // §6.3 leaves the order of the two open; §6.2 says participants can be added once the status
  // callback arrived, and the actionUrl answer is what adds the first one.
  const id = this.requireConference();
  const records = this.inbox.records;
  const action = records.find((r) => r.endpoint.startsWith('created/') && r.requestType === 'createConference');
  const creation = statusRecords(records, id)[0];
  const firstJoin = records.find((r) => r.requestType === 'addToConferenceNotification');
  assertThat('the actionUrl received createConference', action !== undefined, 'a createConference on the actionUrl', 'none', records);
  assertThat('the statusCallbackUrl received the creation callback', creation !== undefined, 'a status callback', 'none', records);
  this.observe('C03', 'which creation URL is invoked first', action!.seq < creation.seq ? 'actionUrl' : 'statusCallbackUrl');
  assertThat('both precede the first join', !firstJoin || Math.max(action!.seq, creation.seq) < firstJoin.seq, `both before #${firstJoin?.seq}`, [action!.seq, creation.seq], records);
});

Then('no conference callback follows {string} within {int} seconds', async function (this: HarnessWorld, status: string, seconds: number) {
  await this.waitForStatus(status, `the ${status} callback`);
  const waited = await this.quietPeriod(seconds);
  const records = conferenceCallbacks(this.inbox.records, this.requireConference());
  const at = records.findIndex((r) => (r.webhook as { status?: string }).status === status && !isEvent(r.requestType, 'conferenceRecordingStatus'));
  // A conferenceRecordingStatus may follow terminated: it is sent once the recording is processed (§6, sequence step 5).
  const after = records.slice(at + 1).filter((r) => !isEvent(r.requestType, 'conferenceRecordingStatus'));
  assertEqual(`status callbacks after ${status} (quiet period: ${waited})`, after.map((r) => `#${r.seq} ${r.requestType}`), [], this.inbox.records, after.map((r) => r.seq));
});

Then('{string}\'s join is notified', async function (this: HarnessWorld, name: string) {
  const record = await this.waitForJoin(name);
  await this.backend.settle();
  const populated = this.inbox.records.find((r) => r.requestType === 'conferenceStatus' && (r.body as { status?: string }).status === 'populated');
  if (populated) this.observe('C19', 'join notification relative to the populated callback', populated.seq < record.seq ? 'after populated' : 'before populated');
  assertEqual('conferenceId on addToConferenceNotification', (record.body as { conferenceId?: string }).conferenceId, this.requireConference());
});

Then('{string}\'s departure is notified to its leaveConferenceUrl', async function (this: HarnessWorld, name: string) {
  const { callId } = this.participant(name);
  const record = await this.inbox.waitFor((r) => r.endpoint === `left/${name}` && r.requestType === 'leaveConference', {
    description: `leaveConference for ${name} (${callId})`,
  });
  assertEqual('callId on leaveConference', (record.body as { callId?: string }).callId, callId);
  assertEqual('conferenceId on leaveConference', (record.body as { conferenceId?: string }).conferenceId, this.requireConference());
});

Then('the callControl webhook for {string} carries the digits and the conference', function (this: HarnessWorld, name: string) {
  const record = this.inbox.records.filter((r) => r.endpoint === `control/${name}` && isEvent(r.requestType, 'callControl')).at(-1);
  assertThat(`a callControl webhook for ${name}`, record !== undefined, 'one', 'none', this.inbox.records);
  // §4.1 [CONFLICT]: the docs call it callControl, the SPEC enum conferenceCallControl.
  this.observe('C20', 'requestType of the call-control webhook', record!.requestType);
  const body = record!.body as { digits?: string; conferenceId?: string; callId?: string };
  assertEqual('callControl digits', body.digits, '*9');
  assertEqual('callControl conferenceId', body.conferenceId, this.requireConference());
  assertEqual('callControl callId', body.callId, this.participant(name).callId);
});

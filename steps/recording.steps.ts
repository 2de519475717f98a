// The recording is reported when the conference empties (§6.8–§6.10).
import { Given, Then } from '@cucumber/cucumber';
import { recordingReports, statusRecords } from '../support/app/callback-queries';
import type { CallbackRecord } from '../support/callbacks/receiver';
import { assertEqual, assertThat } from '../support/assert';
import type { HarnessWorld } from '../support/world';

const statusOf = (r: CallbackRecord) => (r.body as { status?: string }).status;

async function theRecording(world: HarnessWorld) {
  const id = world.requireConference();
  await world.inbox.waitFor((r) => recordingReports([r], id).length === 1, { description: `a recording report (recordingId) for conference ${id}` });
  await world.backend.settle();
  const reports = recordingReports(world.inbox.records, id);
  const ids = [...new Set(reports.map((r) => r.recordingId))];
  // §6.10 allows the fields on conferenceStatus, on conferenceRecordingStatus, or both: but one recording.
  assertEqual('distinct recordings reported for one recorded session', ids.length, 1, world.inbox.records);
  world.observe('C10', 'webhooks carrying the recording fields', reports.map((r) => r.record.requestType).join(' + '));
  return reports[0];
}

Then('the recording is reported after the conference empties', async function (this: HarnessWorld) {
  const report = await theRecording(this);
  const statuses = statusRecords(this.inbox.records, this.requireConference());
  const started = statuses.find((r) => statusOf(r) === 'inProgress');
  const emptied = statuses.find((r) => statusOf(r) === 'empty' && started !== undefined && r.seq > started.seq);
  assertThat('the conference went inProgress → empty', emptied !== undefined, 'inProgress then empty', this.statusSequence(), this.inbox.records);
  assertThat('the recording is reported with or after that empty callback', report.record.seq >= emptied!.seq, `at or after #${emptied!.seq}`, `#${report.record.seq}`, this.inbox.records);
  assertThat('recordingUrl is a URL', typeof report.recordingUrl === 'string' && /^https?:\/\//.test(report.recordingUrl), 'an absolute URL', report.recordingUrl);
});

Then('the recording lasts {int} second(s)', async function (this: HarnessWorld, seconds: number) {
  const report = await theRecording(this);
  assertEqual('recordingDurationSec (rounded up, §4.3)', report.recordingDurationSec, seconds, this.inbox.records);
});

Then('the recording lasts a whole number of seconds', async function (this: HarnessWorld) {
  const report = await theRecording(this);
  assertThat('recordingDurationSec is a non-negative integer', Number.isInteger(report.recordingDurationSec) && (report.recordingDurationSec ?? -1) >= 0, 'an integer ≥ 0', report.recordingDurationSec);
});

Given('the harness has seen the conference go {string}', async function (this: HarnessWorld, status: string) {
  await this.waitForStatus(status, `a status callback ${status}`);
  // After the callback arrived: the status began at or before this moment.
  this.moments.set(`seen ${status}`, this.clockNow());
});

// Where time is real, the exact length is unknowable, but the harness saw the recording run from
// the moment it saw inProgress until it asked the last participant to go (or the conference to
// end): the recording lasted at least that long, and any positive length rounds up to 1 or more.
// In mock mode the same moments are read on virtual time (often 0 s apart, when no step moved it).
Then('the recording lasts a whole number of seconds, at least as long as the harness saw it run', async function (this: HarnessWorld) {
  const report = await theRecording(this);
  const from = this.moments.get('seen inProgress');
  const to = this.moments.get('asked to end');
  if (from === undefined || to === undefined) throw new Error('this step needs the moments "seen inProgress" (the harness has seen the conference go "inProgress") and "asked to end" (a hang-up or terminate step after it)');
  const seenMs = Math.max(0, to - from);
  const least = seenMs > 0 ? Math.max(1, Math.floor(seenMs / 1000)) : 0;
  const seconds = report.recordingDurationSec;
  assertThat(
    `recordingDurationSec is a whole number of seconds, rounded up (§4.3), of a recording the harness saw run for ${seenMs.toFixed(1)} ms (inProgress seen → last request to end it)`,
    Number.isInteger(seconds) && (seconds ?? -1) >= least,
    `an integer ≥ ${least}${seenMs > 0 ? ' (positive: any length rounds up to at least 1)' : ''}`,
    seconds,
    this.inbox.records,
  );
});

Then('the recording can be read through REST', async function (this: HarnessWorld) {
  const report = await theRecording(this);
  const recording = await this.api.getRecording(report.recordingId);
  assertEqual('conferenceId of the recording resource', recording.conferenceId, this.requireConference());
  assertEqual('durationSec of the recording resource', Number(recording.durationSec), report.recordingDurationSec);
  const listed = await this.api.listConferenceRecordings(this.requireConference());
  assertThat('the conference lists the recording', listed.some((r) => r.recordingId === report.recordingId), report.recordingId, listed.map((r) => r.recordingId));
});

Then('no recording is reported within {int} seconds', async function (this: HarnessWorld, seconds: number) {
  const waited = await this.quietPeriod(seconds);
  const reports = recordingReports(this.inbox.records, this.requireConference());
  assertEqual(`recording reports (quiet period: ${waited})`, reports.map((r) => `#${r.record.seq} ${r.recordingId}`), [], this.inbox.records);
});

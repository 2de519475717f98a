// Recordings on a call: RecordUtterance ends on silence, finish key, maximum length or hang-up and
// reports a `record` webhook with the recording's ID, URL, duration and termReason; StartRecordCall
// records the whole call and reports it on callStatus. Both are readable through /Recordings.
// Sources: DOC:recordutterance, SPEC RecordWebhook, DOC:startrecordcall, DOC:recordings-1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RECORD_SILENCE_TIMEOUT_DEFAULT_MS } from '../support/simulator/call-recording';
import { CALLS, rig, type Rig } from './helpers/webhook-rig';

const VOICEMAIL = '/voicemail';

function voicemail(r: Rig, attrs: Record<string, unknown> = {}) {
  return [{ Say: { text: 'Leave a message after the beep' } }, { RecordUtterance: { actionUrl: r.hooks.url(VOICEMAIL), ...attrs } }];
}

function readRecording(r: Rig, body: Record<string, unknown>) {
  const res = r.rest('GET', `/Recordings/${String(body.recordingId)}`);
  assert.equal(res.status, 200);
  return res.json;
}

test('a message of 12 seconds, then silence: termReason timeout, the recording readable through /Recordings', async (t) => {
  const r = await rig(t);
  r.hooks.on(VOICEMAIL, [{ Say: { text: 'Thank you' } }, { Hangup: {} }]);
  const call = r.call(voicemail(r, { silenceTimeoutMs: 2000, maxLengthSec: 60, finishOnKey: '#' }));
  await r.sim.settle();
  r.sim.speak(call.callId, 'Hi, it is Alice, call me back', 12_000);
  await r.sim.advance(13_999);
  assert.equal(r.hooks.at(VOICEMAIL).length, 0, 'still recording during the silence timeout');
  await r.sim.advance(1);
  const [record] = r.hooks.at(VOICEMAIL);
  assert.equal(record.requestType, 'record');
  assert.equal(record.termReason, 'timeout');
  assert.equal(record.recordingDurationSec, 14, 'the trailing silence is part of the recording ([AMBIGUOUS] reading)');
  assert.equal(record.recordingFormat, 'audio/wav');
  assert.match(String(record.recordingId), /^RE[0-9a-f]{40}$/);
  assert.match(String(record.recordingUrl), new RegExp(`/Recordings/${String(record.recordingId)}/Download$`));
  const resource = readRecording(r, record);
  assert.equal(resource.callId, call.callId);
  assert.equal(resource.conferenceId, null);
  assert.equal(resource.durationSec, 14);
  const byCall = r.rest('GET', `/Calls/${call.callId}/Recordings`);
  assert.deepEqual((byCall.json.recordings as { recordingId: string }[]).map((x) => x.recordingId), [record.recordingId]);
  assert.equal(call.endedReason, 'appHangup', "the actionUrl's PerCL ran");
  assert.ok(call.heard?.some((h) => h.text === 'Thank you'));
});

test('the finish key ends the recording (termReason finishKey); another key does not', async (t) => {
  const r = await rig(t);
  const call = r.call(voicemail(r, { finishOnKey: '#' }));
  await r.sim.settle();
  r.sim.engine.callRecording.speak(call, 60_000);
  await r.sim.advance(5000);
  r.sim.press(call.callId, '1');
  await r.sim.settle();
  assert.equal(r.hooks.at(VOICEMAIL).length, 0);
  r.sim.press(call.callId, '#');
  await r.sim.settle();
  const [record] = r.hooks.at(VOICEMAIL);
  assert.equal(record.termReason, 'finishKey');
  assert.equal(record.recordingDurationSec, 5);
});

test('maxLengthSec ends a long message (termReason maxLength)', async (t) => {
  const r = await rig(t);
  const call = r.call(voicemail(r, { maxLengthSec: 10 }));
  await r.sim.settle();
  r.sim.engine.callRecording.speak(call, 30_000);
  await r.sim.advance(10_000);
  const [record] = r.hooks.at(VOICEMAIL);
  assert.equal(record.termReason, 'maxLength');
  assert.equal(record.recordingDurationSec, 10);
});

test('a hang-up ends the recording (termReason hangup): the webhook is sent, its PerCL does not run', async (t) => {
  const r = await rig(t);
  r.hooks.on(VOICEMAIL, [{ Say: { text: 'never heard' } }]);
  const call = r.call(voicemail(r));
  await r.sim.settle();
  r.sim.engine.callRecording.speak(call, 60_000);
  await r.sim.advance(4200);
  r.sim.hangUpFarEnd(call.callId);
  await r.sim.settle();
  const [record] = r.hooks.at(VOICEMAIL);
  assert.equal(record.termReason, 'hangup');
  assert.equal(record.recordingDurationSec, 5, 'rounded up to the whole second');
  assert.equal(readRecording(r, record).durationSec, 5);
  assert.equal(call.heard?.some((h) => h.text === 'never heard'), false);
  assert.deepEqual(r.hooks.at(CALLS).map((b) => b.callEndedReason), ['farEndHangup']);
});

test(`a caller who says nothing: the silence timeout (default ${RECORD_SILENCE_TIMEOUT_DEFAULT_MS} ms, [AMBIGUOUS]) ends it`, async (t) => {
  const r = await rig(t);
  r.call(voicemail(r));
  await r.sim.settle();
  await r.sim.advance(RECORD_SILENCE_TIMEOUT_DEFAULT_MS);
  const [record] = r.hooks.at(VOICEMAIL);
  assert.equal(record.termReason, 'timeout');
  assert.equal(record.recordingDurationSec, RECORD_SILENCE_TIMEOUT_DEFAULT_MS / 1000);
});

test('autoStart with no sound before maxLengthSec: no recording is made', async (t) => {
  const r = await rig(t);
  r.call(voicemail(r, { autoStart: true, maxLengthSec: 20 }));
  await r.sim.settle();
  await r.sim.advance(20_000);
  const [record] = r.hooks.at(VOICEMAIL);
  assert.equal(record.termReason, 'maxLength');
  assert.equal(record.recordingId, null);
  assert.equal((r.rest('GET', '/Recordings').json.recordings as unknown[]).length, 0);
});

test('StartRecordCall records the whole call; callStatus carries the recording, readable through /Recordings', async (t) => {
  const r = await rig(t);
  const call = r.call([{ StartRecordCall: {} }, { Say: { text: 'This call is recorded' } }, { Pause: { length: 8000 } }, { StartRecordCall: {} }, { Hangup: {} }]);
  await r.sim.settle();
  await r.sim.advance(8000);
  const [status] = r.hooks.at(CALLS);
  assert.equal(status.callId, call.callId);
  assert.equal(status.recordingDurationSec, 8);
  assert.match(String(status.recordingUrl), /\/Download$/);
  const list = r.rest('GET', `/Recordings?callId=${call.callId}`);
  assert.deepEqual((list.json.recordings as { recordingId: string; durationSec: number }[]).map((x) => [x.recordingId, x.durationSec]), [[status.recordingId, 8]]);
});

test('a call without StartRecordCall reports null recording fields on callStatus', async (t) => {
  const r = await rig(t);
  r.call([{ Hangup: {} }]);
  await r.sim.settle();
  assert.equal(r.hooks.at(CALLS)[0].recordingId, null);
});

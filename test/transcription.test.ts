// TranscribeUtterance: the caller's words are reported to actionUrl as a transcript, with the
// recording when record.saveRecording asks for it; silence, a key, the maximum length and a hang-up
// each end it. Sources: DOC:transcribeutterance, SPEC TranscribeWebhook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRANSCRIBE_SILENCE_DEFAULT_MS } from '../support/simulator/transcription';
import { rig, type Rig } from './helpers/webhook-rig';

const DONE = '/transcribed';

function transcribe(r: Rig, attrs: Record<string, unknown> = {}) {
  return [{ TranscribeUtterance: { actionUrl: r.hooks.url(DONE), prompts: [{ Say: { text: 'How can we help?' } }], ...attrs } }];
}

test('the words as said, the recording kept with saveRecording, and the PerCL continues the call', async (t) => {
  const r = await rig(t);
  r.hooks.on(DONE, [{ Say: { text: 'Thanks' } }, { Hangup: {} }]);
  const call = r.call(transcribe(r, { record: { saveRecording: true, rcrdTerminationSilenceTimeMs: 1500 } }));
  await r.sim.settle();
  assert.ok(call.heard?.some((h) => h.text === 'How can we help?'));
  r.sim.speak(call.callId, 'I lost my card', 2000);
  await r.sim.advance(3500);
  const [done] = r.hooks.at(DONE);
  assert.equal(done.requestType, 'transcribe');
  assert.equal(done.transcript, 'i lost my card');
  assert.equal(done.termReason, 'completed');
  assert.equal(done.recordTermReason, 'timeout');
  assert.equal(done.transcribeReason, null);
  assert.equal(done.recordingDurationMs, 3500);
  assert.equal(r.rest('GET', `/Recordings/${String(done.recordingId)}`).json.callId, call.callId);
  assert.equal(call.endedReason, 'appHangup');
});

test(`without saveRecording no recording is kept; the default end-of-speech silence is ${TRANSCRIBE_SILENCE_DEFAULT_MS} ms ([AMBIGUOUS])`, async (t) => {
  const r = await rig(t);
  const call = r.call(transcribe(r));
  await r.sim.settle();
  r.sim.speak(call.callId, 'billing', 500);
  await r.sim.advance(500 + TRANSCRIBE_SILENCE_DEFAULT_MS - 1);
  assert.equal(r.hooks.at(DONE).length, 0);
  await r.sim.advance(1);
  const [done] = r.hooks.at(DONE);
  assert.equal(done.transcript, 'billing');
  assert.equal(done.recordingId, null);
});

test('silence until maxLengthSec: noInput; a key: digit; a hang-up: reported, its PerCL not run', async (t) => {
  const r = await rig(t);
  r.hooks.on(DONE, (body) => (body.transcribeReason === 'hangup' ? [{ Say: { text: 'never heard' } }] : undefined));
  const silent = r.call(transcribe(r, { record: { maxLengthSec: 5 } }));
  const keyed = r.call(transcribe(r));
  const gone = r.call(transcribe(r));
  await r.sim.settle();
  r.sim.press(keyed.callId, '0');
  r.sim.hangUpFarEnd(gone.callId);
  await r.sim.advance(5000);
  const byCall = new Map(r.hooks.at(DONE).map((b) => [b.callId, b]));
  assert.deepEqual([byCall.get(silent.callId)?.transcribeReason, byCall.get(silent.callId)?.transcript], ['noInput', null]);
  assert.deepEqual([byCall.get(keyed.callId)?.transcribeReason, byCall.get(keyed.callId)?.digit], ['digit', '0']);
  assert.equal(byCall.get(gone.callId)?.transcribeReason, 'hangup');
  assert.equal(gone.heard?.some((h) => h.text === 'never heard'), false);
});

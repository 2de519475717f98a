// The reading recordTrailingSilence (support/simulator/variants.ts): whether the silence that ends a
// RecordUtterance message is part of the recording is not documented, and a client sees the
// difference in recordingDurationSec and the Recording resource. Both readings, and that a message
// not ended by silence is the same under both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rig, type Rig } from './helpers/webhook-rig';

const VOICEMAIL = '/voicemail';

async function message(r: Rig, speakMs: number, then: 'silence' | 'key') {
  r.hooks.on(VOICEMAIL, [{ Hangup: {} }]);
  const call = r.call([{ RecordUtterance: { actionUrl: r.hooks.url(VOICEMAIL), silenceTimeoutMs: 3000, finishOnKey: '#', maxLengthSec: 60 } }]);
  await r.sim.settle();
  r.sim.speak(call.callId, 'a message', speakMs);
  await r.sim.advance(speakMs);
  if (then === 'key') r.sim.press(call.callId, '#');
  else await r.sim.advance(3000);
  await r.sim.settle();
  const [record] = r.hooks.at(VOICEMAIL);
  const resource = r.rest('GET', `/Recordings/${String(record.recordingId)}`).json;
  return { termReason: record.termReason, reported: record.recordingDurationSec, stored: resource.durationSec };
}

test('kept (the default): the silence that ended the message is recorded', async (t) => {
  const r = await rig(t);
  assert.deepEqual(await message(r, 4500, 'silence'), { termReason: 'timeout', reported: 8, stored: 8 });
});

test('trimmed: the recording stops with the last sound', async (t) => {
  const r = await rig(t, { variants: 'recordTrailingSilence=trimmed' });
  assert.deepEqual(await message(r, 4500, 'silence'), { termReason: 'timeout', reported: 5, stored: 5 });
});

test('a message ended by the finish key is the same under both readings', async (t) => {
  const kept = await message(await rig(t), 4500, 'key');
  const trimmed = await message(await rig(t, { variants: 'recordTrailingSilence=trimmed' }), 4500, 'key');
  assert.deepEqual(kept, { termReason: 'finishKey', reported: 5, stored: 5 });
  assert.deepEqual(trimmed, kept);
});

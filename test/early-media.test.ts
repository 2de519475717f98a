// PlayEarlyMedia: audio the caller hears before the inbound call is answered (DOC:playearlymedia).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rig, type Rig } from './helpers/webhook-rig';

const NUMBER = '+15550100001';
const RINGBACK = 'https://h.example/ringback.wav';

async function inbound(r: Rig, script: unknown[]) {
  r.hooks.on('/voice', script);
  r.sim.addNumber(NUMBER, r.sim.addApplication({ voiceUrl: r.hooks.url('/voice') }));
  r.sim.callIn('+15550109999', NUMBER);
  await r.sim.settle();
  const leg = [...r.sim.engine.state.calls.values()].find((c) => c.direction === 'inbound');
  assert.ok(leg, 'the inbound leg exists');
  return leg;
}

test('PlayEarlyMedia first: heard while the call still rings, before it is answered', async (t) => {
  const r = await rig(t);
  const leg = await inbound(r, [{ PlayEarlyMedia: { file: RINGBACK } }, { Pause: { length: 2000 } }, { Say: { text: 'Welcome' } }, { Hangup: {} }]);
  await r.sim.advance(2000);
  assert.deepEqual(leg.heard?.map((h) => h.text), [RINGBACK, 'Welcome']);
  const early = leg.heard![0];
  assert.ok(leg.connectTime !== null && early.virtualTime <= leg.connectTime, 'heard before the call was answered');
});

test('PlayEarlyMedia after the call is answered plays nothing', async (t) => {
  const r = await rig(t);
  const leg = await inbound(r, [{ Say: { text: 'Welcome' } }, { PlayEarlyMedia: { file: RINGBACK } }, { Hangup: {} }]);
  assert.deepEqual(leg.heard?.map((h) => h.text), ['Welcome']);
  assert.ok(r.sim.engine.events.some((e) => /PlayEarlyMedia .* already answered/.test(e)));
});

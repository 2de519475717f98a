// The virtual-time wait: time moves one timer at a time, only after the simulator settled, and
// a wait that can no longer succeed fails at once with what was awaited and what happened.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../support/simulator/clock';
import { absentFor, waitVirtual, WaitFailed, type VirtualTimeline } from '../support/app-gate/virtual-wait';

/** `late`: what the app does while the gate listens before concluding (a REST request that arrives late). */
function timeline(clock: VirtualClock, log: string[], broken?: () => string | undefined, late: (() => boolean)[] = []): VirtualTimeline {
  return {
    settle: async () => void log.push(`settle@${clock.now()}`),
    now: () => clock.now(),
    nextDue: () => clock.nextDue(),
    advance: (ms) => clock.advance(ms, async () => undefined),
    broken: broken ?? (() => undefined),
    confirmQuiet: async (absence) => {
      log.push(absence ? 'listen (absence)' : 'listen');
      const act = late.shift();
      return act ? !act() : true;
    },
    describeGrace: () => 'quiet grace 10 ms (floor 5, ceiling 1000)',
  };
}

test('advances to each timer in turn until the condition holds, settling before each move', async () => {
  const clock = new VirtualClock(0);
  const log: string[] = [];
  let joined = false;
  clock.after(30_000, () => log.push('pause ends'));
  clock.after(45_000, () => (joined = true));
  clock.after(90_000, () => log.push('never reached'));
  const value = await waitVirtual(timeline(clock, log), { awaited: 'a join', check: () => (joined ? 'yes' : undefined), instead: () => '' }, { limitMs: 3_600_000, variant: 'default' });
  assert.equal(value, 'yes');
  assert.equal(clock.now(), 45_000);
  assert.deepEqual(log, ['settle@0', 'pause ends', 'settle@30000', 'settle@45000']);
});

test('fails at once when the condition can no longer be met, naming the variant and what happened', async () => {
  const clock = new VirtualClock(0);
  clock.after(5_000, () => undefined);
  await assert.rejects(
    waitVirtual(timeline(clock, []), { awaited: '"alice" is in a conference', check: () => undefined, impossible: () => "alice's call ended (appHangup)", instead: () => 'inboundCall → [Say, Hangup]' }, { limitMs: 60_000, variant: 'startModeratorFirstJoin=inProgressOnly' }),
    (e: Error) =>
      e instanceof WaitFailed &&
      /waited for "alice" is in a conference \(variant: startModeratorFirstJoin=inProgressOnly\)/.test(e.message) &&
      /can no longer happen: alice's call ended/.test(e.message) &&
      /inboundCall → \[Say, Hangup\]/.test(e.message),
  );
  assert.equal(clock.now(), 0, 'virtual time did not move');
});

test('fails when nothing is scheduled, and when the next timer is beyond the limit', async () => {
  const clock = new VirtualClock(0);
  await assert.rejects(waitVirtual(timeline(clock, []), { awaited: 'x', check: () => undefined, instead: () => '' }, { limitMs: 1000, variant: 'default' }), /nothing else is going to happen: .*quiet grace 10 ms/);
  clock.after(7_200_000, () => undefined);
  await assert.rejects(waitVirtual(timeline(clock, []), { awaited: 'x', check: () => undefined, instead: () => '' }, { limitMs: 3_600_000, variant: 'default' }), /within 3600 s of virtual time/);
  assert.equal(clock.now(), 0);
});

test('a broken timeline (the app died) stops the wait', async () => {
  const clock = new VirtualClock(0);
  clock.after(1000, () => undefined);
  await assert.rejects(
    waitVirtual(timeline(clock, [], () => 'the app under test exited (exit code 1)'), { awaited: 'x', check: () => undefined, instead: () => '' }, { limitMs: 5000, variant: 'default' }),
    /the app under test exited/,
  );
});

test('a REST request that arrives while the wait listens before failing is looked at, not missed', async () => {
  // The app answered, then terminated the conference 30 ms later: no timer, no webhook pending.
  const clock = new VirtualClock(0);
  const log: string[] = [];
  let ended = false;
  const value = await waitVirtual(
    timeline(clock, log, undefined, [() => ((ended = true), true)]),
    { awaited: '"alice"\'s call to end', check: () => (ended ? 'ended' : undefined), instead: () => '' },
    { limitMs: 60_000, variant: 'default' },
  );
  assert.equal(value, 'ended');
  assert.deepEqual(log, ['settle@0', 'listen', 'settle@0']);
  assert.equal(clock.now(), 0, 'virtual time did not move past the late request');
});

test('an absence holds only once the app stayed quiet, and fails on a call that arrives late', async () => {
  const clock = new VirtualClock(0);
  let called = false;
  await assert.rejects(
    absentFor(timeline(clock, [], undefined, [() => ((called = true), true)]), { what: 'a call to "agent"', check: () => (called ? 'CA1' : undefined), describe: (c) => `the app called "agent" (${c})` }, 60_000),
    /the app called "agent" \(CA1\)/,
  );
  const log: string[] = [];
  await absentFor(timeline(new VirtualClock(0), log), { what: 'a call', check: () => undefined, describe: () => '' }, 60_000);
  assert.deepEqual(log, ['settle@0', 'listen (absence)']);
});

test('an app that never stops sending is listened to a bounded number of times, then judged', async () => {
  const clock = new VirtualClock(0);
  const chatty = Array.from({ length: 10 }, () => () => true);
  await assert.rejects(waitVirtual(timeline(clock, [], undefined, chatty), { awaited: 'x', check: () => undefined, instead: () => '' }, { limitMs: 1000, variant: 'default' }), /nothing else is going to happen/);
  assert.equal(chatty.length, 7, 'three listens, then the verdict');
});

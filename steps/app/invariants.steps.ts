// App gating: two of `fch app explore`'s invariants as steps any feature can use (the explorer
// writes them into the features of its findings, and a team can keep them as regression tests).
// They read the simulator's calls and conferences, so they need the mock gate.
import { Then } from '@cucumber/cucumber';
import { Watch, type Snapshot } from '../../support/app-gate/explore/checks';
import { DEFAULT_LIMITS } from '../../support/app-gate/explore/invariants';
import type { GatedScenario } from '../../support/app-gate/gated-scenario';
import type { HarnessWorld } from '../../support/world';

function mockGated(world: HarnessWorld): GatedScenario {
  if (!world.gated) throw new Error('this step reads the simulator\'s calls and conferences: run it with `fch app test` against the simulator');
  return world.gated;
}

/** This scenario's calls (its callers', and those its webhooks were about) and every conference. */
async function snapshotOf(gated: GatedScenario): Promise<Snapshot> {
  await gated.run.settle();
  const entries = gated.entries();
  const names = new Map([...gated.callers.values()].map((c) => [c.callId, c.name]));
  const ids = new Set([...names.keys(), ...entries.flatMap((e) => (e.kind === 'webhook' && e.callId ? [e.callId] : []))]);
  const sim = gated.run.sim;
  return {
    entries,
    calls: [...ids].flatMap((id) => {
      const call = sim.call(id);
      return call ? [{ ...call, name: names.get(id) }] : [];
    }),
    conferences: sim.conferences.map((c) => ({ conferenceId: c.conferenceId, status: c.status, participants: c.participants.size })),
    now: gated.run.now(),
  };
}

async function expectNone(world: HarnessWorld, codes: string[]): Promise<void> {
  const gated = mockGated(world);
  const violations = new Watch(DEFAULT_LIMITS).check(await snapshotOf(gated)).filter((v) => codes.includes(v.code));
  if (violations.length) throw new Error(`${violations.map((v) => `[${v.code}] ${v.message}`).join('\n\n')}\n(variant: ${gated.run.variant})`);
}

Then('no call was ended by the platform for an app error', async function (this: HarnessWorld) {
  await expectNone(this, ['platform-ended-call', 'conference-known']);
});

Then('the app used no conference it ended or never had', async function (this: HarnessWorld) {
  await expectNone(this, ['conference-known']);
});

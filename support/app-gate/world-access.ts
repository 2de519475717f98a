// The app-gate part of the World, for steps: a clear error when an app-gating step runs in the
// platform suite (where no app under test exists).
import type { HarnessWorld } from '../world';
import type { AppScenario } from './app-scenario';
import type { GatedScenario } from './gated-scenario';

// The gate's slots on the suite's World, declared here so that the World (a lower layer) does not
// import app-gate/. They start absent, which every reader treats as "no app under test".
declare module '../world' {
  interface HarnessWorld {
    /** App gating only: the app under test's callers and conversation in this scenario. */
    gated: GatedScenario | undefined;
    /** A live app gate's scenario (fch app test --live): the same steps on real calls. */
    liveGated: AppScenario | undefined;
  }
}

export function gatedScenario(world: HarnessWorld): AppScenario {
  // The live gate's scenario when `fch app test --live` runs, the mock gate's otherwise.
  if (world.liveGated) return world.liveGated;
  if (!world.gated) throw new Error('this step drives an app under test: run it with `fch app test` (HARNESS_APP_URL), not in the platform suite');
  return world.gated;
}

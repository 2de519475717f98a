// The app-gate part of the World, for steps: a clear error when an app-gating step runs in the
// platform suite (where no app under test exists).
import type { HarnessWorld } from '../world';
import type { AppScenario } from './app-scenario';

export function gatedScenario(world: HarnessWorld): AppScenario {
  // The live gate's scenario when `fch app test --live` runs, the mock gate's otherwise.
  if (world.liveGated) return world.liveGated;
  if (!world.gated) throw new Error('this step drives an app under test: run it with `fch app test` (HARNESS_APP_URL), not in the platform suite');
  return world.gated;
}

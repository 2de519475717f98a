// Which scenarios a gate shard runs under which reading. The scenarios are listed the way Cucumber
// itself would run them (its own Gherkin loading, in its default order), as `uri:line`, which is
// both what Cucumber accepts as a path to run one scenario and the id the gate reports it under.
import { gateShard, type Shard } from '../shard';

/** Every scenario (each example row of an outline too) under `paths`, as `uri:line`, in run order. */
export async function scenarioIds(paths: string[], cwd: string = process.cwd()): Promise<string[]> {
  const { loadConfiguration, loadSources } = await import('@cucumber/cucumber/api');
  // file: false, so a cucumber.js in the team's folder never changes what the gate runs.
  const { runConfiguration } = await loadConfiguration({ file: false, provided: { paths } }, { cwd });
  const { plan, errors } = await loadSources(runConfiguration.sources, { cwd });
  if (errors.length) throw new Error(`cannot read the features: ${errors.map((e) => `${e.uri}:${e.location.line}: ${e.message}`).join('; ')}`);
  return plan.map((p) => `${p.uri}:${p.location.line}`);
}

export interface ReadingPlan {
  label: string;
  /** Cucumber paths: the feature paths when unsharded, the shard's `uri:line` scenarios otherwise. */
  paths: string[];
  /** How many scenarios this reading runs here. */
  scenarios?: number;
}

/** Unsharded: every reading runs `paths`. Sharded: each reading runs only its scenarios of the shard's block. */
export async function planReadings(readings: string[], paths: string[], shard: Shard | undefined): Promise<{ plans: ReadingPlan[]; pairs: number; total: number }> {
  if (!shard) return { plans: readings.map((label) => ({ label, paths })), pairs: 0, total: 0 };
  const ids = await scenarioIds(paths);
  const parts = gateShard(readings, ids, shard);
  return {
    plans: parts.map((p) => ({ label: p.reading, paths: p.scenarios, scenarios: p.scenarios.length })),
    pairs: parts.reduce((n, p) => n + p.scenarios.length, 0),
    total: readings.length * ids.length,
  };
}

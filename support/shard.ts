// Shards: one part of a run, `INDEX/TOTAL` as Cucumber's --shard takes it (index from 1). The CI's
// matrix is the engine (several jobs, each one part, then one merged report); the harness only
// names the parts, keeps their files apart, and splits the app gate's readings × scenarios.
import { join } from 'node:path';
import { z } from 'zod';

export const ShardSpec = z
  .string()
  .regex(/^\d+\/\d+$/, 'a shard is INDEX/TOTAL, e.g. 2/3')
  .transform((s) => {
    const [index, total] = s.split('/').map(Number);
    return { index, total };
  })
  .refine((s) => s.total >= 1 && s.index >= 1 && s.index <= s.total, 'the shard index runs from 1 to TOTAL, e.g. 1/3, 2/3, 3/3');
export type Shard = z.output<typeof ShardSpec>;

/** `2/3` → { index: 2, total: 3 }; throws with the reason otherwise. */
export function parseShard(text: string): Shard {
  const r = ShardSpec.safeParse(text);
  if (!r.success) throw new Error(`--shard ${JSON.stringify(text)}: ${r.error.issues[0].message}`);
  return r.data;
}

/** `--shard 2/3` or `--shard=2/3` among command-line arguments; the last one wins, as in Cucumber. */
export function shardArg(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  argv.forEach((a, i) => {
    if (a === '--shard') found = argv[i + 1];
    else if (a.startsWith('--shard=')) found = a.slice('--shard='.length);
  });
  return found;
}

/** The run's shard: HARNESS_SHARD (set by cucumber.js from --shard, or by a CI job for the live tools). */
export function shardOf(env: NodeJS.ProcessEnv = process.env): Shard | undefined {
  return env.HARNESS_SHARD ? parseShard(env.HARNESS_SHARD) : undefined;
}

/** `2of3`: in folder names, so the shards of one run sit side by side on one machine. */
export const shardTag = (s: Shard) => `${s.index}of${s.total}`;

/** The results dir of a shard when ALLURE_RESULTS_DIR is not set: beside the default one, never inside it. */
export const shardResultsDir = (s: Shard) => join('reports', `allure-results-shard-${shardTag(s)}`);

/**
 * Where a shard's JUnit file goes inside its results folder (one artifact carries both). In a
 * subfolder: Allure reads every *.xml at the top of a results dir as JUnit results, which would
 * count each scenario twice; it does not look into subfolders.
 */
export const JUNIT_IN_RESULTS = join('junit', 'junit.xml');
/** The app gate's own files (runs.json, coverage.json) inside a shard's results folder, for `fch report` to merge. */
export const GATE_IN_RESULTS = 'app-gate';

/** The application a live shard routes its number B to: `fch-harness-2` for shard 2, `fch-harness` unsharded. */
export function liveAppAlias(env: NodeJS.ProcessEnv = process.env): string {
  const s = shardOf(env);
  return s ? `fch-harness-${s.index}` : 'fch-harness';
}

/** Alias prefix of a live shard's conferences (`fch-s2-…`), so one shard's sweep leaves the others' alone. */
export function liveRunPrefixStem(env: NodeJS.ProcessEnv = process.env): string {
  const s = shardOf(env);
  return s ? `fch-s${s.index}-` : 'fch-';
}

/**
 * The app gate's part of `pairs` (reading-major: every scenario of the first reading, then the
 * next): contiguous blocks balanced by count, the first `pairs % total` shards one longer. Blocks
 * rather than round-robin because each reading a shard touches costs it one app start and one
 * fresh simulator; a block touches few readings (at most two partly). The order is the one every
 * shard computes from the same readings and features, so the parts never overlap or leave a gap.
 */
export function shardBlock<T>(pairs: readonly T[], shard: Shard): T[] {
  const base = Math.floor(pairs.length / shard.total);
  const extra = pairs.length % shard.total;
  const i = shard.index - 1;
  const start = i * base + Math.min(i, extra);
  return pairs.slice(start, start + base + (i < extra ? 1 : 0));
}

/** A shard's (reading, scenario) pairs grouped back by reading, in reading order; readings with none left out. */
export function gateShard(readings: readonly string[], scenarios: readonly string[], shard: Shard | undefined): { reading: string; scenarios: string[] }[] {
  const pairs = readings.flatMap((reading) => scenarios.map((scenario) => ({ reading, scenario })));
  const mine = shard ? shardBlock(pairs, shard) : pairs;
  return readings.map((reading) => ({ reading, scenarios: mine.filter((p) => p.reading === reading).map((p) => p.scenario) })).filter((r) => r.scenarios.length > 0);
}

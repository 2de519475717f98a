// One run per Allure results dir. Allure treats every *-result.json in the dir as part of the
// report, so results left over from earlier runs show up as retries of the new ones ("flaky").
// Each run therefore starts from an empty dir: cucumber.js empties it when the Cucumber CLI loads
// its config, `fch app test` once before its variant runs. HARNESS_KEEP_RESULTS=1 appends instead,
// to combine e.g. a mock and a live run in one report (the `mode` parameter keeps them apart).
// Emptying deletes files a user pointed us at, so the dir is checked before anything is removed.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { shardOf, shardResultsDir } from './shard';

export const DEFAULT_RESULTS_DIR = join('reports', 'allure-results');

/** The run's results dir, absolute: ALLURE_RESULTS_DIR, else reports/allure-results (a shard's own beside it) under `cwd`. */
export function resultsDirOf(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const shard = shardOf(env);
  return resolve(cwd, env.ALLURE_RESULTS_DIR || (shard ? shardResultsDir(shard) : DEFAULT_RESULTS_DIR));
}

/** Appending instead of emptying, for combining runs in one report. */
export function keepResults(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes)$/i.test(env.HARNESS_KEEP_RESULTS ?? '');
}

/**
 * Why `dir` must not be emptied, or undefined when it may be. A results dir is named like one
 * (…results…, …allure…) or sits in a folder named `allure` (the self-check's and the bench's
 * per-run dirs, `<work>/allure/<label>`); it is never `/`, the home dir, the project root, an
 * ancestor of it, or `reports/` itself. A typo in ALLURE_RESULTS_DIR must not cost a folder.
 */
export function unsafeResultsDir(dir: string, root: string = process.cwd()): string | undefined {
  const abs = resolve(dir);
  const top = resolve(root);
  if (abs === resolve('/') || abs === sep) return 'it is the filesystem root';
  if (abs === resolve(homedir())) return 'it is the home directory';
  const up = relative(abs, top);
  if (abs === top || (up !== '' && !up.startsWith('..'))) return `it is the project root ${top} or contains it`;
  if (abs === join(top, 'reports')) return 'it is reports/ itself, which holds more than one run';
  const name = basename(abs);
  if (!/results|allure/i.test(name) && basename(dirname(abs)) !== 'allure') return `its name "${name}" does not look like an Allure results dir (…results… or …allure…)`;
  return undefined;
}

/**
 * Start a run: empty `dir` (only its contents; the dir itself stays) unless HARNESS_KEEP_RESULTS
 * is set, then make sure it exists. Throws, deleting nothing, when the dir fails the guard.
 */
export function startResults(dir: string, opts: { root?: string; env?: NodeJS.ProcessEnv } = {}): 'emptied' | 'kept' {
  const env = opts.env ?? process.env;
  const abs = resolve(dir);
  if (keepResults(env)) {
    mkdirSync(abs, { recursive: true });
    return 'kept';
  }
  const why = unsafeResultsDir(abs, opts.root ?? process.cwd());
  if (why) throw new Error(`refusing to empty the Allure results dir ${abs}: ${why}. Point ALLURE_RESULTS_DIR at a dedicated dir, or set HARNESS_KEEP_RESULTS=1 to append without emptying.`);
  if (existsSync(abs)) for (const entry of readdirSync(abs)) rmSync(join(abs, entry), { recursive: true, force: true });
  mkdirSync(abs, { recursive: true });
  return 'emptied';
}

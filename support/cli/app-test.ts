// `fch app test [paths…] [--all-variants | --variant axis=option,…] [--no-builtin]`: gate an app.
// One Cucumber run per documented reading (fresh simulator, fresh app; support code loaded once), then: a
// scenario × variant table, the findings that only a non-default reading shows, coverage, JUnit
// XML at reports/junit.xml, Allure results with the variant as a parameter. Exit 0 only when
// everything passed, 1 on failures, 2 on a bad setup.
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, loadConfig, VARIABLES } from '../config';
import { AppLiveEnv } from '../app-gate/live/live-config';
import { runReadings } from '../app-gate/readings';
import { BUILTIN_FEATURE } from '../package-paths';
import { planReadings } from '../app-gate/shard-plan';
import { GATE_IN_RESULTS, JUNIT_IN_RESULTS, parseShard, type Shard } from '../shard';
import { junitXml } from '../report/junit';
import { formatCoverage, mergeCoverage } from '../report/gate-coverage';
import { gateSummary, writeAllureCoverage } from '../report/gate-summary';
import { resultsDirOf, startResults } from '../results-dir';
import { allVariantSettings, parseVariants } from '../simulator/variants';
import type { CliIo } from './percl-validate';

export const APP_TEST_USAGE = `usage: fch app test [paths…] [--all-variants | --variant axis=option,…] [--no-builtin] [--shard INDEX/TOTAL]

  paths            feature files or folders of the app's own scenarios (default: none, only the built-in checks)
  --all-variants   run the default and every documented reading, each with a fresh simulator and app
  --variant spec   run one reading, e.g. startModeratorFirstJoin=inProgressOnly (repeatable; "default" too)
  --no-builtin     skip the built-in app checks
  --shard I/N      run part I of N (one CI job each): the (reading, scenario) pairs, reading by reading in
                   scenario order, cut into N contiguous blocks of equal count; a reading runs only its
                   scenarios of the block. Results go to reports/allure-results-shard-IofN (or
                   ALLURE_RESULTS_DIR) with the JUnit and runs.json inside; \`fch report DIR…\` merges the shards

${appVariablesText()}
results: reports/junit.xml, reports/allure-results, reports/app-gate/
`;

/** Every HARNESS_APP_* variable of the configuration schemas, so that the help cannot leave one out. */
function appVariablesText(): string {
  const live = Object.keys(AppLiveEnv.shape).filter((v) => v.startsWith('HARNESS_APP_')).map((v) => `${v} (--live)`);
  const names = [...VARIABLES.filter((v) => v.startsWith('HARNESS_APP_')).map((v) => (v === 'HARNESS_APP_URL' ? `${v} (required)` : v)), ...live];
  const lines = [''];
  for (const word of ['configuration (environment):', ...names.map((n, i) => (i < names.length - 1 ? `${n},` : n))]) {
    const last = lines.length - 1;
    if (lines[last] && lines[last].length + word.length + 1 > 100) lines.push(word);
    else lines[last] = lines[last] ? `${lines[last]} ${word}` : word;
  }
  return lines.join('\n');
}

interface AppTestArgs {
  paths: string[];
  variants: string[];
  builtin: boolean;
  shard?: Shard;
}


class UsageError extends Error {}

function parseArgs(argv: string[]): AppTestArgs {
  const paths: string[] = [];
  let all = false;
  const chosen: string[] = [];
  let builtin = true;
  let shard: Shard | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--all-variants') all = true;
    else if (a === '--no-builtin') builtin = false;
    else if (a === '--variant' || a.startsWith('--variant=')) {
      const spec = a === '--variant' ? argv[++i] : a.slice('--variant='.length);
      if (!spec) throw new UsageError('--variant needs axis=option[,axis=option…]');
      // Unknown axes and options: an error listing what exists.
      if (spec !== 'default') parseVariants(spec);
      chosen.push(spec);
    }
    else if (a === '--shard' || a.startsWith('--shard=')) {
      const spec = a === '--shard' ? argv[++i] : a.slice('--shard='.length);
      shard = parseShard(spec ?? '');
    }
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else paths.push(a);
  }
  if (all && chosen.length) throw new UsageError('give --all-variants or --variant, not both');
  // --variant may repeat: one run per reading given ("default" is the default reading). Readings run
  // in the documented order whatever the order given, so a shard's merge (which orders them so)
  // and an unsharded run list them alike. A combined reading (a,b) is not in the list: it goes last.
  const canonical = ['default', ...allVariantSettings()];
  const rank = (v: string) => (canonical.includes(v) ? canonical.indexOf(v) : canonical.length);
  const variants = all ? canonical : chosen.length ? [...new Set(chosen)].sort((a, b) => rank(a) - rank(b)) : ['default'];
  return { paths, variants, builtin, shard };
}

export async function runAppTest(argv: string[], io: CliIo): Promise<number> {
  let args: AppTestArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    // parseShard's errors are usage errors too.
    io.stderr.write(`fch app test: ${(e as Error).message}\n\n${APP_TEST_USAGE}`);
    return 2;
  }
  try {
    const cfg = loadConfig();
    const problems: string[] = [];
    if (!cfg.app) problems.push('HARNESS_APP_URL: required for app gating; the loopback URL the app listens on, e.g. http://127.0.0.1:3000');
    if (args.builtin && !cfg.app?.joinDigits) problems.push('HARNESS_APP_JOIN_DIGITS: the built-in checks need what a caller presses to join, e.g. 1234# (or pass --no-builtin)');
    for (const p of args.paths) if (!existsSync(p)) problems.push(`${p}: no such feature file or folder (from ${process.cwd()})`);
    if (!args.builtin && args.paths.length === 0) problems.push('nothing to run: give feature paths, or drop --no-builtin');
    if (problems.length) {
      io.stderr.write(`fch app test: cannot start:\n  ${problems.join('\n  ')}\n`);
      return 2;
    }
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr.write(`${e.message}\n`);
    return 2;
  }

  const reports = resolve('reports');
  const work = join(reports, 'app-gate');
  rmSync(join(work, 'runs'), { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // All variant runs go into one results dir, emptied once here rather than per variant: the
  // children run Cucumber with an explicit configuration and never load cucumber.js, which empties
  // the dir for `npm test`. HARNESS_KEEP_RESULTS=1 appends. The guard refuses odd dirs (exit 2).
  const shardEnv = args.shard ? { ...process.env, HARNESS_SHARD: `${args.shard.index}/${args.shard.total}` } : process.env;
  const allureDir = resultsDirOf(shardEnv);
  try {
    startResults(allureDir);
  } catch (e) {
    io.stderr.write(`fch app test: ${(e as Error).message}\n`);
    return 2;
  }
  const paths = [...(args.builtin ? [BUILTIN_FEATURE] : []), ...args.paths];

  let planned: Awaited<ReturnType<typeof planReadings>>;
  try {
    planned = await planReadings(args.variants, paths, args.shard);
  } catch (e) {
    io.stderr.write(`fch app test: ${(e as Error).message}\n`);
    return 2;
  }
  if (args.shard) io.stdout.write(`shard ${args.shard.index}/${args.shard.total}: ${planned.pairs} of ${planned.total} (reading, scenario) pairs, ${planned.plans.length} reading(s)\n`);
  const started = Date.now();
  const runs = await runReadings(planned.plans, join(work, 'runs'), allureDir, (run) => {
    const failed = run.scenarios.filter((s) => s.status === 'failed').length;
    io.stdout.write(`${run.label}: ${run.scenarios.length} scenarios, ${failed} failed (${(run.wallMs / 1000).toFixed(1)} s)\n`);
    if (run.scenarios.length === 0) io.stdout.write(`  no scenario ran (exit ${run.exitCode}):\n${tail(run.output)}\n`);
  });
  if (runs.some((r) => r.exitCode === 2 && r.scenarios.length === 0)) return 2;

  const coverage = mergeCoverage(runs.map((r) => r.coverage));
  // The table and the findings come last: they are what a reader of a CI log looks for.
  const summary = gateSummary(runs, coverage);
  writeFileSync(join(reports, 'junit.xml'), junitXml(runs.map((r) => ({ name: r.label, cases: r.scenarios.map((s) => ({ name: s.name, classname: s.uri, timeMs: s.durationMs, status: s.status, failure: s.error })) }))));
  writeFileSync(join(work, 'coverage.json'), JSON.stringify(coverage, null, 2));
  writeFileSync(join(work, 'summary.txt'), `${summary}\n`);
  writeFileSync(join(work, 'runs.json'), JSON.stringify(runs.map(({ output: _o, ...r }) => r), null, 2));
  writeAllureCoverage(allureDir, formatCoverage(coverage), coverage);
  // A shard's artifact is its results folder: the JUnit and the runs go in with the Allure results.
  if (args.shard) writeShardFiles(allureDir, reports, work);

  // A shard with no pairs (more shards than pairs) has nothing to fail.
  const ok = runs.every((r) => r.exitCode === 0 && r.scenarios.length > 0 && r.scenarios.every((s) => s.status !== 'failed'));
  io.stdout.write(`\n${summary}\n\n${ok ? 'app gate passed' : 'app gate FAILED'}: ${runs.length} run(s) in ${((Date.now() - started) / 1000).toFixed(1)} s; reports/junit.xml, ${allureDir}, reports/app-gate/\n`);
  return ok ? 0 : 1;
}


function writeShardFiles(allureDir: string, reports: string, work: string): void {
  mkdirSync(join(allureDir, GATE_IN_RESULTS), { recursive: true });
  mkdirSync(dirname(join(allureDir, JUNIT_IN_RESULTS)), { recursive: true });
  copyFileSync(join(reports, 'junit.xml'), join(allureDir, JUNIT_IN_RESULTS));
  for (const f of ['runs.json', 'coverage.json']) copyFileSync(join(work, f), join(allureDir, GATE_IN_RESULTS, f));
}

const tail = (text: string, n = 20) => text.trim().split('\n').slice(-n).map((l) => `    ${l}`).join('\n');
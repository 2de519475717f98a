// `fch app test [paths…] [--all-variants | --variant axis=option,…] [--no-builtin]`: gate an app.
// One Cucumber run per documented reading (fresh simulator, fresh app; support code loaded once), then: a
// scenario × variant table, the findings that only a non-default reading shows, coverage, JUnit
// XML at reports/junit.xml, Allure results with the variant as a parameter. Exit 0 only when
// everything passed, 1 on failures, 2 on a bad setup.
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, VARIABLES } from '../config';
import { AppLiveEnv } from '../app-gate/live/live-config';
import { emptyCoverage, formatCoverage, mergeCoverage, type CoverageData } from '../app-gate/coverage';
import { readCucumberJson, type GateScenarioResult } from '../app-gate/cucumber-results';
import { failureReasons } from '../app-gate/failure-reasons';
import { BUILTIN_FEATURE, COMPILED, PACKAGE_ROOT, supportFiles } from '../package-paths';
import { planReadings, type ReadingPlan } from '../app-gate/shard-plan';
import { GATE_IN_RESULTS, JUNIT_IN_RESULTS, parseShard, type Shard } from '../shard';
import { sweep, workerEntry, type SweepResult } from '../runner/pool';
import type { RunSpec } from '../runner/protocol';
import { junitXml } from '../report/junit';
import { describeGrace } from '../report/grace-text';
import { GraceSummary } from '../schemas/conversation';
import { resultsDirOf, startResults } from '../report/results-dir';
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

export interface VariantRun {
  label: string;
  exitCode: number;
  wallMs: number;
  scenarios: GateScenarioResult[];
  coverage: CoverageData;
  timing: { scenario: string; wallMs: number; appMs: number; quietWaits?: number }[];
  /** Scenarios during which the app under test died; each time the gate restarted it. */
  crashes: string[];
  /** The quiet grace the run ended with (support/app-gate/quiet.ts). */
  grace?: GraceSummary;
  output: string;
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
  // --variant may repeat: one run per reading given ("default" is the default reading).
  const variants = all ? ['default', ...allVariantSettings()] : chosen.length ? [...new Set(chosen)] : ['default'];
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

/**
 * One Cucumber run per reading, each with a fresh simulator and a fresh app, in one worker process
 * that loads the harness's support code once (support/runner): a reading costs the app's start and
 * its scenarios. One worker, since every reading's app listens on HARNESS_APP_URL's port.
 */
export async function runReadings(plans: ReadingPlan[], runsDir: string, allureDir: string, onDone: (run: VariantRun) => void): Promise<VariantRun[]> {
  const dirOf = (label: string) => join(runsDir, label.replace(/[^\w.-]+/g, '_'));
  const specs: RunSpec[] = plans.map(({ label, paths }) => {
    const runDir = dirOf(label);
    mkdirSync(runDir, { recursive: true });
    return {
      label,
      env: {
        HARNESS_MODE: 'mock',
        HARNESS_VARIANTS: label === 'default' ? '' : label,
        HARNESS_APP_RUN_DIR: runDir,
        // Observations (support/report/observations.ts) follow the results into the same dir.
        ALLURE_RESULTS_DIR: allureDir,
        ALLURE_LABEL_variant: label,
        ALLURE_LABEL_epic: 'App gate',
      },
      // An explicit configuration: never a cucumber.js found in the team's folder.
      cucumber: {
        paths,
        require: supportFiles(),
        format: [['json', join(runDir, 'cucumber.json')], [pathToFileURL(require.resolve('allure-cucumberjs/reporter')).href, join(runDir, 'allure-formatter.log')]],
        formatOptions: { resultsDir: allureDir },
        unflushedAllureWriter: true,
      },
    };
  });
  const toRun = (r: SweepResult): VariantRun => {
    const runDir = dirOf(r.label);
    const read = <T>(file: string, fallback: T): T => {
      try {
        return JSON.parse(readFileSync(join(runDir, file), 'utf8')) as T;
      } catch {
        return fallback;
      }
    };
    let scenarios: GateScenarioResult[] = [];
    try {
      scenarios = readCucumberJson(join(runDir, 'cucumber.json'));
    } catch {
      // No JSON: the run failed before any scenario; the output says why.
    }
    // A configuration the hooks refuse exits the worker with 2 before any scenario.
    const exitCode = r.success ? 0 : /exit code 2\b/.test(r.error ?? '') ? 2 : 1;
    return { label: r.label, exitCode, wallMs: r.wallMs, scenarios, coverage: read('coverage.json', emptyCoverage()), timing: read('timing.json', []), crashes: read('crashes.json', []), ...graceOf(read<unknown>('grace.json', undefined)), output: [r.output, r.error ?? ''].filter(Boolean).join('\n') };
  };
  const env = { ...process.env, ...(COMPILED ? {} : { TS_NODE_PROJECT: join(PACKAGE_ROOT, 'tsconfig.json') }) };
  const results = await sweep(specs, { entry: workerEntry(), cwd: process.cwd(), workers: 1, env, onDone: (r) => onDone(toRun(r)) });
  return results.map(toRun);
}

/** What the console ends with and summary.txt holds (also for shards merged by `fch report`). */
export function gateSummary(runs: readonly VariantRun[], coverage: CoverageData): string {
  return [`coverage (what the scenarios exercised):\n${formatCoverage(coverage)}`, failureReasons(runs, shortUri), summaryTable(runs), findings(runs), crashSummary(runs), graceLines(runs)].filter(Boolean).join('\n\n');
}

function graceOf(raw: unknown): { grace?: GraceSummary } {
  const parsed = GraceSummary.safeParse(raw);
  return parsed.success ? { grace: parsed.data } : {};
}

/** How long the gate listened for the app after its answers, per reading. */
export function graceLines(runs: readonly VariantRun[]): string {
  const lines = runs.filter((r) => r.grace).map((r) => `  ${r.label}: ${describeGrace(r.grace!)}`);
  return lines.length ? `the app was judged only when quiet:\n${lines.join('\n')}` : '';
}

/** Scenario × variant, one column per run (numbered, with a legend, so the table stays narrow). */
export function summaryTable(runs: readonly VariantRun[]): string {
  const ids: string[] = [];
  const names = new Map<string, string>();
  for (const r of runs) for (const s of r.scenarios) if (!names.has(s.id)) (ids.push(s.id), names.set(s.id, `${s.name} (${shortUri(s.uri)})`));
  const cell = (r: VariantRun, id: string) => {
    const s = r.scenarios.find((x) => x.id === id);
    return !s ? '·' : s.status === 'passed' ? '✓' : s.status === 'failed' ? '✗' : '-';
  };
  const labelWidth = Math.min(90, Math.max(...ids.map((id) => names.get(id)!.length), 8));
  const head = `${'scenario'.padEnd(labelWidth)}  ${runs.map((_r, i) => `v${i}`.padStart(4)).join('')}`;
  const rows = ids.map((id) => `${clip(names.get(id)!, labelWidth).padEnd(labelWidth)}  ${runs.map((r) => cell(r, id).padStart(4)).join('')}`);
  const legend = runs.map((r, i) => `  v${i} ${r.label}`);
  return ['scenario × variant (✓ passed, ✗ failed, - skipped):', head, ...rows, 'variants:', ...legend].join('\n');
}

/** The most valuable findings: scenarios green under the default reading and red under another. */
export function findings(runs: readonly VariantRun[]): string {
  const base = runs.find((r) => r.label === 'default');
  if (!base || runs.length < 2) return '';
  const lines: string[] = [];
  for (const s of base.scenarios) {
    const failedUnder = runs.filter((r) => r !== base && r.scenarios.find((x) => x.id === s.id)?.status === 'failed').map((r) => r.label);
    if (s.status === 'passed' && failedUnder.length) lines.push(`"${s.name}" (${shortUri(s.uri)}) fails only under ${failedUnder.join(', ')}`);
  }
  return lines.length ? `findings that only a non-default reading shows:\n  ${lines.join('\n  ')}` : '';
}

/** How often the app died; each crash failed its own scenario and the gate restarted the app. */
export function crashSummary(runs: readonly VariantRun[]): string {
  const crashed = runs.filter((r) => r.crashes.length > 0);
  if (crashed.length === 0) return '';
  const total = crashed.reduce((n, r) => n + r.crashes.length, 0);
  return [`the app under test crashed in ${total} scenario run(s) and was restarted each time:`, ...crashed.map((r) => `  ${r.label}: ${r.crashes.map((s) => `"${s}"`).join(', ')}`)].join('\n');
}

/** Coverage as an Allure result of its own, so the report shows it next to the scenarios. */
export function writeAllureCoverage(dir: string, text: string, coverage: CoverageData): void {
  mkdirSync(dir, { recursive: true });
  const source = `${randomUUID()}-attachment.txt`;
  const json = `${randomUUID()}-attachment.json`;
  writeFileSync(join(dir, source), text);
  writeFileSync(join(dir, json), JSON.stringify(coverage, null, 2));
  const now = Date.now();
  const result = {
    uuid: randomUUID(),
    historyId: 'app-gate-coverage',
    name: 'app gate coverage',
    fullName: 'app gate coverage',
    status: 'passed',
    stage: 'finished',
    start: now,
    stop: now,
    labels: [{ name: 'epic', value: 'App gate' }, { name: 'feature', value: 'coverage' }],
    parameters: [],
    steps: [],
    attachments: [
      { name: 'coverage', source, type: 'text/plain' },
      { name: 'coverage.json', source: json, type: 'application/json' },
    ],
  };
  writeFileSync(join(dir, `${result.uuid}-result.json`), JSON.stringify(result));
}

function writeShardFiles(allureDir: string, reports: string, work: string): void {
  mkdirSync(join(allureDir, GATE_IN_RESULTS), { recursive: true });
  mkdirSync(dirname(join(allureDir, JUNIT_IN_RESULTS)), { recursive: true });
  copyFileSync(join(reports, 'junit.xml'), join(allureDir, JUNIT_IN_RESULTS));
  for (const f of ['runs.json', 'coverage.json']) copyFileSync(join(work, f), join(allureDir, GATE_IN_RESULTS, f));
}

const shortUri = (uri: string) => (uri.includes('app-features/builtin.feature') ? 'built-in' : uri);
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const tail = (text: string, n = 20) => text.trim().split('\n').slice(-n).map((l) => `    ${l}`).join('\n');

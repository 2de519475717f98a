// Runs the cucumber suite in a child process with a given environment and returns one result per
// scenario, read from cucumber's JSON formatter. The self-check and the benchmark both use it.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cucumberProfile, runLabels } from '../../support/cucumber-profile';
import { sweep, workerEntry, type SweepResult } from '../../support/runner/pool';
import type { RunSpec } from '../../support/runner/protocol';

export interface ScenarioResult {
  /** features/x.feature:LINE, stable across runs. */
  id: string;
  name: string;
  tags: string[];
  /** Step texts (keyword and name), for faults that select scenarios by what they do. */
  steps: string[];
  passed: boolean;
  skipped: boolean;
  /** The first failure message, trimmed, for the self-check's explanation. */
  error?: string;
}

export interface RunResult {
  label: string;
  exitCode: number;
  wallMs: number;
  scenarios: ScenarioResult[];
  output: string;
}

interface JsonStep {
  keyword?: string;
  name?: string;
  result?: { status: string; error_message?: string };
}
interface JsonElement {
  line: number;
  name: string;
  type: string;
  tags?: { name: string }[];
  steps?: JsonStep[];
  before?: JsonStep[];
  after?: JsonStep[];
}
interface JsonFeature {
  uri: string;
  tags?: { name: string }[];
  elements?: JsonElement[];
}

export const ROOT = join(__dirname, '..', '..');
const CUCUMBER = join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');

/** `bin`: the script to run instead of Cucumber's CLI (the live launcher, support/live/parallel/launch.ts). */
export async function runCucumber(opts: { label: string; env?: NodeJS.ProcessEnv; args?: string[]; workDir: string; bin?: string[] }): Promise<RunResult> {
  mkdirSync(opts.workDir, { recursive: true });
  const jsonFile = join(opts.workDir, `${opts.label}.json`);
  rmSync(jsonFile, { force: true });
  const env = {
    ...process.env,
    ALLURE_RESULTS_DIR: join(opts.workDir, 'allure', opts.label),
    ...opts.env,
  };
  const args = [...(opts.bin ?? [CUCUMBER]), '--format', `json:${jsonFile}`, ...(opts.args ?? [])];
  const started = process.hrtime.bigint();
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (c) => resolve({ code: c ?? 1, output }));
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { label: opts.label, exitCode: code, wallMs, scenarios: readScenarios(jsonFile), output };
}

export interface SuiteRun {
  label: string;
  /** Variables of this run only (HARNESS_FAULT, HARNESS_VARIANTS, …). */
  env: Record<string, string>;
  /** A tag expression selecting the scenarios to run (default: all). */
  tags?: string;
}

/**
 * The suite once per entry of `runs`, in worker processes that each load the support code once
 * (support/runner). Same options as `npm test` (support/cucumber-profile.ts), with a JSON file per
 * run instead of the progress bar, and each run's Allure results in <workDir>/allure/<label>.
 */
export async function sweepSuite(runs: SuiteRun[], opts: { workDir: string; workers?: number; onDone?: (r: RunResult) => void }): Promise<RunResult[]> {
  mkdirSync(opts.workDir, { recursive: true });
  const specs: RunSpec[] = runs.map((run) => {
    const jsonFile = join(opts.workDir, `${run.label}.json`);
    rmSync(jsonFile, { force: true });
    const resultsDir = join(opts.workDir, 'allure', run.label);
    const env = { ...process.env, ...run.env, ALLURE_RESULTS_DIR: resultsDir };
    // The profile's writer instance cannot cross IPC; the worker makes its own (unflushedAllureWriter).
    const { writer: _writer, ...formatOptions } = cucumberProfile(env, ROOT).formatOptions;
    const profile = { ...cucumberProfile(env, ROOT), formatOptions };
    return {
      label: run.label,
      env: { ...run.env, ALLURE_RESULTS_DIR: resultsDir, ...runLabels(env) },
      startResultsDir: resultsDir,
      cucumber: {
        ...profile,
        unflushedAllureWriter: true,
        ...(run.tags ? { tags: run.tags } : {}),
        format: [['json', jsonFile], ['allure-cucumberjs/reporter', join(opts.workDir, `${run.label}.allure.log`)]],
      },
    };
  });
  const toRun = (r: SweepResult): RunResult => ({
    label: r.label,
    exitCode: r.success ? 0 : 1,
    wallMs: r.wallMs,
    scenarios: readScenarios(join(opts.workDir, `${r.label}.json`)),
    output: [r.output, r.error ?? ''].filter(Boolean).join('\n'),
  });
  const results = await sweep(specs, { entry: workerEntry(), cwd: ROOT, workers: opts.workers, onDone: opts.onDone && ((r) => opts.onDone!(toRun(r))) });
  return results.map(toRun);
}

function readScenarios(jsonFile: string): ScenarioResult[] {
  try {
    return (JSON.parse(readFileSync(jsonFile, 'utf8')) as JsonFeature[]).flatMap(toResults);
  } catch {
    // No JSON means cucumber failed before running anything; the exit code and output say why.
    return [];
  }
}

function toResults(feature: JsonFeature): ScenarioResult[] {
  return (feature.elements ?? [])
    .filter((e) => e.type === 'scenario')
    .map((e) => {
      const steps = [...(e.before ?? []), ...(e.steps ?? []), ...(e.after ?? [])];
      const statuses = steps.map((s) => s.result?.status ?? 'undefined');
      const failed = steps.find((s) => ['failed', 'undefined', 'ambiguous', 'pending'].includes(s.result?.status ?? 'undefined'));
      const skipped = !failed && statuses.includes('skipped');
      return {
        id: `${feature.uri}:${e.line}`,
        name: e.name,
        tags: [...(feature.tags ?? []), ...(e.tags ?? [])].map((t) => t.name),
        steps: (e.steps ?? []).filter((st) => st.keyword && st.keyword.trim() !== 'Before' && st.keyword.trim() !== 'After').map((st) => `${st.keyword}${st.name ?? ''}`),
        passed: !failed,
        skipped,
        error: failed?.result?.error_message?.split('\n').slice(0, 3).join(' | '),
      };
    });
}

/** Run `tasks` with at most `limit` at a time, keeping their order in the result. */
export async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  });
  await Promise.all(workers);
  return results;
}

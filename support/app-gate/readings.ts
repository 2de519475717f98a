// The readings of one `fch app test`: one Cucumber run per documented reading, each with a fresh
// simulator and a fresh app, in one sweep worker; what each run left in its folder (Cucumber JSON,
// coverage, timing, crashes, the quiet grace) read back as a VariantRun.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMPILED, PACKAGE_ROOT, supportFiles } from '../package-paths';
import { readCucumberJson, type GateScenarioResult } from '../report/cucumber-results';
import { emptyCoverage } from '../report/gate-coverage';
import type { VariantRun } from '../report/gate-summary';
import { sweep, workerEntry, type SweepResult } from '../runner/pool';
import type { RunSpec } from '../runner/protocol';
import { GraceSummary } from '../schemas/conversation';
import type { ReadingPlan } from './shard-plan';

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

function graceOf(raw: unknown): { grace?: GraceSummary } {
  const parsed = GraceSummary.safeParse(raw);
  return parsed.success ? { grace: parsed.data } : {};
}

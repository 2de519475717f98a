// The suite's Cucumber options, for the CLI (cucumber.js) and for sweeps that run the suite many
// times in one process (npm run check, npm run bench): both must run exactly the same thing.
// Settings come from the environment, so CI and local runs differ only in variables.
import UnflushedWriter from './allure-writer';
import { join } from 'node:path';
import { resultsDirOf } from './results-dir';
import { JUNIT_IN_RESULTS, shardOf } from './shard';

/** Run-wide Allure labels: the reporter copies every ALLURE_LABEL_<name> variable onto each result, at no cost per scenario. */
export function runLabels(env: NodeJS.ProcessEnv): Record<string, string> {
  return {
    ALLURE_LABEL_mode: env.HARNESS_MODE === 'live' ? 'live' : 'mock',
    ALLURE_LABEL_variant: env.HARNESS_VARIANTS || 'default',
    ...(env.HARNESS_FAULT ? { ALLURE_LABEL_fault: env.HARNESS_FAULT } : {}),
    ALLURE_LABEL_epic: 'FreeClimb conference lifecycle',
  };
}

/** The suite's support code, in load order. */
export const SUITE_REQUIRE = ['support/world.ts', 'support/hooks.ts', 'steps/**/*.ts'];
export const SUITE_PATHS = ['features/**/*.feature'];
export const SUITE_REQUIRE_MODULE = ['ts-node/register/transpile-only'];

/**
 * The options of one run under `env`: the mode, variants, fault and results dir it names. `format`
 * is the progress bar plus the Allure formatter; a sweep replaces the progress bar with a JSON file.
 */
export function cucumberProfile(env: NodeJS.ProcessEnv, cwd: string = process.cwd()) {
  const mode = env.HARNESS_MODE === 'live' ? 'live' : 'mock';
  const shard = shardOf(env);
  // A shard's JUnit goes into its results folder, so one CI artifact carries both (fch report merges them).
  const junit: [string, string][] = shard ? [['junit', join(resultsDirOf(env, cwd), JUNIT_IN_RESULTS)]] : [];
  return {
    ...(shard ? { shard: `${shard.index}/${shard.total}` } : {}),
    requireModule: SUITE_REQUIRE_MODULE,
    require: SUITE_REQUIRE,
    paths: SUITE_PATHS,
    // The Allure formatter writes its own files; its stdout stream goes to a log so `progress` owns the terminal.
    format: ['progress', 'allure-cucumberjs/reporter:reports/allure-formatter.log', ...junit] as (string | [string, string])[],
    formatOptions: {
      resultsDir: resultsDirOf(env, cwd),
      writer: new UnflushedWriter({ resultsDir: resultsDirOf(env, cwd) }),
      // Clause stories ("C14 — <title>") and clause labels are set per scenario in support/hooks.ts,
      // which knows the catalog; a tag pattern could only copy the bare id.
      labels: [{ pattern: [/^@fault:(.+)$/], name: 'tag' }],
      // Written to categories.json: the report's Categories tab groups failures by what went wrong.
      categories: [
        { name: 'Conformance failures', messageRegex: '.*ConformanceError.*|.*expected:.*', matchedStatuses: ['failed', 'broken'] },
        { name: 'Callback timeouts', messageRegex: '.*WaitTimeoutError.*|.*timed out after.*|.*gave up after.*', matchedStatuses: ['failed', 'broken'] },
        { name: 'Invalid PerCL or webhooks', messageRegex: '.*problem\\(s\\) that no step asserted on.*', matchedStatuses: ['failed', 'broken'] },
      ],
      environmentInfo: {
        mode,
        variants: env.HARNESS_VARIANTS || 'default',
        fault: env.HARNESS_FAULT || 'none',
        node: process.version,
        apiBaseUrl: env.FREECLIMB_API_BASE_URL || 'https://www.freeclimb.com/apiserver',
      },
    },
  };
}


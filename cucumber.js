// Cucumber profiles. `default` is mock mode (no credentials, no network); `live` runs the same
// features against a real account, skipping what only the simulator can do. Settings come from
// the environment so CI and local runs differ only in variables.
// The config is plain JS loaded by the CLI before `requireModule` applies, so the TS helper needs
// the same loader registered here (the later registration finds it cached).
require('ts-node/register/transpile-only');
const { resultsDirOf, startResults } = require('./support/report/results-dir');

const mode = process.env.HARNESS_MODE === 'live' ? 'live' : 'mock';
const resultsDir = resultsDirOf();
// One run per results dir: the Cucumber CLI loads this file once per run (workers do not), so it
// empties the dir here; old results would otherwise show up as retries of new ones. With
// HARNESS_KEEP_RESULTS=1 it appends (a mock and a live run in one report). Observations
// (support/report/observations.ts) go into the same dir, so they are emptied with it.
startResults(resultsDir, { root: __dirname });

// Run-wide Allure labels: the reporter copies every ALLURE_LABEL_<name> variable onto each result,
// which costs nothing per scenario (unlike runtime label calls).
process.env.ALLURE_LABEL_mode = mode;
process.env.ALLURE_LABEL_variant = process.env.HARNESS_VARIANTS || 'default';
if (process.env.HARNESS_FAULT) process.env.ALLURE_LABEL_fault = process.env.HARNESS_FAULT;
process.env.ALLURE_LABEL_epic = 'FreeClimb conference lifecycle';

const common = {
  requireModule: ['ts-node/register/transpile-only'],
  require: ['support/world.ts', 'support/hooks.ts', 'steps/**/*.ts'],
  paths: ['features/**/*.feature'],
  // The Allure formatter writes its own files; its stdout stream goes to a log so `progress` owns the terminal.
  format: ['progress', 'allure-cucumberjs/reporter:reports/allure-formatter.log'],
  formatOptions: {
    resultsDir,
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
      variants: process.env.HARNESS_VARIANTS || 'default',
      fault: process.env.HARNESS_FAULT || 'none',
      node: process.version,
      apiBaseUrl: process.env.FREECLIMB_API_BASE_URL || 'https://www.freeclimb.com/apiserver',
    },
  },
};

// No tag filters: @mock-only / @live-only scenarios run into a Before hook that skips them with the
// reason attached, so the report shows what a mode did not check and why.
module.exports = {
  default: { ...common },
  live: { ...common },
};

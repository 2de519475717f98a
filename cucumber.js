// Cucumber profiles. `default` is mock mode (no credentials, no network); `live` runs the same
// features against a real account, skipping what only the simulator can do. The options themselves
// are in support/cucumber-profile.ts, shared with the sweeps of `npm run check` and `npm run bench`.
// The config is plain JS loaded by the CLI before `requireModule` applies, so the TS helper needs
// the same loader registered here (the later registration finds it cached).
require('ts-node/register/transpile-only');
const { resultsDirOf, startResults } = require('./support/results-dir');
const { cucumberProfile, runLabels } = require('./support/cucumber-profile');

// One run per results dir: the Cucumber CLI loads this file once per run (workers do not), so it
// empties the dir here; old results would otherwise show up as retries of new ones. With
// HARNESS_KEEP_RESULTS=1 it appends (a mock and a live run in one report). Observations
// (support/report/observations.ts) go into the same dir, so they are emptied with it.
// A shard (`--shard 2/3`, or HARNESS_SHARD from a CI job) is told to the support code, the workers
// and the results dir through HARNESS_SHARD: shards on one machine then write to folders of their own.
const { parseShard, shardArg } = require('./support/shard');
const shard = shardArg(process.argv) ?? process.env.HARNESS_SHARD;
if (shard) process.env.HARNESS_SHARD = `${parseShard(shard).index}/${parseShard(shard).total}`;
startResults(resultsDirOf(), { root: __dirname });
Object.assign(process.env, runLabels(process.env));

// No tag filters: @mock-only / @live-only scenarios run into a Before hook that skips them with the
// reason attached, so the report shows what a mode did not check and why.
const profile = cucumberProfile(process.env, __dirname);
module.exports = {
  default: { ...profile },
  live: { ...profile },
};

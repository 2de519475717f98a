// The `shards` self-check stage (issue 16): three shards of `npm test` and three shards of the
// example app's `fch app test` under four readings, each merged with `fch report DIR…`, must give what
// one unsharded run gives: the same scenario × reading set with the same verdicts, in one report
// (the Allure report's test cases, the merged JUnit). The unsharded runs are made here, in the
// same stage, on the same machine. No shard's output may hold a credential.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pool, ROOT } from './lib/cucumber-run';
import { compiledFch } from './lib/compiled';
import { runProcess } from './lib/exec';
import { copyExample, CONFERENCE_LINE, exampleAppEnv } from './lib/example-app';
import { SAMPLE_SEED, sampleReadings, variantArgs } from './lib/reading-sample';
import { credentialNeedles, findSecrets } from './lib/secrets';
import type { StageResult } from './lib/stage';
import { MOCK_DEFAULTS } from '../support/config';
import { freePort } from '../support/free-port';
import { junitCounts, parseJunit } from '../support/report/junit-merge';

const CUCUMBER = join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
const SHARDS = [1, 2, 3];
// Two jobs at a time: the machines have two cores, and each gate job also runs the app.
const CONCURRENCY = 2;
// The gate is sharded over (reading, scenario) pairs. Six readings (the default and a seeded
// sample) give each of the three shards two whole readings, as all of them did, at a quarter of the
// cost: every reading is already gated by the app-gate stage. Whole readings, because the example
// keeps state across the scenarios of a reading, so a reading split between two app processes
// exercises other webhooks (the same verdicts, other coverage counts) and the merged summary would
// rightly differ from the unsharded one.
const GATE_READINGS = sampleReadings(5);

interface Job {
  label: string;
  code: number;
  output: string;
  wallMs: number;
  /** Where its Allure results went. */
  results: string;
}

/** historyId → status of every Allure result in `dir` (the variant is a parameter, so it is part of the id). */
function verdicts(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('-result.json'))) {
    const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { historyId: string; status: string };
    out.set(r.historyId, r.status);
  }
  return out;
}

/** Where two verdict maps differ, at most a few lines. */
function differences(want: Map<string, string>, got: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [id, status] of want) if (got.get(id) !== status) lines.push(`${id}: unsharded ${status}, merged ${got.get(id) ?? 'missing'}`);
  for (const id of got.keys()) if (!want.has(id)) lines.push(`${id}: only in the merged report`);
  return lines.slice(0, 5);
}

/** (reading, scenario id, status) of a runs.json, sorted. */
function gatePairs(file: string): string[] {
  const runs = JSON.parse(readFileSync(file, 'utf8')) as { label: string; scenarios: { id: string; status: string }[] }[];
  return runs.flatMap((r) => r.scenarios.map((s) => `${r.label} ${s.id} ${s.status}`)).sort();
}

async function timed(label: string, results: string, run: () => Promise<{ code: number; output: string }>): Promise<Job> {
  const started = Date.now();
  const { code, output } = await run();
  return { label, code, output, wallMs: Date.now() - started, results };
}

export async function shardsStage(workDir: string): Promise<StageResult> {
  const stage = 'shards';
  const detail: string[] = [];
  let ok = true;
  const expect = (what: string, pass: boolean, info: string[] = []) => {
    if (!pass) ok = false;
    detail.push(`${pass ? 'ok  ' : 'FAIL'} ${what}`, ...info.map((l) => `     ${l}`));
  };
  const java = await runProcess('java', ['-version']);
  if (java.code !== 0) {
    const missing = 'java is missing (fch report runs the Allure CLI on it): install it with `apt-get install -y default-jre-headless`';
    if (process.env.CI) return { stage, ok: false, detail: [missing] };
    return { stage, ok: true, skipped: true, detail: [missing, 'skipped outside CI (set CI=true to make this a failure; `bash .ci/run` installs it)'] };
  }
  const work = join(workDir, 'shards');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // The gate runs and the merges start the package compiled, like the app-gate stage's runs.
  const compiled = await compiledFch(workDir);
  if (!compiled.ok) return { stage, ok: false, detail: ['the compiled copy of the package did not build:', compiled.output.trim().split('\n').slice(-15).join('\n     ')] };
  const fch = compiled.command;
  const started = Date.now();

  // The suite: results dirs given explicitly, as a CI job would; the shard-specific default is unit-tested.
  const env = { ...process.env };
  for (const k of ['HARNESS_SHARD', 'HARNESS_KEEP_RESULTS', 'ALLURE_RESULTS_DIR']) delete env[k];
  const suiteDir = (name: string) => join(work, 'suite', `${name}-results`);
  const suiteJob = (name: string, args: string[]) => () => timed(`suite ${name}`, suiteDir(name), () => runProcess(process.execPath, [CUCUMBER, ...args], { ...env, ALLURE_RESULTS_DIR: suiteDir(name) }));
  // The gate: each run in its own copy of the example, on its own port; a shard's results go to its default dir.
  const gateJob = (name: string, args: string[], results: string) => async () => {
    const dir = join(work, 'gate', name);
    copyExample(dir, CONFERENCE_LINE);
    const port = await freePort();
    return timed(`gate ${name}`, join(dir, results), () =>
      runProcess(fch[0], [...fch.slice(1), 'app', 'test', ...CONFERENCE_LINE.gateArgs, ...variantArgs(GATE_READINGS), ...args], { ...env, ...exampleAppEnv(port, CONFERENCE_LINE) }, dir),
    );
  };
  // Longest first, so the two slots end together.
  const jobs = [
    gateJob('unsharded', [], join('reports', 'allure-results')),
    ...SHARDS.map((i) => gateJob(`shard-${i}`, ['--shard', `${i}/3`], join('reports', `allure-results-shard-${i}of3`))),
    suiteJob('unsharded', []),
    ...SHARDS.map((i) => suiteJob(`shard-${i}`, ['--shard', `${i}/3`])),
  ];
  const [gateAll, ...rest] = await pool(CONCURRENCY, jobs);
  const gateShards = rest.slice(0, 3);
  const [suiteAll, ...suiteShards] = rest.slice(3);
  for (const j of [gateAll, ...gateShards, suiteAll, ...suiteShards]) writeFileSync(join(work, `${j.label.replace(/\s+/g, '-')}.log`), j.output);
  const failedJobs = [gateAll, ...gateShards, suiteAll, ...suiteShards].filter((j) => j.code !== 0);
  expect('every run and shard exits 0', failedJobs.length === 0, failedJobs.map((j) => `${j.label}: exit ${j.code}: ${j.output.trim().split('\n').slice(-3).join(' | ')}`));

  // One `fch report` per merge, each in a project folder of its own; both at once.
  const merge = (name: string, shards: Job[]) => {
    const project = join(work, name, 'merge');
    mkdirSync(project, { recursive: true });
    return runProcess(fch[0], [...fch.slice(1), 'report', ...shards.map((s) => s.results)], env, project).then((r) => ({ ...r, project }));
  };
  const reportStarted = Date.now();
  const [suiteMerge, gateMerge] = await Promise.all([merge('suite', suiteShards), merge('gate', gateShards)]);
  const reportMs = Date.now() - reportStarted;
  for (const [name, m] of [['suite', suiteMerge], ['gate', gateMerge]] as const) {
    writeFileSync(join(work, `${name}-report.log`), m.output);
    expect(`fch report of the ${name}'s 3 shards exits 0: ${m.output.trim().split('\n').pop()?.slice(0, 200)}`, m.code === 0);
  }

  for (const [name, all, merged] of [['suite', suiteAll, suiteMerge], ['gate', gateAll, gateMerge]] as const) {
    const reports = join(merged.project, 'reports');
    const want = verdicts(all.results);
    const got = existsSync(join(reports, 'allure-results-merged')) ? verdicts(join(reports, 'allure-results-merged')) : new Map<string, string>();
    const diff = differences(want, got);
    expect(`${name}: the merged results hold the unsharded run's ${want.size} results with the same verdicts (${[...want.values()].filter((s) => s !== 'passed').length} not passed)`, want.size > 0 && diff.length === 0, diff);
    const cases = existsSync(join(reports, 'allure-report', 'data', 'test-cases')) ? readdirSync(join(reports, 'allure-report', 'data', 'test-cases')).length : 0;
    expect(`${name}: one report: ${cases} test cases in the Allure report for ${want.size} results`, cases === want.size);
    const junitFile = join(reports, 'junit.xml');
    const junit = existsSync(junitFile) ? junitCounts(parseJunit(readFileSync(junitFile, 'utf8'))) : undefined;
    // The gate's coverage result is no scenario; every other result is one JUnit test case.
    const scenarios = name === 'gate' ? want.size - 1 : want.size;
    const notPassed = [...want.values()].filter((s) => s === 'failed' || s === 'broken').length;
    expect(`${name}: one merged reports/junit.xml with ${junit?.tests ?? 0} tests (${junit?.failures ?? 0} failed, ${junit?.skipped ?? 0} skipped) for ${scenarios} scenario runs`, junit?.tests === scenarios && junit.failures === notPassed, junit ? [] : ['no reports/junit.xml']);
    expect(`${name}: reports/conformance.html written`, existsSync(join(reports, 'conformance.html')));
  }

  // The gate's own files: the same (reading, scenario, verdict) set and the same summary as unsharded.
  const gateDir = (name: string) => join(work, 'gate', name, 'reports', 'app-gate');
  const mergedGate = join(gateMerge.project, 'reports', 'app-gate');
  if (existsSync(join(gateDir('unsharded'), 'runs.json')) && existsSync(join(mergedGate, 'runs.json'))) {
    const want = gatePairs(join(gateDir('unsharded'), 'runs.json'));
    const got = gatePairs(join(mergedGate, 'runs.json'));
    const shardPairs = gateShards.map((j) => Number(/shard \d\/3: (\d+) of/.exec(j.output)?.[1] ?? 0));
    expect(
      `gate: the shards ran ${shardPairs.join(' + ')} = ${shardPairs.reduce((a, b) => a + b, 0)} (reading, scenario) pairs; merged runs.json has the unsharded ${want.length} with the same verdicts`,
      want.length > 0 && JSON.stringify(want) === JSON.stringify(got) && shardPairs.reduce((a, b) => a + b, 0) === want.length,
    );
    const same = readFileSync(join(gateDir('unsharded'), 'summary.txt'), 'utf8') === readFileSync(join(mergedGate, 'summary.txt'), 'utf8');
    expect('gate: the merged summary (coverage, table, findings) is the unsharded one, line for line', same);
  } else expect('gate: runs.json of the unsharded run and of the merge exist', false);

  // Every shard's output, the unsharded runs and the merged reports.
  const leaks = findSecrets([work], credentialNeedles(MOCK_DEFAULTS.accountId, MOCK_DEFAULTS.apiKey, MOCK_DEFAULTS.signingSecret));
  expect('no credential in any shard\'s output, the unsharded runs or the merged reports', leaks.length === 0, leaks.slice(0, 5));

  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const longest = Math.max(...gateShards.map((j) => j.wallMs));
  detail.push(
    `gate under ${GATE_READINGS.join(', ')} (seed ${SAMPLE_SEED}): unsharded ${s(gateAll.wallMs)}; shards ${gateShards.map((j) => s(j.wallMs)).join(', ')} (longest ${s(longest)}, ${((longest / gateAll.wallMs) * 100).toFixed(0)}% of unsharded)`,
    `suite: unsharded ${s(suiteAll.wallMs)}; shards ${suiteShards.map((j) => s(j.wallMs)).join(', ')}`,
    `runs ${CONCURRENCY} at a time on this machine (in CI each shard has a machine of its own); both merges and reports ${s(reportMs)}; stage ${s(Date.now() - started)}`,
  );
  return { stage, ok, detail };
}

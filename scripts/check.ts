// `npm run check`: the project's own tests. It proves the suite can fail, not only that it passes:
//  - type check and unit tests;
//  - the mock suite, green;
//  - every fault turns exactly the scenarios that declare it (tag expression) red, and no others;
//  - every variant (documented alternative reading) keeps the whole suite green;
//  - clause and claim coverage: every catalog clause has a scenario, and every atomic claim is
//    proven: a fault that breaks it turns a scenario of its clause red (exact claims), every
//    reading stays green (ambiguous claims), or named unit tests prove it (the harness's own checks),
//    in a stage that ran in this check (scripts/lib/claim-gate.ts): a stage left out with --skip or
//    --only leaves its claims "not proven in this check", listed with why, and the summary names
//    every stage left out;
//  - extra stages registered by later issues (live mode against the simulator's HTTP server).
// Usage: npm run check [-- --only <stage>[,<stage>]] [-- --skip <stage>[,<stage>]] [-- --fault <name>[,<name>]] [-- --variant <axis=option>]
//                      [-- --work-dir <dir>]  (default reports/self-check)  [-- --transport http|in-process]
//                      [-- --readings all|sample]  (the app gate's correct runs under every reading, or the default and a seeded sample)
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import parseTags from '@cucumber/tag-expressions';
import { CLAUSES, uncheckable } from '../features/clauses';
import { FAULT_NAMES, faultCatches, stepsCatch, type FaultName } from '../support/simulator/faults';
import { allVariantSettings } from '../support/simulator/variants';
import { ROOT, runCucumber, sweepSuite, type RunResult, type ScenarioResult } from './lib/cucumber-run';
import { EXTRA_STAGES } from './check-stages';
import { LIVE_FAULTS_FILE } from './live-faults';
import { checkClaims, type FaultOutcomes, type LiveOutcomes, type Proof, type VariantOutcomes } from './lib/claim-gate';
import { runProcess } from './lib/exec';
import { compiledFch } from './lib/compiled';
import { failedTests } from './lib/tap-failures';
import { readingsMode } from './lib/reading-sample';
import type { StageResult } from './lib/stage';

const CONCURRENCY = 2;
// Fault and variant sweeps test the simulator's behaviour, not the wire: by default they hand the
// same signed requests over in process (HARNESS_TRANSPORT=in-process); `--transport http` runs them
// over nock and loopback HTTP like `npm test`. The faults below run over HTTP as well in every check,
// and must turn exactly the same scenarios red both ways: the ones about signatures, credentials and
// error bodies, where the transport could matter most, and two about callback order and content.
const PARITY_FAULTS: FaultName[] = ['bad-signature', 'stale-signature', 'unsigned-webhooks', 'auth-not-enforced', 'error-body-missing', 'terminated-before-empty', 'no-recording-report'];

const args = process.argv.slice(2);
const argValue = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
// A second run of some stages (CI repeats the live proof on Node 24) writes its own folder, so it
// leaves the first run's results and summary in place.
const WORK = resolve(ROOT, argValue('--work-dir') ?? join('reports', 'self-check'));
const only = argValue('--only')?.split(',');
// `--skip report`: CI runs `npm run report` and `npm run report:check` as steps of their own after
// the check, on the results of its `npm test`, so the stage would only repeat them.
const skip = argValue('--skip')?.split(',') ?? [];
const wants = (stage: string) => (!only || only.includes(stage)) && !skip.includes(stage);
/** Why a stage is left out of this check, as the summary says it. */
const whyNotRun = (stage: string): string | undefined =>
  skip.includes(stage) ? `not run: --skip ${skip.join(',')}` : only && !only.includes(stage) ? `not run: --only ${only.join(',')}` : undefined;
// Every stage, in the order the summary lists the ones left out.
const STAGES = ['typecheck', 'unit', 'suite', 'faults', 'variants', 'clauses', ...Object.keys(EXTRA_STAGES)];
const SWEEP_TRANSPORT = argValue('--transport') ?? 'in-process';

async function main(): Promise<number> {
  // A misspelt stage would silently run, or leave out, something else than asked.
  const unknown = [...(only ?? []), ...skip].filter((stage) => !STAGES.includes(stage));
  if (unknown.length) {
    console.error(`npm run check: unknown stage(s) ${unknown.join(', ')}; the stages: ${STAGES.join(', ')}`);
    return 2;
  }
  try {
    readingsMode(args);
  } catch (e) {
    console.error(`npm run check: ${(e as Error).message}`);
    return 2;
  }
  mkdirSync(WORK, { recursive: true });
  const results: StageResult[] = [];
  const t0 = Date.now();

  // Each stage's wall time goes into the summary (npm run bench reads it).
  const timed = async (stage: Promise<StageResult>): Promise<StageResult> => {
    const started = Date.now();
    const result = await stage;
    return { ...result, wallMs: Date.now() - started };
  };
  // The live proof spends most of its time waiting on real time (the simulator's server runs 20×
  // faster than the wall clock, but calls still take their time), so it runs beside the other
  // stages, which keep both cores busy, instead of after them.
  const extras = Object.entries(EXTRA_STAGES).filter(([name]) => wants(name));
  // So do the live fault runs (stage live-faults) and the live app gate runs (stage app-live), for the same reason.
  const beside = new Map(extras.filter(([name]) => name === 'live' || name === 'live-faults' || name === 'app-live').map(([name, stage]) => [name, timed(stage(WORK))]));
  // The gate stages' compiled copy of the package is built now, beside the type check (one core
  // each); they wait for it. A failure is reported by them (the catch only marks it handled here).
  if (wants('app-gate') || wants('shards') || wants('explore')) compiledFch(WORK).catch(() => undefined);
  if (wants('typecheck')) results.push(await timed(command('typecheck', process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', ROOT])));
  if (wants('unit')) {
    // Two test files at a time (Node's default on two cores is one): each file is its own process.
    const tests = ['--test', '--test-concurrency=2', '--require', 'ts-node/register/transpile-only', ...listTests()];
    results.push(await timed(command('unit', process.execPath, tests)));
  }

  let baseline: RunResult | undefined;
  if (wants('suite') || wants('clauses') || wants('faults')) {
    const started = Date.now();
    baseline = await runCucumber({ label: 'suite', workDir: WORK });
    const failed = baseline.scenarios.filter((s) => !s.passed);
    results.push({
      stage: 'suite',
      ok: baseline.exitCode === 0 && failed.length === 0 && baseline.scenarios.length > 0,
      detail: [`${baseline.scenarios.length} scenarios, ${failed.length} failed, ${(baseline.wallMs / 1000).toFixed(1)} s`, ...failed.map(explain), ...(baseline.scenarios.length ? [] : [tail(baseline.output)])],
      wallMs: Date.now() - started,
    });
  }
  let faults: FaultOutcomes | undefined;
  let variants: VariantOutcomes | undefined;
  if (baseline && wants('faults')) {
    const started = Date.now();
    const run = await checkFaults(baseline.scenarios);
    results.push({ ...run.stage, wallMs: Date.now() - started });
    faults = run.outcomes;
  }
  if (wants('variants')) {
    const started = Date.now();
    const run = await checkVariants();
    results.push({ ...run.stage, wallMs: Date.now() - started });
    variants = run.outcomes;
  }
  const unitOk = results.find((r) => r.stage === 'unit')?.ok;
  // The claim gate also judges live proof, so it waits for the live fault runs when they are part of this check.
  const live = beside.has('live-faults') ? (await beside.get('live-faults'), readLiveFaults()) : undefined;
  // A claim counts as proven only by a stage that ran here; one left out leaves its claims unproven, with why.
  const notRun: Proof['notRun'] = {};
  for (const stage of ['unit', 'faults', 'variants', 'live-faults'] as const) {
    const why = whyNotRun(stage) ?? (stage === 'faults' && !faults ? 'did not run' : undefined);
    if (why) notRun[stage] = why;
  }
  const narrowed = { faults: argValue('--fault'), variants: argValue('--variant') };
  if (baseline && wants('clauses')) results.push(checkClauses(baseline.scenarios, { faults, variants, unitOk, live, notRun, narrowed }));
  // The other extra stages start now; the ones running beside are awaited last, so that a long live
  // proof never holds back the stages after it (on Node 24 CI runs unit, live and app-gate alone).
  for (const [name, stage] of extras) if (!beside.has(name)) results.push(await timed(stage(WORK)));
  for (const [name] of extras) if (beside.has(name)) results.push(await beside.get(name)!);

  // Every stage left out is listed with why, so a passing check never looks like a full one.
  const notRunStages = STAGES.filter((stage) => !results.some((r) => r.stage === stage));
  for (const stage of notRunStages) results.push({ stage, ok: true, skipped: true, detail: [whyNotRun(stage) ?? 'not run: nothing in this check needed it'] });

  const ok = results.every((r) => r.ok);
  const lines = results.flatMap((r) => [`${r.skipped ? 'SKIP' : r.ok ? 'PASS' : 'FAIL'}  ${r.stage}${r.wallMs === undefined ? '' : ` (${(r.wallMs / 1000).toFixed(1)} s)`}`, ...r.detail.map((d) => `      ${d}`)]);
  const leftOut = notRunStages.length ? `; not run: ${notRunStages.join(', ')} (${[...new Set(notRunStages.map((st) => whyNotRun(st)?.replace(/^not run: /, '') ?? 'not needed'))].join('; ')})` : '';
  lines.push(`${ok ? 'check passed' : 'check FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s${leftOut}`);
  writeFileSync(join(WORK, 'summary.txt'), lines.join('\n') + '\n');
  writeFileSync(join(WORK, 'summary.json'), JSON.stringify(results, null, 2));
  console.log(lines.join('\n'));
  return ok ? 0 : 1;
}

function listTests(): string[] {
  return readdirSync(join(ROOT, 'test')).filter((f) => f.endsWith('.test.ts')).map((f) => join('test', f));
}

async function command(stage: string, cmd: string, cmdArgs: string[]): Promise<StageResult> {
  const started = Date.now();
  const { code, output } = await runProcess(cmd, cmdArgs);
  const summary = output.split('\n').filter((l) => /^# (tests|pass|fail)/.test(l)).join(', ');
  const failures = failedTests(output);
  const detail = [`${summary || 'done'} (${((Date.now() - started) / 1000).toFixed(1)} s)`, ...failures];
  // Without a named failure (a crash, a type error) the end of the output says what happened.
  if (code !== 0 && failures.length === 0) detail.push(tail(output, 40));
  return { stage, ok: code === 0, detail };
}



function explain(s: ScenarioResult): string {
  return `${s.id} ${s.name}${s.error ? ` — ${s.error.slice(0, 300)}` : ''}`;
}

function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n      ');
}

function readLiveFaults(): LiveOutcomes | undefined {
  try {
    return (JSON.parse(readFileSync(join(WORK, LIVE_FAULTS_FILE), 'utf8')) as { faults: LiveOutcomes }).faults;
  } catch {
    return undefined;
  }
}

/**
 * Every clause has a scenario (or a reason why not), every clause tag names a real clause, and
 * every atomic claim is proven by something that can fail it (see features/clauses.ts).
 */
function checkClauses(scenarios: ScenarioResult[], proof: Proof): StageResult {
  const used = new Map<string, number>();
  const unknown = new Set<string>();
  const ids = new Set(CLAUSES.map((c) => c.id));
  for (const s of scenarios) {
    for (const tag of s.tags.filter((t) => t.startsWith('@clause:'))) {
      const id = tag.slice('@clause:'.length);
      if (!ids.has(id)) unknown.add(`${tag} on ${s.id}`);
      used.set(id, (used.get(id) ?? 0) + 1);
    }
  }
  const uncovered = CLAUSES.filter((c) => !uncheckable(c) && !used.has(c.id)).map((c) => `${c.id} "${c.title}" has no scenario`);
  const untagged = scenarios.filter((s) => !s.tags.some((t) => t.startsWith('@clause:'))).map((s) => `${s.id} has no @clause tag`);
  const claims = checkClaims(proof);
  const lines = [
    ...CLAUSES.map((c) => `${c.id} ${uncheckable(c) ? `uncheckable: ${uncheckable(c)}` : `${used.get(c.id) ?? 0} scenario(s)`}`),
    '',
    ...claims.lines,
  ];
  writeFileSync(join(WORK, 'clause-coverage.txt'), lines.join('\n') + '\n');
  writeFileSync(join(WORK, 'claim-proof.json'), JSON.stringify({ claims: claims.proofs }, null, 2));
  const problems = [...uncovered, ...unknown, ...untagged, ...claims.problems];
  return {
    stage: 'clauses',
    ok: problems.length === 0,
    detail: [
      `${CLAUSES.length} clauses, ${CLAUSES.filter((c) => uncheckable(c)).length} uncheckable, ${used.size} covered by scenarios`,
      claims.summary,
      ...claims.notes,
      ...problems,
    ],
  };
}

/** Each fault must turn red exactly the scenarios its tag expression selects. */
async function checkFaults(baseline: ScenarioResult[]): Promise<{ stage: StageResult; outcomes: FaultOutcomes }> {
  const selected = argValue('--fault');
  const faults = selected ? (selected.split(',') as FaultName[]) : FAULT_NAMES;
  const eligible = baseline.filter((s) => !s.skipped);
  const declared = new Set(baseline.flatMap((s) => s.tags.filter((t) => t.startsWith('@fault:')).map((t) => t.slice(7))));
  const detail: string[] = [];
  let ok = true;
  for (const name of declared) {
    if (!(FAULT_NAMES as string[]).includes(name)) {
      ok = false;
      detail.push(`@fault:${name} names no fault`);
    }
  }
  // Webhooks arrive within milliseconds in mock mode, and a wait gives up as soon as the simulator
  // is idle; the short timeout is only the backstop for a run that never goes idle.
  const parity = SWEEP_TRANSPORT === 'http' ? [] : PARITY_FAULTS.filter((f) => faults.includes(f));
  const all = await sweepSuite(
    [
      ...faults.map((fault) => ({ label: `fault-${fault}`, env: { HARNESS_FAULT: fault, HARNESS_TIMEOUT_MS: '1500', HARNESS_TRANSPORT: SWEEP_TRANSPORT } })),
      ...parity.map((fault) => ({ label: `fault-${fault}-over-http`, env: { HARNESS_FAULT: fault, HARNESS_TIMEOUT_MS: '1500', HARNESS_TRANSPORT: 'http' } })),
    ],
    { workDir: WORK, workers: CONCURRENCY },
  );
  const runs = all.slice(0, faults.length);
  let caught = 0;
  const outcomes: FaultOutcomes = new Map();
  runs.forEach((run, i) => {
    const fault = faults[i];
    const catches = faultCatches(fault);
    const expression = parseTags(catches.tags);
    const expected = new Set(eligible.filter((s) => expression.evaluate(s.tags) || stepsCatch(fault, s.steps)).map((s) => s.id));
    const failed = new Set(run.scenarios.filter((s) => !s.passed).map((s) => s.id));
    const missed = [...expected].filter((id) => !failed.has(id));
    const unexpected = run.scenarios.filter((s) => !s.passed && !expected.has(s.id));
    const good = expected.size > 0 && missed.length === 0 && unexpected.length === 0 && run.scenarios.length === baseline.length;
    if (good) caught += 1;
    else ok = false;
    outcomes.set(fault, { caught: good, red: run.scenarios.filter((s) => !s.passed) });
    const bySteps = [catches.steps ? ` or steps ${catches.steps}` : '', catches.repeated ? ` or ${catches.repeated.times}+ steps ${catches.repeated.pattern}` : ''].join('');
    detail.push(`${good ? 'caught' : 'WRONG '} ${fault}: ${failed.size}/${run.scenarios.length} red, ${expected.size} expected (${catches.tags}${bySteps})`);
    if (expected.size === 0) detail.push(`   no scenario declares it catches ${fault}`);
    for (const id of missed) detail.push(`   expected red but passed: ${id}`);
    for (const s of unexpected) detail.push(`   red but not declared: ${explain(s)}`);
    if (run.scenarios.length !== baseline.length) detail.push(`   ran ${run.scenarios.length} of ${baseline.length} scenarios: ${tail(run.output, 5)}`);
  });
  const redOf = (run: RunResult) => run.scenarios.filter((s) => !s.passed).map((s) => s.id).sort().join(' ');
  const differing = parity.filter((fault, i) => redOf(all[faults.length + i]) !== redOf(runs[faults.indexOf(fault)]) || all[faults.length + i].scenarios.length !== baseline.length);
  if (differing.length) ok = false;
  for (const fault of differing) detail.push(`   ${fault} turns other scenarios red over HTTP than in process`);
  detail.unshift(
    `${caught}/${faults.length} faults caught exactly (${SWEEP_TRANSPORT === 'http' ? 'over nock and loopback HTTP' : 'requests handed over in process'})`,
    ...(parity.length ? [`${parity.length - differing.length}/${parity.length} faults turn the same scenarios red over HTTP as in process (${parity.join(', ')})`] : []),
  );
  return { stage: { stage: 'faults', ok, detail }, outcomes };
}

/** Every documented reading must keep the suite green: the features do not over-specify. */
async function checkVariants(): Promise<{ stage: StageResult; outcomes: VariantOutcomes }> {
  const selected = argValue('--variant');
  const settings = selected ? [selected] : allVariantSettings();
  const runs = await sweepSuite(
    settings.map((v) => ({ label: `variant-${v.replace(/[^\w-]+/g, '_')}`, env: { HARNESS_VARIANTS: v, HARNESS_TRANSPORT: SWEEP_TRANSPORT } })),
    { workDir: WORK, workers: CONCURRENCY },
  );
  const detail: string[] = [];
  let ok = true;
  const outcomes: VariantOutcomes = new Map();
  runs.forEach((run, i) => {
    const failed = run.scenarios.filter((s) => !s.passed);
    const good = run.exitCode === 0 && failed.length === 0 && run.scenarios.length > 0;
    if (!good) ok = false;
    outcomes.set(settings[i], good);
    detail.push(`${good ? 'green' : 'RED  '} ${settings[i]}: ${run.scenarios.length} scenarios, ${failed.length} failed`);
    for (const s of failed) detail.push(`   ${explain(s)}`);
    if (run.scenarios.length === 0) detail.push(`   ${tail(run.output, 5)}`);
  });
  return { stage: { stage: 'variants', ok, detail: [`${settings.length} variant settings`, ...detail] }, outcomes };
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(2);
  },
);

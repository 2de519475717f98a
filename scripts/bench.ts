// `npm run bench`: how fast the mock suite is, against what cucumber itself costs.
//  1. wall time of the mock suite (default profile), median of 3;
//  2. baseline: cucumber-js with the same loader running as many empty scenarios, median of 3,
//     and the ratio suite / baseline (target ≤ 2.0, reported, not asserted);
//  3. median time per scenario of the suite, from cucumber's JSON step and hook durations;
//  4. simulated-time compression: an hour-long recorded conference in process, median of 5;
//  5. the call-flow diagram's cost: the suite again with HARNESS_FLOW_DIAGRAM=false, runs
//     alternating with the suite's, and the median over scenarios of the per-scenario difference;
//  6. the example app's gate: default reading (median of 3) and every reading, their ratio, and the
//     harness's own time per scenario without the app's answer time;
//  7. fch app explore: sequences per second on each example against the gate's cost per scenario,
//     and the time to the first finding of each seeded bug meant for the explorer.
// Writes reports/bench/bench.json and bench.md. Exits 1 only if something failed to run.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { median, scenarioDurationsMs, writeEmptySuite } from './lib/bench-baseline';
import { gateBench, type GateBench } from './lib/bench-app-gate';
import { benchRouting } from './lib/bench-routing';
import { exploreBench, exploreRows } from './lib/bench-explore';
import { AGENT_LINE, CONFERENCE_LINE } from './lib/example-app';
import { hourLongConference, type CompressionRun } from './lib/bench-compression';
import { ROOT, runCucumber, sweepSuite, type RunResult } from './lib/cucumber-run';

const WORK = join(ROOT, 'reports', 'bench');
const REPEATS = 3;
const COMPRESSION_REPEATS = 5;
const RATIO_TARGET = 2.0;
const OVERHEAD_RUNS = 4;
// Faults that turn many scenarios red and a few, so the overhead runs are not all alike.
const OVERHEAD_FAULTS = ['terminated-before-empty', 'no-creation-callback', 'bad-signature', 'no-recording-report'];

const failures: string[] = [];

async function cucumberRun(label: string, args: string[], expectScenarios?: number, env: NodeJS.ProcessEnv = {}, green = true): Promise<RunResult> {
  const run = await runCucumber({ label, workDir: WORK, args, env: { HARNESS_MODE: 'mock', ALLURE_RESULTS_DIR: join(WORK, 'allure', label), ...env } });
  // A run with a fault on is red on purpose; only its scenario count is checked.
  const failed = green ? run.scenarios.filter((s) => !s.passed) : [];
  const countOk = run.scenarios.length > 0 && (expectScenarios === undefined || run.scenarios.length === expectScenarios);
  if ((green && run.exitCode !== 0) || failed.length || !countOk) {
    failures.push(`${label}: exit ${run.exitCode}, ${run.scenarios.length} scenarios, ${failed.length} failed${failed[0] ? ` (${failed[0].id}: ${failed[0].error})` : ''}`);
    if (!run.scenarios.length) failures.push(run.output.split('\n').slice(-15).join('\n'));
  }
  process.stderr.write(`  ${label}: ${(run.wallMs / 1000).toFixed(2)} s, ${run.scenarios.length} scenarios\n`);
  return run;
}

async function cucumberRuns(kind: 'suite' | 'baseline', args: string[], expectScenarios?: number): Promise<RunResult[]> {
  const runs: RunResult[] = [];
  for (let i = 1; i <= REPEATS; i++) runs.push(await cucumberRun(`${kind}-${i}`, args, expectScenarios));
  return runs;
}

async function main(): Promise<number> {
  rmSync(join(WORK, 'allure'), { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });

  process.stderr.write('mock suite\n');
  const suite = await cucumberRuns('suite', []);
  const scenarios = suite[0].scenarios.length;

  process.stderr.write(`baseline: ${scenarios} empty scenarios\n`);
  const config = writeEmptySuite(join(WORK, 'baseline'), scenarios);
  // cucumber joins --config onto its cwd (ROOT), so the path must be relative.
  const baseline = await cucumberRuns('baseline', ['--config', relative(ROOT, config)], scenarios);

  const durations = suite.map((r) => scenarioDurationsMs(join(WORK, `${r.label}.json`)));
  const perScenario = durations.flat();
  // How much of the suite's wall time is spent inside scenarios (the rest is start-up and formatters).
  const inScenariosMs = median(durations.map((d) => d.reduce((a, b) => a + b, 0)));

  // The diagram is drawn inside each scenario's last step, so its cost is per scenario: the same
  // scenarios with and without it, alternating runs so that load on the machine hits both alike.
  process.stderr.write('call-flow diagram: the suite with and without it\n');
  const withDiagram: RunResult[] = [];
  const withoutDiagram: RunResult[] = [];
  for (let i = 1; i <= REPEATS; i++) {
    withDiagram.push(await cucumberRun(`diagram-on-${i}`, [], scenarios));
    withoutDiagram.push(await cucumberRun(`diagram-off-${i}`, [], scenarios, { HARNESS_FLOW_DIAGRAM: 'false' }));
  }
  const perScenarioMedians = (runs: RunResult[]) => {
    const d = runs.map((r) => scenarioDurationsMs(join(WORK, `${r.label}.json`)));
    return d[0].map((_v, i) => median(d.map((run) => run[i])));
  };
  const on = perScenarioMedians(withDiagram);
  const off = perScenarioMedians(withoutDiagram);
  const diagram = {
    medianOnMs: round(median(on), 2),
    medianOffMs: round(median(off), 2),
    addedPerScenarioMedianMs: round(median(on.map((v, i) => v - off[i])), 2),
    wallOnMs: round(median(withDiagram.map((r) => r.wallMs))),
    wallOffMs: round(median(withoutDiagram.map((r) => r.wallMs))),
  };

  // What a run costs on top of its scenarios: the same runs (the suite with a fault on, in-process
  // transport, as the self-check's sweeps run it) as separate processes, and in one sweep worker
  // that loads the support code once. Alternating kinds would not help here: each is one batch.
  process.stderr.write(`per-run overhead: ${OVERHEAD_RUNS} runs as processes, then in one sweep worker\n`);
  const sweepEnv = (i: number) => ({ HARNESS_TRANSPORT: 'in-process', HARNESS_FAULT: OVERHEAD_FAULTS[i % OVERHEAD_FAULTS.length], HARNESS_TIMEOUT_MS: '1500' });
  const asProcesses: RunResult[] = [];
  for (let i = 0; i < OVERHEAD_RUNS; i++) asProcesses.push(await cucumberRun(`overhead-process-${i + 1}`, [], undefined, sweepEnv(i), false));
  const sweepStarted = performance.now();
  const swept = await sweepSuite(Array.from({ length: OVERHEAD_RUNS }, (_v, i) => ({ label: `overhead-sweep-${i + 1}`, env: sweepEnv(i) })), { workDir: WORK, workers: 1 });
  const sweepWallMs = performance.now() - sweepStarted;
  for (const r of swept) if (r.scenarios.length !== scenarios) failures.push(`${r.label}: ${r.scenarios.length} scenarios of ${scenarios}`);
  const perRunProcessMs = asProcesses.reduce((n, r) => n + r.wallMs, 0) / OVERHEAD_RUNS;
  const perRunSweepMs = sweepWallMs / OVERHEAD_RUNS;
  const perRunSweepWarmMs = median(swept.slice(1).map((r) => r.wallMs));

  process.stderr.write('compression: hour-long recorded conference\n');
  const compression: CompressionRun[] = [];
  for (let i = 0; i < COMPRESSION_REPEATS; i++) {
    try {
      compression.push(await hourLongConference());
    } catch (e) {
      failures.push(`compression run ${i + 1}: ${(e as Error).message}`);
    }
  }

  process.stderr.write('app gate: the example app, default reading\n');
  const gateDefault: GateBench[] = [];
  for (let i = 1; i <= REPEATS; i++) gateDefault.push(await gateBench(join(WORK, `gate-default-${i}`), []));
  process.stderr.write('app gate: the example app, every reading\n');
  const gateAll = await gateBench(join(WORK, 'gate-all'), ['--all-variants']);
  for (const g of [...gateDefault, gateAll]) if (!g.ok) failures.push(`app gate (${g.runs} run(s)) did not pass: ${g.output.split('\n').slice(-5).join(' | ')}`);
  const gateDefaultMs = median(gateDefault.map((g) => g.wallMs));
  const gateRatio = gateAll.wallMs / (gateDefaultMs * gateAll.runs);
  const harnessPerScenario = [...gateDefault, gateAll].flatMap((g) => g.harnessMsPerScenario);

  // The app written as teams write them: the official SDK at its default URL, routed by the gate.
  process.stderr.write('app gate: agent-line (SDK routed), default reading, then every reading\n');
  const agentDefault: GateBench[] = [];
  for (let i = 1; i <= REPEATS; i++) agentDefault.push(await gateBench(join(WORK, `agent-default-${i}`), [], AGENT_LINE));
  const agentAll = await gateBench(join(WORK, 'agent-all'), ['--all-variants'], AGENT_LINE);
  for (const g of [...agentDefault, agentAll]) if (!g.ok) failures.push(`agent-line gate (${g.runs} run(s)) did not pass: ${g.output.split('\n').slice(-5).join(' | ')}`);
  const agentDefaultMs = median(agentDefault.map((g) => g.wallMs));
  // Issue 21: judging the app only when it is quiet, against gating as before (no probe, 1 ms
  // grace), alternating in the same run; and agent-line ending conferences after its answer.
  process.stderr.write('app gate: quiet against before, conference-line and agent-line, default reading\n');
  const quietRuns = { conferenceOn: [] as GateBench[], conferenceOff: [] as GateBench[], agentOn: [] as GateBench[], agentOff: [] as GateBench[], agentAfter: [] as GateBench[], agentDeferred: [] as GateBench[] };
  for (let i = 1; i <= REPEATS; i++) {
    quietRuns.conferenceOff.push(await gateBench(join(WORK, `quiet-conference-off-${i}`), [], CONFERENCE_LINE, { quiet: false }));
    quietRuns.conferenceOn.push(await gateBench(join(WORK, `quiet-conference-on-${i}`), [], CONFERENCE_LINE));
    quietRuns.agentOff.push(await gateBench(join(WORK, `quiet-agent-off-${i}`), [], AGENT_LINE, { quiet: false }));
    quietRuns.agentOn.push(await gateBench(join(WORK, `quiet-agent-on-${i}`), [], AGENT_LINE));
    quietRuns.agentAfter.push(await gateBench(join(WORK, `quiet-agent-after-${i}`), [], AGENT_LINE, { appEnv: 'REST_TIMING=after-answer' }));
    quietRuns.agentDeferred.push(await gateBench(join(WORK, `quiet-agent-deferred-${i}`), [], AGENT_LINE, { appEnv: 'REST_TIMING=deferred' }));
  }
  for (const [name, list] of Object.entries(quietRuns)) for (const g of list) if (!g.ok && !name.endsWith('Off')) failures.push(`quiet bench ${name} did not pass: ${g.output.split('\n').slice(-5).join(' | ')}`);
  const quiet = quietCost(quietRuns);
  process.stderr.write('routing: a routed REST request against a direct one\n');
  const routing = await benchRouting();
  // Issue 23: the explorer's sequences per second against the gate's cost per scenario (above, same run).
  process.stderr.write('app explore: sequences per second on each example, time to each seeded bug\n');
  const explore = await exploreBench(WORK);
  failures.push(...explore.failures);
  const gateMsPerScenario = gateDefaultMs / Math.max(1, gateDefault[0]?.scenarios ?? 1);

  const suiteMs = median(suite.map((r) => r.wallMs));
  const baselineMs = median(baseline.map((r) => r.wallMs));
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    scenarios,
    suite: { runsMs: suite.map((r) => round(r.wallMs)), medianMs: round(suiteMs) },
    baseline: { runsMs: baseline.map((r) => round(r.wallMs)), medianMs: round(baselineMs) },
    ratio: { value: round(suiteMs / baselineMs, 2), target: RATIO_TARGET, met: suiteMs / baselineMs <= RATIO_TARGET },
    perScenario: { medianMs: round(median(perScenario), 2), samples: perScenario.length, sumPerRunMedianMs: round(inScenariosMs) },
    diagram,
    compression: {
      runs: compression.map((c) => ({ realMs: round(c.realMs, 2), simulatedSec: c.simulatedSec, factor: Math.round(c.factor) })),
      medianRealMs: round(median(compression.map((c) => c.realMs)), 2),
      simulatedSec: compression[0]?.simulatedSec ?? null,
      medianFactor: Math.round(median(compression.map((c) => c.factor))),
    },
    perRun: {
      runs: OVERHEAD_RUNS,
      processMs: round(perRunProcessMs),
      sweepMs: round(perRunSweepMs),
      sweepWarmMedianMs: round(perRunSweepWarmMs),
      ratio: round(perRunProcessMs / perRunSweepMs, 2),
    },
    check: checkStages(baselineMs),
    appGate: {
      defaultRunsMs: gateDefault.map((g) => round(g.wallMs)),
      defaultMedianMs: round(gateDefaultMs),
      scenariosPerRun: gateDefault[0]?.scenarios ?? 0,
      allVariantsMs: round(gateAll.wallMs),
      settings: gateAll.runs,
      ratio: round(gateRatio, 2),
      perExtraReadingMs: gateAll.runs > 1 ? round((gateAll.wallMs - gateDefaultMs) / (gateAll.runs - 1)) : null,
      harnessMsPerScenarioMedian: round(median(harnessPerScenario), 2),
      samples: harnessPerScenario.length,
    },
    agentLine: {
      defaultRunsMs: agentDefault.map((g) => round(g.wallMs)),
      defaultMedianMs: round(agentDefaultMs),
      allVariantsMs: round(agentAll.wallMs),
      settings: agentAll.runs,
      routesPerDefaultRun: agentDefault[0]?.routes ?? {},
      routesAllVariants: agentAll.routes,
    },
    quiet,
    explore: { ...explore, gateMsPerScenario: round(gateMsPerScenario) },
    routing: { ...routing, routedMs: round(routing.routedMs, 3), directMs: round(routing.directMs, 3), directWithPreloadMs: round(routing.directWithPreloadMs, 3), ratio: round(routing.ratio, 2) },
    failures,
  };

  const rows: [string, string][] = [
    ['scenarios', String(scenarios)],
    [`mock suite wall time (median of ${REPEATS})`, `${(suiteMs / 1000).toFixed(2)} s`],
    [`baseline: ${scenarios} empty scenarios (median of ${REPEATS})`, `${(baselineMs / 1000).toFixed(2)} s`],
    [`ratio suite / baseline (target ≤ ${RATIO_TARGET.toFixed(1)})`, `${result.ratio.value.toFixed(2)}${result.ratio.met ? '' : '  (over target)'}`],
    ['median time per scenario (steps + hooks)', `${result.perScenario.medianMs.toFixed(2)} ms`],
    ['  of the suite wall time, spent inside scenarios', `${(inScenariosMs / 1000).toFixed(2)} s`],
    ['median scenario with / without the call-flow diagram', `${diagram.medianOnMs.toFixed(2)} ms / ${diagram.medianOffMs.toFixed(2)} ms`],
    ['  added per scenario by the diagram (median of per-scenario differences)', `${diagram.addedPerScenarioMedianMs.toFixed(2)} ms`],
    ['  suite wall time with / without it (medians)', `${(diagram.wallOnMs / 1000).toFixed(2)} s / ${(diagram.wallOffMs / 1000).toFixed(2)} s`],
    [`hour-long conference, real time (median of ${COMPRESSION_REPEATS})`, `${result.compression.medianRealMs.toFixed(1)} ms for ${result.compression.simulatedSec ?? '?'} s simulated`],
    ['simulated-time compression', `${result.compression.medianFactor.toLocaleString('en-US')}×`],
    [`example app gate, default reading (median of ${REPEATS}, ${result.appGate.scenariosPerRun} scenarios)`, `${(gateDefaultMs / 1000).toFixed(2)} s`],
    [`example app gate, --all-variants (${gateAll.runs} readings)`, `${(gateAll.wallMs / 1000).toFixed(2)} s`],
    ['ratio all-variants / (default × readings)', result.appGate.ratio.toFixed(2)],
    ['  each reading beyond the default (all-variants − default) / (readings − 1)', result.appGate.perExtraReadingMs === null ? 'n/a' : `${(result.appGate.perExtraReadingMs / 1000).toFixed(2)} s`],
    [`per run, as its own process (mean of ${OVERHEAD_RUNS}, a fault on, in-process transport)`, `${(perRunProcessMs / 1000).toFixed(2)} s`],
    [`per run, in one sweep worker (${OVERHEAD_RUNS} runs incl. the worker's start / warm median)`, `${(perRunSweepMs / 1000).toFixed(2)} s / ${(perRunSweepWarmMs / 1000).toFixed(2)} s`],
    ['  ratio process / sweep per run', result.perRun.ratio.toFixed(2)],
    [`agent-line gate (SDK at its default URL), default reading (median of ${REPEATS})`, `${(agentDefaultMs / 1000).toFixed(2)} s`],
    [`agent-line gate, --all-variants (${agentAll.runs} readings)`, `${(agentAll.wallMs / 1000).toFixed(2)} s`],
    ['  its REST requests by route, every reading', Object.entries(agentAll.routes).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'],
    [`conference-line scenario, quiet / before (medians of ${quiet.conference.scenarios} scenarios × ${REPEATS})`, `${quiet.conference.onMs.toFixed(1)} ms / ${quiet.conference.offMs.toFixed(1)} ms (${quiet.conference.ratio.toFixed(2)}×)`],
    ['  added per quiet wait (difference / median waits per scenario)', `${quiet.conference.addedPerWaitMs.toFixed(2)} ms over ${quiet.conference.waits} waits`],
    [`agent-line scenario, quiet / before (medians)`, `${quiet.agent.onMs.toFixed(1)} ms / ${quiet.agent.offMs.toFixed(1)} ms (${quiet.agent.ratio.toFixed(2)}×)`],
    ['  added per quiet wait', `${quiet.agent.addedPerWaitMs.toFixed(2)} ms over ${quiet.agent.waits} waits`],
    ['agent-line scenario, REST awaited / after the answer / from a 40 ms timer (medians)', `${quiet.agent.onMs.toFixed(1)} ms / ${quiet.agentAfterMs.toFixed(1)} ms / ${quiet.agentDeferredMs.toFixed(1)} ms`],
    ['  the before-issue-21 gate on agent-line: runs green', `${quiet.agentOffGreen}/${REPEATS} (it is not judged, only timed)`],
    [`REST request routed through the preload / direct (${routing.requests} requests, medians)`, `${routing.routedMs.toFixed(3)} ms / ${routing.directMs.toFixed(3)} ms (${routing.ratio.toFixed(2)}×)`],
    ...exploreRows(explore, gateMsPerScenario),
    ...result.check.rows,
    ["harness's own time per app-gate scenario (median, without the app's answer time)", `${result.appGate.harnessMsPerScenarioMedian.toFixed(2)} ms`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const table = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
  const md = ['# Benchmark', '', `${result.date}, Node ${result.node}`, '', '| measure | value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
  if (failures.length) md.push('', '## Failures', '', ...failures.map((f) => `- ${f.split('\n')[0]}`));

  writeFileSync(join(WORK, 'bench.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(WORK, 'bench.md'), `${md.join('\n')}\n`);
  process.stdout.write(`\n${table}\n\nwritten: reports/bench/bench.json, reports/bench/bench.md\n`);
  if (failures.length) process.stdout.write(`\nFAILED to run:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
  return failures.length ? 1 : 0;
}

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

/** Scenario medians with and without the quiet wait, and what one wait added. */
function quietCost(runs: Record<'conferenceOn' | 'conferenceOff' | 'agentOn' | 'agentOff' | 'agentAfter' | 'agentDeferred', GateBench[]>) {
  const ms = (list: GateBench[]) => median(list.flatMap((g) => g.scenarioMs));
  const pair = (on: GateBench[], off: GateBench[]) => {
    const [onMs, offMs] = [ms(on), ms(off)];
    const waits = median(on.flatMap((g) => g.quietWaits));
    return { onMs: round(onMs, 1), offMs: round(offMs, 1), ratio: round(onMs / offMs, 2), waits, addedPerWaitMs: round(waits ? (onMs - offMs) / waits : 0, 2), scenarios: on[0]?.scenarioMs.length ?? 0 };
  };
  return {
    conference: pair(runs.conferenceOn, runs.conferenceOff),
    agent: pair(runs.agentOn, runs.agentOff),
    agentAfterMs: round(ms(runs.agentAfter), 1),
    agentDeferredMs: round(ms(runs.agentDeferred), 1),
    agentOffGreen: runs.agentOff.filter((g) => g.ok).length,
  };
}

/**
 * The stages of the last `npm run check` (reports/self-check/summary.json), each as seconds and as
 * a multiple of the empty-suite floor measured in this run: the check itself takes minutes, so the
 * bench reads its timings instead of running it again.
 */
function checkStages(floorMs: number): { stages: { stage: string; ms: number; floors: number }[]; rows: [string, string][] } {
  const file = join(ROOT, 'reports', 'self-check', 'summary.json');
  if (!existsSync(file)) return { stages: [], rows: [['npm run check stages', 'no reports/self-check/summary.json: run npm run check first']] };
  const stages = (JSON.parse(readFileSync(file, 'utf8')) as { stage: string; wallMs?: number }[])
    .filter((s) => s.wallMs !== undefined)
    .map((s) => ({ stage: s.stage, ms: s.wallMs!, floors: round(s.wallMs! / floorMs, 1) }));
  const rows: [string, string][] = stages.map((s) => [`  npm run check stage ${s.stage} (last check; × empty-suite floor)`, `${(s.ms / 1000).toFixed(1)} s (${s.floors}×)`]);
  return { stages, rows: [['npm run check stages (live runs beside faults and variants)', ''], ...rows] };
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);

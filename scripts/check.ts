// `npm run check`: the project's own tests. It proves the suite can fail, not only that it passes:
//  - type check and unit tests;
//  - the mock suite, green;
//  - clause coverage: every catalog clause has a scenario, unless marked uncheckable;
//  - every fault turns exactly the scenarios that declare it (tag expression) red, and no others;
//  - every variant (documented alternative reading) keeps the whole suite green;
//  - extra stages registered by later issues (live mode against the simulator's HTTP server).
// Usage: npm run check [-- --only <stage>[,<stage>]] [-- --fault <name>] [-- --variant <axis=option>]
//                      [-- --work-dir <dir>]  (default reports/self-check)
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import parseTags from '@cucumber/tag-expressions';
import { CLAUSES } from '../features/clauses';
import { FAULT_NAMES, faultCatches, type FaultName } from '../support/simulator/faults';
import { allVariantSettings } from '../support/simulator/variants';
import { pool, ROOT, runCucumber, type RunResult, type ScenarioResult } from './lib/cucumber-run';
import { EXTRA_STAGES } from './check-stages';
import { runProcess } from './lib/exec';
import type { StageResult } from './lib/stage';

const CONCURRENCY = 2;

const args = process.argv.slice(2);
const argValue = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
// A second run of some stages (CI repeats the live proof on Node 24) writes its own folder, so it
// leaves the first run's results and summary in place.
const WORK = resolve(ROOT, argValue('--work-dir') ?? join('reports', 'self-check'));
const only = argValue('--only')?.split(',');
const wants = (stage: string) => !only || only.includes(stage);

async function main(): Promise<number> {
  mkdirSync(WORK, { recursive: true });
  const results: StageResult[] = [];
  const t0 = Date.now();

  if (wants('typecheck')) results.push(await command('typecheck', process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', ROOT]));
  if (wants('unit')) {
    const tests = ['--test', '--require', 'ts-node/register/transpile-only', ...listTests()];
    results.push(await command('unit', process.execPath, tests));
  }

  let baseline: RunResult | undefined;
  if (wants('suite') || wants('clauses') || wants('faults')) {
    baseline = await runCucumber({ label: 'suite', workDir: WORK });
    const failed = baseline.scenarios.filter((s) => !s.passed);
    results.push({
      stage: 'suite',
      ok: baseline.exitCode === 0 && failed.length === 0 && baseline.scenarios.length > 0,
      detail: [`${baseline.scenarios.length} scenarios, ${failed.length} failed, ${(baseline.wallMs / 1000).toFixed(1)} s`, ...failed.map(explain), ...(baseline.scenarios.length ? [] : [tail(baseline.output)])],
    });
  }
  if (baseline && wants('clauses')) results.push(checkClauses(baseline.scenarios));
  if (baseline && wants('faults')) results.push(await checkFaults(baseline.scenarios));
  if (wants('variants')) results.push(await checkVariants());
  for (const [name, stage] of Object.entries(EXTRA_STAGES)) if (wants(name)) results.push(await stage(WORK));

  const ok = results.every((r) => r.ok);
  const lines = results.flatMap((r) => [`${r.skipped ? 'SKIP' : r.ok ? 'PASS' : 'FAIL'}  ${r.stage}`, ...r.detail.map((d) => `      ${d}`)]);
  lines.push(`${ok ? 'check passed' : 'check FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
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
  return { stage, ok: code === 0, detail: [`${summary || 'done'} (${((Date.now() - started) / 1000).toFixed(1)} s)`, ...(code === 0 ? [] : [tail(output, 40)])] };
}

function explain(s: ScenarioResult): string {
  return `${s.id} ${s.name}${s.error ? ` — ${s.error.slice(0, 300)}` : ''}`;
}

function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n      ');
}

/** Every clause has a scenario (or a reason why not), and every clause tag names a real clause. */
function checkClauses(scenarios: ScenarioResult[]): StageResult {
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
  const uncovered = CLAUSES.filter((c) => !c.uncheckable && !used.has(c.id)).map((c) => `${c.id} "${c.title}" has no scenario`);
  const lines = CLAUSES.map((c) => `${c.id} ${c.uncheckable ? `uncheckable: ${c.uncheckable}` : `${used.get(c.id) ?? 0} scenario(s)`}`);
  writeFileSync(join(WORK, 'clause-coverage.txt'), lines.join('\n') + '\n');
  const untagged = scenarios.filter((s) => !s.tags.some((t) => t.startsWith('@clause:'))).map((s) => `${s.id} has no @clause tag`);
  const problems = [...uncovered, ...unknown, ...untagged];
  return {
    stage: 'clauses',
    ok: problems.length === 0,
    detail: [`${CLAUSES.length} clauses, ${CLAUSES.filter((c) => c.uncheckable).length} marked uncheckable, ${used.size} covered`, ...problems],
  };
}

/** Each fault must turn red exactly the scenarios its tag expression selects. */
async function checkFaults(baseline: ScenarioResult[]): Promise<StageResult> {
  const selected = argValue('--fault');
  const faults = selected ? [selected as FaultName] : FAULT_NAMES;
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
  const runs = await pool(
    CONCURRENCY,
    // Webhooks arrive within milliseconds in mock mode; a short wait keeps runs whose callbacks a
    // fault suppresses from idling on the default timeout.
    faults.map((fault) => () => runCucumber({ label: `fault-${fault}`, workDir: WORK, env: { HARNESS_FAULT: fault, HARNESS_TIMEOUT_MS: '1500' } })),
  );
  let caught = 0;
  runs.forEach((run, i) => {
    const fault = faults[i];
    const catches = faultCatches(fault);
    const expression = parseTags(catches.tags);
    const expected = new Set(eligible.filter((s) => expression.evaluate(s.tags) || s.steps.some((st) => catches.steps?.test(st))).map((s) => s.id));
    const failed = new Set(run.scenarios.filter((s) => !s.passed).map((s) => s.id));
    const missed = [...expected].filter((id) => !failed.has(id));
    const unexpected = run.scenarios.filter((s) => !s.passed && !expected.has(s.id));
    const good = expected.size > 0 && missed.length === 0 && unexpected.length === 0 && run.scenarios.length === baseline.length;
    if (good) caught += 1;
    else ok = false;
    detail.push(`${good ? 'caught' : 'WRONG '} ${fault}: ${failed.size}/${run.scenarios.length} red, ${expected.size} expected (${catches.tags}${catches.steps ? ` or steps ${catches.steps}` : ''})`);
    if (expected.size === 0) detail.push(`   no scenario declares it catches ${fault}`);
    for (const id of missed) detail.push(`   expected red but passed: ${id}`);
    for (const s of unexpected) detail.push(`   red but not declared: ${explain(s)}`);
    if (run.scenarios.length !== baseline.length) detail.push(`   ran ${run.scenarios.length} of ${baseline.length} scenarios: ${tail(run.output, 5)}`);
  });
  detail.unshift(`${caught}/${faults.length} faults caught exactly`);
  return { stage: 'faults', ok, detail };
}

/** Every documented reading must keep the suite green: the features do not over-specify. */
async function checkVariants(): Promise<StageResult> {
  const selected = argValue('--variant');
  const settings = selected ? [selected] : allVariantSettings();
  const runs = await pool(
    CONCURRENCY,
    settings.map((v) => () => runCucumber({ label: `variant-${v.replace(/[^\w-]+/g, '_')}`, workDir: WORK, env: { HARNESS_VARIANTS: v } })),
  );
  const detail: string[] = [];
  let ok = true;
  runs.forEach((run, i) => {
    const failed = run.scenarios.filter((s) => !s.passed);
    const good = run.exitCode === 0 && failed.length === 0 && run.scenarios.length > 0;
    if (!good) ok = false;
    detail.push(`${good ? 'green' : 'RED  '} ${settings[i]}: ${run.scenarios.length} scenarios, ${failed.length} failed`);
    for (const s of failed) detail.push(`   ${explain(s)}`);
    if (run.scenarios.length === 0) detail.push(`   ${tail(run.output, 5)}`);
  });
  return { stage: 'variants', ok, detail: [`${settings.length} variant settings`, ...detail] };
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(2);
  },
);

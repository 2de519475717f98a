// The `explore` self-check stage (issue 23, items 6 and 7): `fch app explore`, run compiled as a
// team's CI runs it, must find no finding in each correct example (--all-variants: the default
// reading with the budget, then a few sequences under every other reading), find
// each seeded bug that an example's bugs.json declares with `explore` with no feature file and with
// the declared invariant code, write a .feature the gate reproduces on the buggy app (the
// explorer's own gate check) that passes on the correct app (`fch app test` here), and give the
// same findings for the same seed twice: the second time from the packed tarball installed in a
// temporary project (scripts/lib/packed-install.ts, shared with the app-gate stage). Each run
// happens in a copy of the example (its own reports/), on a free port.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FindingsFile, type FindingsFile as Findings } from '../support/schemas/explore';
import { allVariantSettings } from '../support/simulator/variants';
import { freePort } from '../support/free-port';
import { BugsFile, type Bug } from './lib/bug-proof';
import { compiledFch } from './lib/compiled';
import { pool } from './lib/cucumber-run';
import { copyExample, EXAMPLES, exampleAppEnv, installExample, type Example } from './lib/example-app';
import { runProcess } from './lib/exec';
import { packedInstall } from './lib/packed-install';
import type { StageResult } from './lib/stage';

// Small budgets: the stage runs on every push. Three runs at a time, as the app-gate stage does: a
// run alternates between the explorer and its app, so two left the cores partly idle.
const CONCURRENCY = 3;
// Correct: 6 sequences under the default reading and one under each other reading (an app start
// each: conference-line under all 25 took 5.6 s of CPU); each example has its own seed.
const correctArgs = (seed: number) => ['--all-variants', '--runs', '6', '--time', '60', '--seed', String(seed), '--verify', 'off'];
const BUG_ARGS = ['--runs', '40', '--time', '60', '--seed', '1', '--exit-first', '--verify', 'default'];

interface Outcome {
  code: number;
  output: string;
  dir: string;
  findings?: Findings;
  wallMs: number;
}

export async function exploreStage(workDir: string): Promise<StageResult> {
  const detail: string[] = [];
  let ok = true;
  const expect = (what: string, pass: boolean, info: string[] = []) => {
    if (!pass) ok = false;
    detail.push(`${pass ? 'ok  ' : 'FAIL'} ${what}`, ...info.map((l) => `     ${l}`));
  };
  const work = join(workDir, 'explore');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // Packed and installed beside the compiled build and runs (or already, by the app-gate stage).
  const packing = packedInstall(join(workDir, 'app-gate', 'pack'));
  const compiled = await compiledFch(workDir);
  if (!compiled.ok) return { stage: 'explore', ok: false, detail: ['the compiled copy of the package did not build:', tail(compiled.output)] };
  const fch = compiled.command;
  for (const example of EXAMPLES) {
    const install = await installExample(example);
    if (!install.ok) return { stage: 'explore', ok: false, detail: [`examples/${example.name}: npm ci failed`, tail(install.output)] };
  }

  const bugs: { example: Example; bug: Bug & { explore: NonNullable<Bug['explore']> } }[] = [];
  for (const example of EXAMPLES) {
    const path = join(example.dir, 'bugs.json');
    if (!existsSync(path)) continue;
    const parsed = BugsFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) return { stage: 'explore', ok: false, detail: [`examples/${example.name}/bugs.json: ${parsed.error.issues.map((i) => `/${i.path.join('/')} ${i.message}`).join('; ')}`] };
    for (const bug of parsed.data.bugs) if (bug.explore) bugs.push({ example, bug: { ...bug, explore: bug.explore } });
  }

  const started = Date.now();
  const explore = (example: Example, label: string, args: string[], env: NodeJS.ProcessEnv = {}) => () => run(fch, example, join(work, label), [...exploreArgs(example), ...args], env);
  const correctJobs = EXAMPLES.map((example, i) => explore(example, `${example.name}-correct`, [...featureArgs(example), ...correctArgs(i + 1)]));
  // No feature file: the bug is found from nothing but the app (web triggers are not needed by these).
  // Each written feature then goes on the correct app (the gate must pass it), in the same slot:
  // no slot waits for the slowest exploration before the gate runs start.
  const onCorrect: ({ code: number; output: string } | undefined)[] = [];
  const bugJobs = bugs.map(({ example, bug }, i) => async () => {
    const outcome = await explore(example, `${example.name}-bug-${bug.name}`, BUG_ARGS, { APP_BUG: bug.name })();
    const f = outcome.findings?.findings.find((x) => x.code === bug.explore.code && x.feature);
    if (f) onCorrect[i] = await gateOnCorrect(fch, example, join(work, `${example.name}-bug-${bug.name}-on-correct`), join(outcome.dir, 'reports', 'app-explore', f.feature!));
    return outcome;
  });
  const first = bugs[0];
  // The same seed again, from the packed tarball installed in a temporary project: the same findings.
  let packedProblem: string | undefined;
  const again = first
    ? [async () => {
        const packed = await packing;
        if (!packed.ok) {
          packedProblem = `${packed.problem}: ${tail(packed.output, 8)}`;
          return { code: -1, output: packedProblem, dir: '', wallMs: 0 };
        }
        // In the temporary project, as a team that installed the package runs it.
        return run([process.execPath, packed.fchBin], first.example, join(packed.project, `explore-${first.example.name}`), [...exploreArgs(first.example), ...BUG_ARGS], { APP_BUG: first.bug.name });
      }]
    : [];
  // The packed run last: the pack and install go on beside the others.
  const outcomes = await pool<Outcome>(CONCURRENCY, [...bugJobs, ...correctJobs, ...again]);
  const bugOutcomes = outcomes.slice(0, bugJobs.length);
  const correctOutcomes = outcomes.slice(bugJobs.length, bugJobs.length + correctJobs.length);
  const againOutcome = first ? outcomes[bugJobs.length + correctJobs.length] : undefined;

  EXAMPLES.forEach((example, i) => {
    const o = correctOutcomes[i];
    const f = o.findings;
    expect(
      `${example.name}, correct: no finding in ${f?.sequences ?? '?'} sequences (${f?.actions ?? '?'} actions, ${f?.appStarts ?? '?'} app starts) under ${f?.variants.length ?? '?'} readings, ${(o.wallMs / 1000).toFixed(1)} s: ${f ? `${f.variants.join(', ')} (seed ${f.seed})` : ''}`,
      o.code === 0 && !!f && f.findings.length === 0 && f.variants.length === allVariantSettings().length + 1 && f.sequences > 0,
      f ? f.findings.map((x) => `${x.code} at ${x.where} (${x.variant}): ${x.message.split('\n')[0]}`) : [tail(o.output)],
    );
  });

  bugs.forEach(({ example, bug }, i) => {
    const o = bugOutcomes[i];
    const found = o.findings?.findings.find((x) => x.code === bug.explore.code);
    const correct = onCorrect[i];
    expect(
      `${example.name}: bug ${bug.name} found with no feature file as ${bug.explore.code}${found ? ` after ${(found.foundAfterMs / 1000).toFixed(1)} s, ${found.actions.length} action(s) after shrinking` : ''} (the run: ${(o.wallMs / 1000).toFixed(1)} s); its .feature fails on the buggy app (the gate: ${found?.gate?.readings ?? 'not run'}) and passes on the correct one`,
      o.code === 1 && !!found && !!found.feature && found.gate?.reproduced === true && correct?.code === 0,
      [
        ...(found ? [] : [`not found as ${bug.explore.code}: ${o.findings ? o.findings.findings.map((x) => x.code).join(', ') || 'no finding' : tail(o.output)}`]),
        ...(found && !found.feature ? [`no feature kept: ${found.gate?.readings ?? ''}`] : []),
        ...(correct && correct.code !== 0 ? [`on the correct app (exit ${correct.code}): ${tail(correct.output, 8)}`] : []),
      ],
    );
  });

  if (first && againOutcome) {
    const key = (f?: Findings) => JSON.stringify(f?.findings.map((x) => ({ code: x.code, where: x.where, replay: x.replay, actions: x.actions, people: x.people })));
    const a = key(bugOutcomes[0].findings);
    expect(
      `the same seed gives the same findings twice (${first.example.name}, ${first.bug.name}), the second time from the packed tarball installed in a temporary project (${(againOutcome.wallMs / 1000).toFixed(1)} s)`,
      !!bugOutcomes[0].findings && a === key(againOutcome.findings) && againOutcome.code === 1,
      packedProblem ? [packedProblem] : [a, key(againOutcome.findings), ...(againOutcome.findings ? [] : [tail(againOutcome.output)])],
    );
  }
  const packed = await packing;
  detail.unshift(`${outcomes.length} explorations (compiled fch, built in ${(compiled.wallMs / 1000).toFixed(1)} s; packed and installed in ${(packed.wallMs / 1000).toFixed(1)} s, by this stage or the app-gate stage) and ${onCorrect.filter(Boolean).length} gate runs on the correct apps in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { stage: 'explore', ok, detail };
}

/** The example's own options: conference-line's rooms are where callers wait for each other, legitimately. */
function exploreArgs(example: Example): string[] {
  return example.name === 'conference-line' ? ['--check', 'caller-left-alone=off'] : [];
}

/** Feature paths the explorer reads for web triggers and people (agent-line's click-to-call form). */
function featureArgs(example: Example): string[] {
  return example.gateArgs.filter((a) => !a.startsWith('--'));
}

async function run(fch: string[], example: Example, dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  copyExample(dir, example);
  const port = await freePort();
  const started = Date.now();
  const { code, output } = await runProcess(fch[0], [...fch.slice(1), 'app', 'explore', ...args], { ...process.env, ...exampleAppEnv(port, example), ...env }, dir);
  let findings: Findings | undefined;
  try {
    findings = FindingsFile.parse(JSON.parse(readFileSync(join(dir, 'reports', 'app-explore', 'findings.json'), 'utf8')));
  } catch {
    // No findings.json: the output says why.
  }
  return { code, output, dir, findings, wallMs: Date.now() - started };
}

async function gateOnCorrect(fch: string[], example: Example, dir: string, feature: string): Promise<{ code: number; output: string }> {
  copyExample(dir, example);
  const port = await freePort();
  return runProcess(fch[0], [...fch.slice(1), 'app', 'test', feature, '--no-builtin'], { ...process.env, ...exampleAppEnv(port, example) }, dir);
}

const tail = (text: string, n = 15) => text.trim().split('\n').slice(-n).join('\n     ');

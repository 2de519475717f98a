// The `app-gate` self-check stage (issues 7 and 14): the gate must pass each correct example app
// (scripts/lib/example-app.ts) under every documented reading, catch each seeded bug in exactly the
// scenarios and readings that the example's bugs.json declares, each for its declared reason and with
// every other scenario green (scripts/lib/bug-proof.ts), treat an app that never started as a setup
// error, and work from another project that installed the packed tarball. Each gate run happens in a copy of the example app (its own
// reports/ and port).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pool, ROOT } from './lib/cucumber-run';
import { compiledFch } from './lib/compiled';
import { runProcess } from './lib/exec';
import { routingProof } from './lib/routing-proof';
import { packedInstall } from './lib/packed-install';
import { CONFERENCE_LINE, copyExample, EXAMPLES, exampleAppEnv, installExample, PYTHON_LINE, type Example } from './lib/example-app';
import { freePort } from '../support/free-port';
import { credentialNeedles, findSecrets } from './lib/secrets';
import { MOCK_DEFAULTS } from '../support/config';
import type { StageResult } from './lib/stage';
import { bugProblems, bugReadings, BugsFile, firstLine, isGateBug, Runs, type Bug, type GateOutcome, type Run } from './lib/bug-proof';
import { readingsMode, SAMPLE_SEED, sampleReadings, variantArgs } from './lib/reading-sample';

// Three gate runs at a time: a run alternates between its Cucumber worker and its app, so two
// left part of the two cores idle (the stage took 127 s with two, 115 s with three).
const CONCURRENCY = 3;
// No example knows this bug; each must refuse to start with it.
const UNKNOWN_BUG = 'no-such-bug';

export async function appGateStage(workDir: string): Promise<StageResult> {
  const detail: string[] = [];
  let ok = true;
  const expect = (what: string, pass: boolean, info: string[] = []) => {
    if (!pass) ok = false;
    detail.push(`${pass ? 'ok  ' : 'FAIL'} ${what}`, ...info.map((l) => `     ${l}`));
  };
  const work = join(workDir, 'app-gate');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });

  const bugsOf = new Map<Example, Bug[]>();
  for (const example of EXAMPLES) {
    if (example.npm) {
      const install = await installExample(example);
      if (!install.ok) return { stage: 'app-gate', ok: false, detail: [`examples/${example.name}: npm ci failed`, tail(install.output)] };
    }
    if (!example.bugs) continue;
    const bugsPath = join(example.dir, 'bugs.json');
    if (!existsSync(bugsPath)) return { stage: 'app-gate', ok: false, detail: [`${bugsPath} is missing`] };
    const parsed = BugsFile.safeParse(JSON.parse(readFileSync(bugsPath, 'utf8')));
    if (!parsed.success) return { stage: 'app-gate', ok: false, detail: [`examples/${example.name}/bugs.json: ${parsed.error.issues.map((i) => `/${i.path.join('/')} ${i.message}`).join('; ')}`] };
    // Bugs meant only for the explorer declare no scenarios; the explore stage proves them.
    bugsOf.set(example, parsed.data.bugs.filter(isGateBug));
  }

  // The gate runs start the package compiled, as a team's CI does (scripts/lib/compiled.ts).
  const compiled = await compiledFch(workDir);
  if (!compiled.ok) return { stage: 'app-gate', ok: false, detail: ['the compiled copy of the package did not build:', tail(compiled.output)] };
  const started = Date.now();
  // The routing proof mostly waits on four small app processes: it runs beside the gate runs.
  const routingRun = routingProof();
  // Each correct app under every reading; each bug under the default reading and the readings it
  // declares (a bug declared for every reading is proven on the default one).
  // Each example also starts once with an APP_BUG it does not know: the app must refuse to start and
  // the checker must call that a setup error, not a catch (a typo in a bug's name proves nothing).
  // An example with REST_TIMING modes is also gated, correct and with the bugs that declare them,
  // with its REST requests after its answer (issue 21): the same verdicts are required.
  // The REST_TIMING modes run the default reading and a seeded sample of the others (a different
  // stretch per mode): what they prove is that the verdict does not follow the timing, and the
  // awaited run already covers every reading. `--readings sample` (CI's Node 24 repeat) samples the
  // correct runs too.
  const mode = readingsMode();
  const correctArgs = mode === 'all' ? ['--all-variants'] : variantArgs(sampleReadings(3));
  const timingReadings = (slot: number) => (mode === 'all' ? sampleReadings(3, slot + 1) : sampleReadings(3));
  if (mode === 'sample') detail.push(`readings sampled (--readings sample, seed ${SAMPLE_SEED}): the correct apps under ${sampleReadings(3).join(', ')}`);
  const jobs: { example: Example; label: string; args: string[]; env: NodeJS.ProcessEnv; bug?: Bug; unknownBug?: boolean; timing?: string }[] = EXAMPLES.flatMap((example) => [
    { example, label: `${example.name}-correct`, args: correctArgs, env: {} },
    ...(example.restTimings ?? []).map((timing, slot) => ({ example, label: `${example.name}-correct-${timing}`, args: variantArgs(timingReadings(slot)), env: { REST_TIMING: timing }, timing })),
    ...(bugsOf.get(example) ?? []).flatMap((bug) =>
      [undefined, ...(bug.restTimings ?? [])].map((timing) => ({
        example,
        label: `${example.name}-bug-${bug.name}${timing ? `-${timing}` : ''}`,
        args: bugReadings(bug).flatMap((v) => ['--variant', v]),
        env: { APP_BUG: bug.name, ...(timing ? { REST_TIMING: timing } : {}) },
        bug,
        timing,
      })),
    ),
    { example, label: `${example.name}-unknown-bug`, args: ['--variant', 'default'], env: { APP_BUG: UNKNOWN_BUG }, unknownBug: true },
  ]);
  // The packaged gate (npm pack with its build, npm install, two gates, fch report) is the longest
  // job: it starts first, in the same slots, so that no slot idles at the end. python-line's
  // readings run from the repository's TypeScript (ts-node), as `npm run fch` does in a checkout,
  // so that path stays proven too; it costs one start-up, since its readings share one worker.
  const fromSources = [process.execPath, join(ROOT, 'bin', 'fch.js')];
  const gateTasks = jobs.map((job) => () => gate(job.example, join(work, job.label), job.args, job.env, job.example === PYTHON_LINE ? fromSources : compiled.command));
  const [packagedRun, ...gateRuns] = await pool<PackagedOutcome | GateOutcome>(CONCURRENCY, [() => packagedGate(work), ...gateTasks]);
  const packaged = packagedRun as PackagedOutcome;
  const outcomes = gateRuns as GateOutcome[];
  detail.push(`${jobs.length} gate runs (python-line from the TypeScript sources, the others compiled, built in ${(compiled.wallMs / 1000).toFixed(1)} s) and the packaged gate in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  for (const example of EXAMPLES) {
    const i = jobs.findIndex((j) => j.example === example && !j.bug && !j.unknownBug && !j.timing);
    const correct = outcomes[i];
    const red = correct.runs.flatMap((r) => r.scenarios.filter((s) => s.status !== 'passed').map((s) => `${r.label}: ${s.name} — ${firstLine(s.error)}`));
    const scenarioCount = correct.runs[0]?.scenarios.length ?? 0;
    // A crash restarts the app and could pass unseen: the correct app must never die.
    const crashed = correct.runs.filter((r) => r.crashes.length > 0).map((r) => `${r.label}: the app crashed in ${r.crashes.map((c) => `"${c}"`).join(', ')}`);
    expect(
      `${example.name}, correct: ${correct.runs.length} readings × ${scenarioCount} scenarios green, no crash`,
      correct.code === 0 && correct.runs.length > 1 && scenarioCount > 0 && red.length === 0 && crashed.length === 0,
      [...red, ...crashed, ...(correct.runs.length ? [] : [tail(correct.output)])],
    );
    const reports = join(work, jobs[i].label, 'reports');
    // The app is given the simulator's credentials; none may reach a report, a diagram or a log.
    const leaks = findSecrets([reports], credentialNeedles(MOCK_DEFAULTS.accountId, MOCK_DEFAULTS.apiKey, MOCK_DEFAULTS.signingSecret));
    expect(`${example.name}: no credential in the reports of the correct run (Allure results, conversations, app output, JUnit)`, leaks.length === 0, leaks);
    const attached = conversationsInSteps(join(reports, 'allure-results'));
    expect(
      `${example.name}: every Allure result of the correct run carries its conversation (JSON and diagram) in the test body: ${attached.withBoth}/${attached.scenarios}`,
      attached.scenarios === correct.runs.reduce((n, r) => n + r.scenarios.length, 0) && attached.withBoth === attached.scenarios,
    );
  }

  // The same app with its REST requests after its answers: judged exactly as the awaited one.
  jobs.forEach((job, i) => {
    if (!job.timing || job.bug) return;
    const base = outcomes[jobs.findIndex((j) => j.example === job.example && !j.bug && !j.unknownBug && !j.timing)];
    const outcome = outcomes[i];
    // Compared reading by reading, on the sample this mode ran (seed SAMPLE_SEED); each sampled reading must have run.
    const sampled = timingReadings(job.example.restTimings!.indexOf(job.timing as 'after-answer' | 'deferred'));
    const verdicts = (o: GateOutcome) => new Map(o.runs.filter((r) => sampled.includes(r.label)).flatMap((r) => r.scenarios.map((s) => [`${r.label}: ${s.name}`, s.status] as const)));
    const [want, got] = [verdicts(base), verdicts(outcome)];
    const missing = sampled.filter((label) => !outcome.runs.some((r) => r.label === label) || !base.runs.some((r) => r.label === label));
    const differ = [...new Set([...want.keys(), ...got.keys()])].filter((k) => want.get(k) !== got.get(k)).map((k) => `${k}: ${want.get(k) ?? 'absent'} when REST is awaited, ${got.get(k) ?? 'absent'} with REST_TIMING=${job.timing}`);
    const crashed = outcome.runs.filter((r) => r.crashes.length > 0).map((r) => `${r.label}: crashed in ${r.crashes.join(', ')}`);
    expect(
      `${job.example.name}, REST_TIMING=${job.timing} (REST requests ${job.timing === 'deferred' ? 'from a timer' : 'right'} after the answer): the same ${got.size} verdicts as with REST awaited, under ${sampled.join(', ')} (seed ${SAMPLE_SEED})`,
      outcome.code === base.code && differ.length === 0 && got.size === want.size && got.size > 0 && crashed.length === 0 && missing.length === 0,
      [...differ, ...crashed, ...missing.map((label) => `reading ${label} did not run`), ...(outcome.runs.length ? [] : [tail(outcome.output)])],
    );
  });

  let onlyNonDefault = 0;
  jobs.forEach((job, i) => {
    const outcome = outcomes[i];
    if (job.unknownBug) {
      // The app's own refusal (exit 2, naming the bugs it knows) and the checker's verdict on it.
      const verdict = bugProblems({ name: UNKNOWN_BUG, description: '', variants: 'all', scenarios: [{ feature: 'any', scenario: 'any', reason: 'any' }] }, outcome);
      const refused = /APP_BUG="[^"]*" is not a seeded bug; known: /.test(outcome.output) && /exit code 2/.test(outcome.output);
      expect(`${job.example.name}: APP_BUG=${UNKNOWN_BUG} keeps the app from starting (exit 2, naming the known bugs) and is a setup error, not a catch`, refused && !!verdict.setup, refused ? [] : [tail(outcome.output)]);
      return;
    }
    if (!job.bug) return;
    const bug = job.bug;
    const { setup, problems } = bugProblems(bug, outcome);
    const nonDefault = bug.variants !== 'all' && !bug.variants.includes('default');
    const exact = !setup && problems.length === 0;
    if (nonDefault && exact) onlyNonDefault += 1;
    const red = bug.scenarios.length;
    const crashes = bug.crashes ? `, ${bug.crashes} crash(es) per reading` : '';
    expect(
      `${job.example.name}: bug ${bug.name}${job.timing ? ` (REST_TIMING=${job.timing})` : ''} caught exactly${nonDefault ? ` only under ${(bug.variants as string[]).join(', ')}` : ''}: its ${red} declared scenario(s) red for their reasons, the others green${crashes}`,
      exact,
      setup ? [setup] : problems,
    );
  });
  expect(`${onlyNonDefault} bug(s) caught only under a non-default reading (at least 2 required)`, onlyNonDefault >= 2);

  // The official SDKs (1.x, 2.x), a plain fetch and a Python urllib app, unmodified, reach the
  // simulator through the gate's routes (the preload, the HTTPS proxy).
  const routing = await routingRun;
  expect(`apps at FreeClimb's default URL reach the simulator: ${routing.detail.length} checks`, routing.ok, routing.ok ? [] : routing.detail);

  expect(`packaged gate from a temporary project: ${packaged.summary}`, packaged.ok, packaged.info);
  return { stage: 'app-gate', ok, detail };
}

/** Allure results (not the coverage result) and how many hold conversation.json and .html inside their steps. */
function conversationsInSteps(dir: string): { scenarios: number; withBoth: number } {
  type Node = { name?: string; attachments?: { name: string }[]; steps?: Node[] };
  const names = (n: Node): string[] => [...(n.attachments ?? []).map((a) => a.name), ...(n.steps ?? []).flatMap(names)];
  const results = readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Node)
    .filter((r) => r.name !== 'app gate coverage');
  const withBoth = results.filter((r) => (r.steps ?? []).flatMap(names).filter((n) => n === 'conversation.json' || n === 'conversation.html').length >= 2).length;
  return { scenarios: results.length, withBoth };
}

/** `fch app test` in a fresh copy of the example app, on a free port. */
async function gate(example: Example, dir: string, args: string[], env: NodeJS.ProcessEnv, fch: string[]): Promise<GateOutcome> {
  copyExample(dir, example);
  const port = await freePort();
  const { code, output } = await runProcess(fch[0], [...fch.slice(1), 'app', 'test', ...example.gateArgs, ...args], { ...process.env, ...exampleAppEnv(port, example), ...env }, dir);
  writeFileSync(join(dir, 'gate-output.txt'), output);
  let runs: Run[] = [];
  try {
    runs = Runs.parse(JSON.parse(readFileSync(join(dir, 'reports', 'app-gate', 'runs.json'), 'utf8')));
  } catch {
    // The gate stopped before any run; its output says why.
  }
  return { code, output, runs };
}

/** npm pack, install the tarball in a project outside the repository, run the gate from there. */
interface PackagedOutcome {
  ok: boolean;
  summary: string;
  info: string[];
}

async function packagedGate(work: string): Promise<PackagedOutcome> {
  // Shared with the explore stage (scripts/lib/packed-install.ts): packed and installed once per check.
  const packed = await packedInstall(join(work, 'pack'));
  if (!packed.ok) return { ok: false, summary: packed.problem!, info: [tail(packed.output)] };
  const { tarball, project, cucumbers, fchBin } = packed;
  const greens: string[] = [];
  const info: string[] = [];
  for (const example of EXAMPLES.filter((e) => e.packaged)) {
    const outcome = await gate(example, join(project, example.name), [], {}, [process.execPath, fchBin]);
    const run = outcome.runs[0];
    const green = outcome.code === 0 && !!run && run.scenarios.length > 0 && run.scenarios.every((s) => s.status === 'passed');
    greens.push(`${example.name} ${green ? `${run.scenarios.length} scenarios green` : 'FAILED'}`);
    if (!green) info.push(`${example.name}: ${tail(outcome.output)}`);
  }
  const report = await installedReport(join(project, CONFERENCE_LINE.name), fchBin);
  if (cucumbers.length !== 1) info.push(`expected one @cucumber/cucumber, found ${cucumbers.length}: ${cucumbers.join(', ')}`);
  if (!report.ok) info.push(report.summary);
  return { ok: info.length === 0, summary: `${tarball}, ${greens.join(', ')}, ${cucumbers.length} Cucumber; ${report.summary}`, info };
}

/**
 * `fch report` where the installed gate ran: the single-file report and a conformance page with
 * the app-gating matrix. Without Java (the Allure CLI's) it is skipped outside CI, like the report stage.
 */
async function installedReport(dir: string, fchBin: string): Promise<{ ok: boolean; summary: string }> {
  if ((await runProcess('java', ['-version'])).code !== 0) return { ok: !process.env.CI, summary: 'fch report not run: no Java' };
  const rep = await runProcess(process.execPath, [fchBin, 'report'], process.env, dir);
  const page = join(dir, 'reports', 'conformance.html');
  const html = existsSync(page) ? readFileSync(page, 'utf8') : '';
  const single = existsSync(join(dir, 'reports', 'allure-report.html'));
  const ok = rep.code === 0 && single && html.includes('id="app-gate"');
  return { ok, summary: ok ? 'fch report wrote allure-report.html and a conformance page with the app-gating matrix' : `fch report (exit ${rep.code}): single file ${single ? 'written' : 'missing'}, conformance page ${html ? 'without the app-gating matrix' : 'missing'}: ${tail(rep.output, 5)}` };
}

const tail = (text: string, n = 15) => text.trim().split('\n').slice(-n).join('\n     ');

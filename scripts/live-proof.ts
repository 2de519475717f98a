// The `live` self-check stage. The real FreeClimb is unreachable from CI, so live mode is proven end
// to end against the simulator's HTTP server: real HTTP both ways, signed callbacks, no nock. The
// API base URL and the public URL both point at loopback ports.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createSimulator, type Simulator } from '../support/simulator';
import { listen } from '../support/simulator/adapters/http-server';
import type { FaultName } from '../support/simulator/faults';
import { ROOT, runCucumber, type ScenarioResult } from './lib/cucumber-run';
import { runProcess } from './lib/exec';
import { accountEnv } from './lib/sim-account';
import { freePort } from '../support/free-port';
import { credentialNeedles, findSecrets } from './lib/secrets';
import type { StageResult } from './lib/stage';
import { interruptParallel, LAUNCHER, offFront, parallelLiveRun, type ParallelRun } from './live-parallel';

const NUMBER_A = '+15550100001';
const NUMBER_B = '+15550100002';

export async function liveProof(workDir: string): Promise<StageResult> {
  const detail: string[] = [];
  let ok = true;
  const expect = (what: string, pass: boolean, info = '') => {
    if (!pass) ok = false;
    detail.push(`${pass ? 'ok  ' : 'FAIL'} ${what}${info ? ` — ${info}` : ''}`);
  };

  // Virtual time runs 20× faster than the wall clock, so a far end's 2 s Pause lasts 100 ms.
  const sim = createSimulator({ numbers: [NUMBER_A, NUMBER_B] });
  const server = await listen(sim, { speed: 20 });
  const creds = sim.credentials();
  const env: NodeJS.ProcessEnv = {
    HARNESS_MODE: 'live',
    ...(await accountEnv(sim, server)),
    FREECLIMB_NUMBER_A: NUMBER_A,
    FREECLIMB_NUMBER_B: NUMBER_B,
    HARNESS_TIMEOUT_MS: '10000',
    HARNESS_SETTLE_MS: '300',
    HARNESS_MAX_CALLS: '500',
    HARNESS_RUN_PREFIX: 'fch-proof',
  };
  const one = ['--name', '^a conference created through REST starts empty$'];
  try {
    const setup1 = await fch(['live', 'setup'], env);
    expect('live:setup creates the application and routes number B', setup1.code === 0 && /created/.test(setup1.out) && /assigned/.test(setup1.out), firstLines(setup1.out));
    const setup2 = await fch(['live', 'setup'], env);
    expect('live:setup again changes nothing', setup2.code === 0 && (setup2.out.match(/unchanged/g) ?? []).length === 2, firstLines(setup2.out));
    const doctor = await fch(['live', 'doctor'], env);
    expect('live:doctor passes every check', doctor.code === 0, firstLines(doctor.out, 8));

    // Through the launcher, as `npm run test:live` runs it: without --parallel it is Cucumber's CLI in-process.
    const run = await runCucumber({ label: 'live', workDir, env, bin: LAUNCHER, args: ['--profile', 'live'] });
    const failed = run.scenarios.filter((s) => !s.passed);
    const skipped = run.scenarios.filter((s) => s.skipped);
    const passed = run.scenarios.length - failed.length - skipped.length;
    expect(
      `test:live: ${passed} passed, ${skipped.length} skipped (@mock-only), ${failed.length} failed`,
      run.exitCode === 0 && failed.length === 0 && passed > 0 && skipped.every((s) => s.tags.includes('@mock-only')),
      failed.map((s) => `${s.id} ${s.error ?? ''}`).join(' | '),
    );

    // The same run with --parallel 2, right after it on the same account and the same application:
    // one front on HARNESS_PORT routes every webhook to the worker that owns it (support/live/parallel).
    const mark = sim.deliveries.length;
    const par = await parallelLiveRun({ label: 'live-parallel', env, workDir });
    const parFailed = par.scenarios.filter((s) => !s.passed);
    const parPassed = par.scenarios.length - parFailed.length - par.scenarios.filter((s) => s.skipped).length;
    expect(
      `test:live --parallel 2: ${parPassed} passed, ${parFailed.length} failed, by worker ${workerSplit(par)}`,
      par.exitCode === 0 && parFailed.length === 0 && parPassed === passed && par.workers.size === 2 && [...par.workers.values()].every((w) => w.passed > 0),
      parFailed.length ? parFailed.map((s) => `${s.id} ${s.error ?? ''}`).join(' | ') : par.exitCode !== 0 || par.workers.size !== 2 ? par.output.slice(-400) : '',
    );
    const stray = offFront(sim, env.HARNESS_PUBLIC_URL!, mark);
    const leftActive = activeCalls(sim);
    expect('the parallel run ended every call it placed', leftActive.length === 0, leftActive.join(' '));
    expect(`every webhook of the parallel run reached the one public URL (port ${env.HARNESS_PORT}): ${par.summary.replace(/^parallel live run: /, '')}`, stray.length === 0 && sim.deliveries.length > mark, stray.slice(0, 3).join(' '));
    expect(
      `wall time, the whole live suite: one worker ${(run.wallMs / 1000).toFixed(1)} s, --parallel 2 ${(par.wallMs / 1000).toFixed(1)} s (×${(run.wallMs / par.wallMs).toFixed(2)})`,
      true,
    );

    // The refused runs and the faulted runs are independent (each its own receiver port, the
    // faulted ones each their own simulator) and mostly wait on real time, so they run together.
    const wrongKey = { ...env, FREECLIMB_API_KEY: `${creds.apiKey}x` };
    const wrongSecret = { ...env, FREECLIMB_SIGNING_SECRET: 'sigsec_not-the-account-secret' };
    const unreachable = { ...env, HARNESS_PUBLIC_URL: `http://127.0.0.1:${await freePort()}` };
    // Ctrl-C to a parallel run, beside them, on a simulator of its own so that "nothing left" counts only its calls.
    const parInterrupting = interruptOnOwnSimulator(env, workDir);
    const [badKey, badDoctor, badSecret, badUrl, ...faulted] = await Promise.all([
      runCucumber({ label: 'live-wrong-key', workDir, env: { ...wrongKey, ...(await ownPort()) }, args: ['--profile', 'live', ...one] }),
      fch(['live', 'doctor'], { ...wrongKey, ...(await ownPort()) }),
      runCucumber({ label: 'live-wrong-secret', workDir, env: { ...wrongSecret, ...(await ownPort()) }, args: ['--profile', 'live', ...one] }),
      runCucumber({ label: 'live-unreachable', workDir, env: unreachable, args: ['--profile', 'live', ...one] }),
      ...LIVE_FAULTS.map((fault) => faultedLiveRun(fault, env, workDir)),
    ]);
    const parInterrupted = await parInterrupting;
    expect('a wrong API key stops the run with a 401, naming no key', badKey.exitCode !== 0 && /401/.test(badKey.output) && !badKey.output.includes(creds.apiKey), `${(badKey.wallMs / 1000).toFixed(1)} s`);
    expect('live:doctor reports the wrong API key', badDoctor.code === 1 && /FAIL/.test(badDoctor.out) && !badDoctor.out.includes(creds.apiKey));
    expect('a wrong signing secret rejects the callbacks and fails the scenario', badSecret.exitCode !== 0 && /signature/.test(badSecret.output) && /mismatch/.test(badSecret.output), `${(badSecret.wallMs / 1000).toFixed(1)} s`);
    expect('an unreachable public URL stops the run with the reason', badUrl.exitCode !== 0 && /does not reach the callback receiver/.test(badUrl.output), `${(badUrl.wallMs / 1000).toFixed(1)} s`);

    // The same scenarios must also fail against a platform that shows a deviation: a removed
    // participant hung up instead of continuing (C17a), its leaveConference answer ignored (C17c).
    // (--parallel 2: workers behind the one front; single-worker live runs catch them in stage live-faults.)
    LIVE_FAULTS.forEach((fault, i) => expect(`live mode --parallel 2 catches ${fault}: ${faulted[i].info}`, faulted[i].ok, faulted[i].detail));

    // The proof needs the run to reach a joined participant before Ctrl-C. On a fresh clone, with
    // every other stage loading the machine, one run once exited before that (its output was not
    // kept then; it is now): Ctrl-C was never sent, so cleanup was not tested at all. Such a run
    // is reported and run again once; a run that did get Ctrl-C is judged as it is.
    let interrupted = await interruptMidRun(sim, env, workDir);
    if (!interrupted.sent) {
      const first = interrupted.info;
      interrupted = await interruptMidRun(sim, env, workDir);
      interrupted = { ...interrupted, info: `${interrupted.info} (second attempt; the first never reached Ctrl-C: ${first})` };
    }
    expect('Ctrl-C during a live run cleans up before exiting', interrupted.ok, interrupted.info);
    expect('Ctrl-C during a --parallel 2 run: the front ends every worker\'s calls and conferences once', parInterrupted.ok, parInterrupted.info);

    const leaks = findSecrets([workDir, join(ROOT, 'reports')], credentialNeedles(creds.accountId, creds.apiKey, creds.signingSecret));
    expect('no generated file contains the API key or signing secret', leaks.length === 0, leaks.slice(0, 5).join(', '));
  } finally {
    await server.close();
  }
  return { stage: 'live', ok, detail };
}

const LIVE_FAULTS: FaultName[] = ['remove-hangs-up', 'leave-answer-ignored', 'hangup-leave-answer-run'];

/**
 * A fresh simulator with `fault` on, served over HTTP and set up like an account; the live run of
 * the scenarios that declare the fault must fail, and the rest of their feature must pass.
 */
async function faultedLiveRun(fault: FaultName, base: NodeJS.ProcessEnv, workDir: string): Promise<{ ok: boolean; info: string; detail: string }> {
  const sim = createSimulator({ numbers: [NUMBER_A, NUMBER_B], fault });
  const server = await listen(sim, { speed: 20 });
  try {
    const env = { ...base, ...(await accountEnv(sim, server)) };
    const setup = await fch(['live', 'setup'], env);
    if (setup.code !== 0) return { ok: false, info: 'live:setup failed', detail: firstLines(setup.out, 5) };
    const run = await parallelLiveRun({ label: `live-fault-${fault}`, workDir, env, args: ['--tags', '@clause:C17 or @clause:C18'] });
    const declared = (s: ScenarioResult) => s.tags.includes(`@fault:${fault}`) && !s.tags.includes('@mock-only');
    const missed = run.scenarios.filter((s) => declared(s) && s.passed).map((s) => s.id);
    const unexpected = run.scenarios.filter((s) => !declared(s) && !s.passed).map((s) => `${s.id} ${s.error?.slice(0, 200) ?? ''}`);
    const red = run.scenarios.filter((s) => !s.passed).length;
    return {
      ok: red > 0 && missed.length === 0 && unexpected.length === 0,
      info: `${red}/${run.scenarios.length} C17/C18 scenarios red, as declared (by worker ${workerSplit(run)})`,
      detail: [...missed.map((id) => `passed although declared: ${id}`), ...unexpected.map((u) => `red but not declared: ${u}`)].join(' | '),
    };
  } finally {
    await server.close();
  }
}

/** `0: 40 ran, 1: 38 ran`: how the scenarios that ran (not skipped) fell to the workers. */
function workerSplit(run: ParallelRun): string {
  return [...run.workers].sort(([a], [b]) => a.localeCompare(b)).map(([w, n]) => `${w}: ${n.ran} ran`).join(', ') || 'none';
}

async function interruptOnOwnSimulator(base: NodeJS.ProcessEnv, workDir: string): Promise<{ ok: boolean; info: string }> {
  const sim = createSimulator({ numbers: [NUMBER_A, NUMBER_B] });
  const server = await listen(sim, { speed: 20 });
  try {
    const env = { ...base, ...(await accountEnv(sim, server)) };
    const setup = await fch(['live', 'setup'], env);
    if (setup.code !== 0) return { ok: false, info: `live:setup failed: ${firstLines(setup.out, 5)}` };
    return await interruptParallel(sim, env, workDir);
  } finally {
    await server.close();
  }
}

/** A receiver port of its own, for runs against the same account that happen at the same time. */
async function ownPort(): Promise<NodeJS.ProcessEnv> {
  const port = await freePort();
  return { HARNESS_PUBLIC_URL: `http://127.0.0.1:${port}`, HARNESS_PORT: String(port) };
}

function fch(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return runProcess(process.execPath, [join(ROOT, 'bin', 'fch.js'), ...args], { ...process.env, ...env }).then((r) => ({ code: r.code, out: r.output }));
}

/**
 * Start a live run, send SIGINT as soon as the first participant has joined a conference, and
 * check that the process hung up and terminated everything before it exited.
 */
async function interruptMidRun(sim: Simulator, env: NodeJS.ProcessEnv, workDir: string): Promise<{ ok: boolean; sent: boolean; info: string }> {
  const args = [join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js'), '--profile', 'live', '--name', '^terminating an inProgress conference through REST hangs up its participants$'];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, ALLURE_RESULTS_DIR: join(workDir, 'allure', 'live-sigint') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const before = new Set(sim.conferences.map((c) => c.conferenceId));
  let sent = false;
  sim.engine.onTrace((event) => {
    if (!sent && / joined CF/.test(event)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  const created = sim.conferences.filter((c) => !before.has(c.conferenceId));
  const live = created.filter((c) => c.status !== 'terminated').map((c) => `${c.conferenceId}:${c.status}`);
  const active = activeCalls(sim);
  const ok = sent && code === 130 && created.length > 0 && live.length === 0 && active.length === 0 && /cleaning up/.test(output);
  const why = ok ? '' : `; the run's last output: ${output.trim().split('\n').slice(-12).join(' | ')}`;
  return { ok, sent, info: `SIGINT ${sent ? 'sent' : 'never sent'}, exit ${code}, ${created.length} conference(s) created, still live: ${live.join(' ') || 'none'}, active calls: ${active.join(' ') || 'none'}${why}` };
}

/** Calls still up in `sim`, with what they are, for a message that says which were left. */
function activeCalls(sim: Simulator): string[] {
  return [...sim.engine.state.calls.values()].filter((c) => c.endTime === null).map((c) => `${c.callId} ${c.direction} ${c.status}`);
}

function firstLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(0, n).join(' / ');
}

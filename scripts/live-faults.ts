// The `live-faults` self-check stage: every fault that breaks a claim a live run can observe must
// be caught in live mode too, not only on virtual time. Each fault gets a simulator of its own with
// the fault on, served over HTTP in real time (speed 1: a platform's clock runs at the harness's
// pace, so the bounds a live run draws from its own clock hold), set up like an account. The live
// run selects the live-capable scenarios of the clauses the fault breaks: those that declare the
// fault (@fault:<name>, or the fault's own tag expression or steps) must turn red, the others green.
// Runs share sweep workers (support/runner), which load the support code once, as the mock sweeps do.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import parseTags from '@cucumber/tag-expressions';
import { CLAIMS, liveObservable } from '../features/clauses';
import { loadConfig } from '../support/config';
import { runLiveSetup } from '../support/live/setup';
import { createSimulator } from '../support/simulator';
import { listen, type ServerHandle } from '../support/simulator/adapters/http-server';
import { FAULTS, FAULT_NAMES, faultCatches, stepsCatch, type FaultName } from '../support/simulator/faults';
import { freePort } from '../support/free-port';
import { accountEnv } from './lib/sim-account';
import { sweepSuite, type ScenarioResult } from './lib/cucumber-run';
import type { StageResult } from './lib/stage';

const NUMBER_A = '+15550100001';
const NUMBER_B = '+15550100002';
// Live runs mostly wait on sockets and timers, so more of them than cores fit beside the other stages.
const WORKERS = 6;

// Rounding a recording's length down shows live only on a recording shorter than a second (it then
// reports 0): the harness hangs up as soon as it saw the recording start, but a loaded machine can
// stretch that past a second, and then floor and ceiling cannot be told apart from outside.
const LUCK_DEPENDENT: FaultName[] = ['recording-duration-rounded-down'];
const LUCK_ATTEMPTS = 3;
const attempts = new Map<FaultName, number>();
/** Faults whose first run ran no scenario, with the reason it gave. */
const rerun = new Map<FaultName, string>();

export interface LiveFaultOutcome {
  caught: boolean;
  /** Clause tags of each scenario that turned red, for the claim gate. */
  red: { id: string; tags: string[] }[];
}
export const LIVE_FAULTS_FILE = 'live-faults.json';

/** The clauses of the live-observable claims `fault` breaks; none: the fault is not for live mode. */
export function liveClauses(fault: FaultName): string[] {
  const breaks = FAULTS[fault].breaks as readonly string[];
  return [...new Set(CLAIMS.filter((c) => breaks.includes(c.id) && liveObservable(c)).map((c) => c.clause))];
}

export async function liveFaultsStage(workDir: string, only?: FaultName[]): Promise<StageResult> {
  // Rounding down shows live only on a recording shorter than a second (then it reports 0), so its
  // run goes first, before the other runs load the machine and stretch the recording.
  const first: FaultName[] = ['recording-duration-rounded-down'];
  const faults = (only ?? FAULT_NAMES).filter((f) => liveClauses(f).length > 0).sort((a, b) => Number(first.includes(b)) - Number(first.includes(a)));
  const servers: ServerHandle[] = [];
  try {
    const started = Date.now();
    const runs = [];
    for (const fault of faults) {
      const sim = createSimulator({ numbers: [NUMBER_A, NUMBER_B], fault });
      const server = await listen(sim, { speed: 1 });
      servers.push(server);
      const env: Record<string, string> = {
        HARNESS_MODE: 'live',
        ...(await accountEnv(sim, server)),
        FREECLIMB_NUMBER_A: NUMBER_A,
        FREECLIMB_NUMBER_B: NUMBER_B,
        // A callback the fault drops is awaited for the full timeout: live mode cannot know that
        // nothing more will come. Loopback answers take milliseconds, even on a busy machine.
        HARNESS_TIMEOUT_MS: '4000',
        HARNESS_SETTLE_MS: '300',
        // The far end's Pause lasts this long in real time (speed 1).
        HARNESS_FAREND_POLL_MS: '100',
        HARNESS_MAX_CALLS: '200',
        HARNESS_RUN_PREFIX: `fch-lf-${fault}`.slice(0, 40),
        // The fault is the simulator's, not the run's (HARNESS_FAULT is refused in live mode); the
        // label tells the report which fault the column's red cells catch.
        ALLURE_LABEL_fault: fault,
      };
      const setup = await setUp(env);
      if (setup) return { stage: 'live-faults', ok: false, detail: [`live:setup against the simulator with ${fault} failed: ${setup}`] };
      const clauses = liveClauses(fault);
      runs.push({ label: `live-fault-${fault}`, env, tags: `(${clauses.map((c) => `@clause:${c}`).join(' or ')}) and not @mock-only` });
    }
    const setupMs = Date.now() - started;
    const results = await sweepSuite(runs, { workDir, workers: WORKERS });
    // A run that ran no scenario failed before any (its BeforeAll: a receiver port taken, say):
    // that says nothing about the fault, so it gets one more run on a new port, and the reason is kept.
    for (const [i, fault] of faults.entries()) {
      if (results[i].scenarios.length > 0) continue;
      const why = results[i].output.trim().split('\n').slice(-3).join(' | ');
      const port = await freePort();
      const env = { ...runs[i].env, HARNESS_PUBLIC_URL: `http://127.0.0.1:${port}`, HARNESS_PORT: String(port) };
      const setup = await setUp(env);
      if (setup) continue;
      const [again] = await sweepSuite([{ ...runs[i], env, label: `${runs[i].label}-again` }], { workDir, workers: 1 });
      results[i] = { ...again, label: runs[i].label, output: `(run again: the first run ran no scenario: ${why})\n${again.output}` };
      rerun.set(fault, why);
    }
    // A fault that only a short recording can show, run again when the machine stretched the
    // recording past what discriminates. This never turns a correct platform red (its runs are
    // not retried, and an attempt only counts when exactly the declared scenarios are red): one
    // attempt that catches the fault proves the check can fail.
    for (const [i, fault] of faults.entries()) {
      for (let attempt = 2; attempt <= LUCK_ATTEMPTS && LUCK_DEPENDENT.includes(fault) && onlyMissed(fault, results[i]); attempt++) {
        const [again] = await sweepSuite([{ ...runs[i], label: `${runs[i].label}-attempt-${attempt}` }], { workDir, workers: 1 });
        results[i] = { ...again, label: runs[i].label, output: `(attempt ${attempt} of ${LUCK_ATTEMPTS})\n${again.output}` };
        attempts.set(fault, attempt);
      }
    }
    const detail: string[] = [];
    const outcomes: Record<string, LiveFaultOutcome> = {};
    let caught = 0;
    results.forEach((run, i) => {
      const fault = faults[i];
      const { ran, missed, unexpected, red } = judge(fault, run);
      const good = ran.length > 0 && red.length > 0 && missed.length === 0 && unexpected.length === 0;
      if (good) caught += 1;
      outcomes[fault] = { caught: good, red: red.map((s) => ({ id: s.id, tags: s.tags.filter((t) => t.startsWith('@clause:')) })) };
      const tries = attempts.get(fault);
      detail.push(`${good ? 'caught' : 'WRONG '} ${fault}: ${red.length}/${ran.length} live scenarios of ${liveClauses(fault).join(', ')} red, ${(run.wallMs / 1000).toFixed(1)} s${tries ? ` (attempt ${tries} of ${LUCK_ATTEMPTS})` : ''}`);
      if (rerun.has(fault)) detail.push(`   run twice: the first run ran no scenario (${rerun.get(fault)})`);
      for (const id of missed) detail.push(`   declared but passed live: ${id}`);
      for (const s of unexpected) detail.push(`   red live but not declared: ${s.id} ${s.name} — ${s.error?.slice(0, 300) ?? ''}`);
      if (ran.length === 0) detail.push(`   no scenario ran: ${run.output.trim().split('\n').slice(-5).join(' | ')}`);
    });
    writeFileSync(join(workDir, LIVE_FAULTS_FILE), JSON.stringify({ faults: outcomes }, null, 2));
    const claims = CLAIMS.filter(liveObservable);
    const provenLive = claims.filter((c) => faults.some((f) => outcomes[f]?.caught && (FAULTS[f].breaks as readonly string[]).includes(c.id) && outcomes[f].red.some((s) => s.tags.includes(`@clause:${c.clause}`))));
    detail.unshift(
      `${caught}/${faults.length} faults caught exactly in live mode (simulator over HTTP in real time, ${WORKERS} sweep workers; set-up ${(setupMs / 1000).toFixed(1)} s)`,
      `${provenLive.length}/${claims.length} live-observable claims proven live`,
    );
    return { stage: 'live-faults', ok: caught === faults.length, detail };
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}

/** Which scenarios of a fault's live run ran, turned red, or disagreed with the declaration. */
function judge(fault: FaultName, run: { scenarios: ScenarioResult[] }) {
  const expression = parseTags(faultCatches(fault).tags);
  const declared = (s: ScenarioResult) => expression.evaluate(s.tags) || stepsCatch(fault, s.steps);
  const ran = run.scenarios.filter((s) => !s.skipped);
  return {
    ran,
    missed: ran.filter((s) => declared(s) && s.passed).map((s) => s.id),
    unexpected: ran.filter((s) => !declared(s) && !s.passed),
    red: ran.filter((s) => !s.passed),
  };
}

/** The fault went uncaught only because a declared scenario passed: nothing else went wrong. */
function onlyMissed(fault: FaultName, run: { scenarios: ScenarioResult[] }): boolean {
  const { ran, missed, unexpected } = judge(fault, run);
  return ran.length > 0 && missed.length > 0 && unexpected.length === 0;
}

/** live:setup, in process: the application and number B's routing; returns the error output, if any. */
async function setUp(env: Record<string, string>): Promise<string | undefined> {
  let out = '';
  const io = { stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (out += c) } };
  const code = await runLiveSetup(loadConfig({ ...env }), io);
  return code === 0 ? undefined : out.trim().split('\n').slice(-3).join(' / ');
}

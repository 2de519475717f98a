// Parallel live runs for the `live` stage (live-proof.ts): `npm run test:live -- --parallel 2` as the
// launcher runs it, against the simulator's HTTP server. What only a parallel run can show: which
// worker ran which scenario (from Cucumber's message stream), that every webhook went to the one
// public port, and that Ctrl-C ends what every worker created.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from '../support/simulator';
import { ROOT, runCucumber, type RunResult } from './lib/cucumber-run';

export const LAUNCHER = ['-r', 'ts-node/register/transpile-only', join(ROOT, 'support', 'live', 'parallel', 'launch.ts')];

export interface ParallelRun extends RunResult {
  /** Per Cucumber worker id: scenarios it ran (not skipped) and how many of them passed. */
  workers: Map<string, { ran: number; passed: number }>;
  /** The launcher's last line: calls placed and webhooks per worker. */
  summary: string;
}

export async function parallelLiveRun(opts: { label: string; env: NodeJS.ProcessEnv; workDir: string; args?: string[]; workers?: number }): Promise<ParallelRun> {
  const messages = join(opts.workDir, `${opts.label}.ndjson`);
  const run = await runCucumber({
    label: opts.label,
    workDir: opts.workDir,
    env: opts.env,
    bin: LAUNCHER,
    args: ['--profile', 'live', '--parallel', String(opts.workers ?? 2), '--format', `message:${messages}`, ...(opts.args ?? [])],
  });
  return { ...run, workers: workersOf(messages), summary: run.output.match(/parallel live run: \d+ calls placed.*/)?.[0] ?? '(no summary line)' };
}

/** Test cases per worker from Cucumber's messages: skipped ones (@mock-only) do not count as ran. */
export function workersOf(file: string): Map<string, { ran: number; passed: number }> {
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return new Map();
  }
  const workerOf = new Map<string, string>();
  const statuses = new Map<string, string[]>();
  for (const line of lines) {
    const m = JSON.parse(line) as { testCaseStarted?: { id: string; workerId?: string }; testStepFinished?: { testCaseStartedId: string; testStepResult: { status: string } } };
    if (m.testCaseStarted) workerOf.set(m.testCaseStarted.id, m.testCaseStarted.workerId ?? '(none)');
    if (m.testStepFinished) statuses.set(m.testStepFinished.testCaseStartedId, [...(statuses.get(m.testStepFinished.testCaseStartedId) ?? []), m.testStepFinished.testStepResult.status]);
  }
  const out = new Map<string, { ran: number; passed: number }>();
  for (const [started, worker] of workerOf) {
    const s = statuses.get(started) ?? [];
    if (s.includes('SKIPPED') && !s.includes('FAILED')) continue;
    const w = out.get(worker) ?? { ran: 0, passed: 0 };
    w.ran += 1;
    if (s.every((x) => x === 'PASSED')) w.passed += 1;
    out.set(worker, w);
  }
  return out;
}

/** Webhooks the simulator sent anywhere but the run's one public URL. */
export function offFront(sim: Simulator, publicUrl: string, sinceSeq = 0): string[] {
  return sim.deliveries.filter((d) => d.seq > sinceSeq && !d.url.startsWith(`${publicUrl}/`)).map((d) => d.url);
}

/**
 * Start a parallel live run of the whole suite, send SIGINT to the launcher once two conferences
 * have a participant in them (so both workers are likely mid-scenario), and check that nothing the
 * run created is still active in the simulator once the launcher exits.
 */
export async function interruptParallel(sim: Simulator, env: NodeJS.ProcessEnv, workDir: string): Promise<{ ok: boolean; info: string }> {
  const args = [...LAUNCHER, '--profile', 'live', '--parallel', '2'];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, ALLURE_RESULTS_DIR: join(workDir, 'allure', 'live-parallel-sigint') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const before = new Set(sim.conferences.map((c) => c.conferenceId));
  const joined = new Set<string>();
  let sent = false;
  let sentAt = 0;
  sim.engine.onTrace((event) => {
    const conference = / joined (CF\w+)/.exec(event)?.[1];
    if (!conference || sent) return;
    joined.add(conference);
    if (joined.size >= 2) {
      sent = true;
      sentAt = performance.now();
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  const stopMs = performance.now() - sentAt;
  const cleaned = output.match(/^ {2}(conference|call) \S+: (terminated|hung up)/gm)?.length ?? 0;
  const created = sim.conferences.filter((c) => !before.has(c.conferenceId));
  const live = created.filter((c) => c.status !== 'terminated').map((c) => `${c.conferenceId}:${c.status}`);
  const activeCalls = [...sim.engine.state.calls.values()].filter((c) => c.endTime === null).map((c) => c.callId);
  const ok = sent && code === 130 && created.length > 0 && live.length === 0 && activeCalls.length === 0 && /Interrupted/.test(output);
  return {
    ok,
    info: `SIGINT ${sent ? 'sent' : 'never sent'} to the launcher with 2 conferences up, exit ${code} after ${(stopMs / 1000).toFixed(1)} s, the front ended ${cleaned} call(s)/conference(s), ${created.length} conference(s) created, still live: ${live.join(' ') || 'none'}, active calls: ${activeCalls.join(' ') || 'none'}`,
  };
}

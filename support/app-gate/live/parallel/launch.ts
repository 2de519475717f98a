// `fch app test --live --parallel N`: N workers, each a Cucumber process with its own face and its
// own copy of the app, playing a contiguous block of the scenarios at the same time, behind one
// front on the run's one public URL (app-front.ts). The front owns what must exist once per run: the
// tunnel (or HARNESS_PUBLIC_URL) and HARNESS_PORT, the call cap shared by all workers, the order in
// which callers are placed, and Ctrl-C's cleanup of whatever the workers left. `fch app live setup`
// is unchanged: the applications' URLs are the same for one worker or many.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../../../cli-io';
import { redact, secretsOf, type HarnessConfig } from '../../../config';
import { freePort } from '../../../free-port';
import { hangUpIfLive, terminateIfLive } from '../../../live/run';
import { liveClient } from '../../../live/setup';
import { resolvePublicUrl } from '../../../live/tunnel';
import { nodeArgs } from '../../../package-paths';
import type { RunSpec } from '../../../runner/protocol';
import { shardBlock } from '../../../shard';
import { HARNESS_PATHS, type AppLiveConfig } from '../live-config';
import { APP_FRONT_ENV, APP_WORKER_ENV, startAppFront, type AppFront } from './app-front';

export interface ParallelOptions {
  cfg: HarnessConfig;
  live: AppLiveConfig;
  workers: number;
  /** The scenarios to play, as `uri:line`, in run order. */
  scenarios: string[];
  /** The run's folder: each worker writes under worker-W/, and the merged cucumber.json and live.json land here. */
  runDir: string;
  /** The Cucumber run of one worker: its scenarios and its folder. */
  spec: (paths: string[], workerDir: string) => RunSpec;
  io: CliIo;
}

/** Runs the workers; resolves with the run's exit code (130 after Ctrl-C, 2 when a worker could not start). */
export async function runParallelLive(opts: ParallelOptions): Promise<number> {
  const secrets = secretsOf(opts.cfg);
  const say = (line: string) => opts.io.stderr.write(`${redact(line, secrets)}\n`);
  const blocks = Array.from({ length: opts.workers }, (_, i) => shardBlock(opts.scenarios, { index: i + 1, total: opts.workers })).filter((b) => b.length > 0);
  let tunnel: Awaited<ReturnType<typeof resolvePublicUrl>>;
  try {
    tunnel = await resolvePublicUrl(opts.cfg);
  } catch (e) {
    say(`fch app test --live --parallel: no public URL for the front: ${(e as Error).message}`);
    return 2;
  }
  let front: AppFront;
  try {
    front = await startAppFront({ port: tunnel.port, maxCalls: opts.cfg.maxCalls, appNumber: opts.live.appNumber, callerNumber: opts.cfg.numberA, personPath: HARNESS_PATHS.personVoice, waitMs: opts.cfg.timeoutMs });
  } catch (e) {
    await tunnel.close();
    say(`fch app test --live --parallel: the front cannot listen on port ${tunnel.port} (${(e as Error).message}); set HARNESS_PORT to a free port`);
    return 2;
  }
  say(`parallel live app gate: ${blocks.length} workers (${blocks.map((b) => b.length).join(' + ')} scenarios), one front on ${front.localUrl} behind ${tunnel.publicUrl}; worker W's URLs are under /w/W, and each worker runs its own copy of the app`);
  const children: { worker: string; child: ChildProcess; dir: string; exit: Promise<number> }[] = [];
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) return;
    interrupted = true;
    say('fch app test --live --parallel: Ctrl-C: no new calls; each worker ends what it started, then the front ends anything left…');
    front.table.close('the run was interrupted (Ctrl-C)');
    for (const { child } of children) child.kill('SIGINT');
  };
  process.on('SIGINT', onSigint);
  // Whatever happens from here (a worker that cannot start, a cleanup that throws), the calls the
  // front routed are ended, the workers' results merged and the front and tunnel closed.
  let codes: number[] = [];
  try {
    for (const [i, paths] of blocks.entries()) {
      const worker = String(i + 1);
      const dir = join(opts.runDir, `worker-${worker}`);
      mkdirSync(dir, { recursive: true });
      const spec = opts.spec(paths, dir);
      const env = {
        ...process.env,
        ...spec.env,
        HARNESS_MODE: 'live',
        HARNESS_PUBLIC_URL: `${tunnel.publicUrl}/w/${worker}`,
        HARNESS_PORT: '0',
        // Each copy of the app listens on a port of its own (PORT is taken from this URL).
        HARNESS_APP_URL: `http://127.0.0.1:${await freePort()}`,
        [APP_FRONT_ENV]: front.controlUrl,
        [APP_WORKER_ENV]: worker,
      };
      const child = spawn(process.execPath, [...nodeArgs('support/app-gate/live/worker'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'], env });
      prefixLines(child, `[w${worker}] `, opts.io);
      // A worker that ends, however it ends, lets go of what it held (the dial lock, its people numbers).
      const exit = new Promise<number>((done) => child.on('close', (c) => (front.table.finish(worker), done(c ?? 1))));
      children.push({ worker, child, dir, exit });
    }
    codes = await Promise.all(children.map((c) => c.exit));
  } catch (e) {
    say(`fch app test --live --parallel: a worker could not be started: ${(e as Error).message}`);
    for (const { child } of children) child.kill('SIGINT');
    await Promise.all(children.map((c) => c.exit));
    codes = [2];
  } finally {
    process.off('SIGINT', onSigint);
    try {
      for (const line of await cleanupUntilSettled(opts.cfg, front)) say(`  ${line}`);
    } catch (e) {
      say(`fch app test --live --parallel: the front's cleanup failed (${(e as Error).message}): run \`fch app live sweep\` to find what is left`);
      codes.push(1);
    }
    say(summary(front, opts.cfg.maxCalls));
    await front.close();
    await tunnel.close();
    mergeWorkers(children.map((c) => c.dir), opts.runDir, front.table.callsPlaced);
  }
  if (interrupted) return 130;
  if (codes.includes(2)) return 2;
  return codes.every((c) => c === 0) ? 0 : 1;
}

/**
 * The front's cleanup once every worker has ended. A worker's app may have acted just before it
 * stopped (a CreateConference answered as Ctrl-C came): what that caused reaches the front late,
 * and names a conference nobody has seen yet. So the front first waits until the public URL is
 * quiet, ends what it knows of, and goes again while that taught it of something new (a few rounds
 * at most: each is bounded by HARNESS_TIMEOUT_MS).
 */
async function cleanupUntilSettled(cfg: HarnessConfig, front: AppFront): Promise<string[]> {
  const lines: string[] = [];
  const known = () => {
    const { calls, conferences } = front.table.seen();
    return calls.length + conferences.length;
  };
  let before = -1;
  for (let round = 0; round < 3 && known() !== before; round++) {
    await front.quiet(cfg.settleMs, cfg.timeoutMs).catch((e: Error) => lines.push(`not quiet before the cleanup: ${e.message}`));
    before = known();
    lines.push(...(await cleanup(cfg, front)));
    await front.quiet(cfg.settleMs, cfg.timeoutMs).catch(() => undefined);
  }
  return lines;
}

/** Asks FreeClimb about every call and conference the front routed, and ends what is still up. */
async function cleanup(cfg: HarnessConfig, front: AppFront): Promise<string[]> {
  const { calls, conferences } = front.table.seen();
  if (!calls.length && !conferences.length) return [];
  const client = await liveClient(cfg);
  try {
    const done = [...(await Promise.all(conferences.map((id) => terminateIfLive(client, id)))), ...(await Promise.all(calls.map((id) => hangUpIfLive(client, id))))];
    const acted = done.filter((d) => !/already/.test(d));
    return acted.length ? ['the front\'s cleanup of what the workers left:', ...acted] : [];
  } finally {
    await client.dispose();
  }
}

function summary(front: AppFront, maxCalls: number): string {
  const per = [...front.table.forwards].map(([w, n]) => `worker ${w} ${n}`).join(', ');
  const strays = front.table.answeredItself;
  const late = front.table.afterFinish.length;
  return `parallel live app gate: ${front.table.callsPlaced} calls placed (HARNESS_MAX_CALLS ${maxCalls}, shared); requests through the front: ${per || 'none'}; answered by the front itself (nobody's): ${strays.length}${late ? `, and ${late} that came after their worker had finished` : ''}${strays.map((s) => `\n  ${s}`).join('')}`;
}

/** One cucumber.json and one live.json for the run, as a single worker writes them, from the workers' own. */
function mergeWorkers(dirs: string[], runDir: string, callsPlaced: number): void {
  const read = <T>(file: string, fallback: T): T => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch {
      return fallback;
    }
  };
  const features = dirs.flatMap((d) => read<unknown[]>(join(d, 'cucumber.json'), []));
  if (features.length) writeFileSync(join(runDir, 'cucumber.json'), JSON.stringify(features));
  type Live = { peopleCallsAnswered?: number; skipped?: unknown[]; scenarios?: unknown[]; crashes?: unknown[]; endedAtCleanup?: number };
  const lives = dirs.map((d) => read<Live>(join(d, 'live.json'), {}));
  const sum = (f: (l: Live) => number | undefined) => lives.reduce((n, l) => n + (f(l) ?? 0), 0);
  writeFileSync(
    join(runDir, 'live.json'),
    JSON.stringify({ callsPlaced, peopleCallsAnswered: sum((l) => l.peopleCallsAnswered), skipped: lives.flatMap((l) => l.skipped ?? []), scenarios: lives.flatMap((l) => l.scenarios ?? []), crashes: lives.flatMap((l) => l.crashes ?? []), endedAtCleanup: sum((l) => l.endedAtCleanup), workers: dirs.length }, null, 2),
  );
}

/** A worker's output, line by line, with its name in front: N workers write to one terminal. */
function prefixLines(child: ChildProcess, prefix: string, io: CliIo): void {
  for (const [stream, write] of [[child.stdout!, (t: string) => io.stdout.write(t)], [child.stderr!, (t: string) => io.stderr.write(t)]] as const) {
    let rest = '';
    stream.on('data', (d: Buffer) => {
      const lines = (rest + d.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) write(`${prefix}${line}\n`);
    });
    stream.on('end', () => rest && write(`${prefix}${rest}\n`));
  }
}

// `npm run test:live [-- cucumber options]`. Without `--parallel N` (N > 1), or outside live mode, it
// is Cucumber's own CLI in this very process: a single-worker run is exactly what it always was.
//
// With `--parallel N` in live mode it is the run's one front: Cucumber's coordinator runs no
// BeforeAll and its workers each run their own, so what must happen once per run happens here,
// before Cucumber starts: the tunnel (or HARNESS_PUBLIC_URL) and the receiver on HARNESS_PORT that
// routes every webhook to its worker (front.ts), the shared HARNESS_MAX_CALLS budget, and Ctrl-C's
// cleanup of every worker's calls and conferences. live:setup stays a command of its own, run once:
// the application's URLs are the same for one worker or many.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, loadConfig, redact, secretsOf, type HarnessConfig } from '../../config';
import { FRONT_ENV, startFront, type Front } from './front';

const CUCUMBER_BIN = join(__dirname, '..', '..', '..', 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');

/** N from `--parallel N` or `--parallel=N`; undefined when absent. */
export function parallelOf(args: string[]): number | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--parallel') return Number(args[i + 1]);
    if (args[i].startsWith('--parallel=')) return Number(args[i].slice('--parallel='.length));
  }
  return undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const workers = parallelOf(args) ?? 1;
  if (process.env.HARNESS_MODE !== 'live' || !(workers > 1)) {
    // Cucumber's CLI reads process.argv from index 2 on, which is `args` here too.
    require(CUCUMBER_BIN);
    return;
  }
  let cfg: HarnessConfig;
  try {
    cfg = loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
  process.exit(await parallelRun(cfg, args, workers));
}

async function parallelRun(cfg: HarnessConfig, args: string[], workers: number): Promise<number> {
  const secrets = secretsOf(cfg);
  const say = (line: string) => console.error(redact(line, secrets));
  const { resolvePublicUrl } = await import('../tunnel');
  const tunnel = await resolvePublicUrl(cfg);
  let front: Front;
  try {
    front = await startFront({ port: tunnel.port, maxCalls: cfg.maxCalls, holdMs: cfg.requestTimeoutMs });
  } catch (e) {
    await tunnel.close();
    say(`parallel live run: the receiver cannot listen on port ${tunnel.port} (${(e as Error).message}); set HARNESS_PORT to a free port`);
    return 1;
  }
  say(`parallel live run: ${workers} workers, one receiver on ${front.localUrl} behind ${tunnel.publicUrl}; worker W's URLs are under /w/W/`);
  // Its own process group: Ctrl-C reaches this process only, which decides the order of shutdown.
  const child = spawn(process.execPath, [CUCUMBER_BIN, ...args], {
    detached: true,
    stdio: 'inherit',
    env: { ...process.env, HARNESS_PUBLIC_URL: tunnel.publicUrl, [FRONT_ENV]: front.controlUrl },
  });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  const stopWorkers = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.on('exit', () => child.exitCode === null && stopWorkers());
  let interrupted: Promise<number> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted ??= (async () => {
      say('\nInterrupted: no new calls; stopping the workers once the calls being placed are known, then cleaning up what they created on the account…');
      front.table.close(`the run was interrupted (${signal})`);
      // A call whose POST /Calls is under way has no id yet: wait for it, or it could not be ended.
      if (!(await front.table.whenPlaced(cfg.requestTimeoutMs))) say(`  ${front.table.placingCount} call(s) still being placed after ${cfg.requestTimeoutMs} ms; the front tells their legs to hang up`);
      stopWorkers();
      await exited;
      return signal === 'SIGINT' ? 130 : 143;
    })();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await exited;
  // After Ctrl-C, the workers' exit is the one this process caused: the run's code is the signal's.
  const finalCode = interrupted ? await interrupted : code;
  for (const line of await cleanup(cfg, front)) say(`  ${line}`);
  say(summary(front, cfg.maxCalls));
  await front.close();
  await tunnel.close();
  return finalCode;
}

/** End what the workers created and did not end themselves (Ctrl-C, or a worker that died). */
async function cleanup(cfg: HarnessConfig, front: Front): Promise<string[]> {
  const { calls, conferences } = front.table.leftovers();
  if (!calls.length && !conferences.length) return [];
  const [{ liveClient }, { hangUpIfLive, terminateIfLive }] = await Promise.all([import('../setup'), import('../run')]);
  const client = await liveClient(cfg);
  try {
    const done = ['Live cleanup of what the workers left (the run\'s one cleanup):'];
    for (const id of conferences) done.push(await terminateIfLive(client, id));
    for (const id of calls) done.push(await hangUpIfLive(client, id));
    return done;
  } finally {
    await client.dispose();
  }
}

function summary(front: Front, maxCalls: number): string {
  const per = [...front.table.forwards].map(([w, n]) => `worker ${w} ${n}`).join(', ');
  return `parallel live run: ${front.table.callsPlaced} calls placed (HARNESS_MAX_CALLS ${maxCalls}, shared); webhooks through ${front.localUrl}: ${per || 'none'}; answered by the front itself: ${front.answeredItself}`;
}

if (require.main === module) {
  main().catch((e: unknown) => {
    // A tunnel that would not open, say: its message is the useful part (and names no secret).
    console.error(`npm run test:live: ${(e as Error).message ?? String(e)}`);
    process.exit(1);
  });
}

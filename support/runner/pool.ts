// Spreads the runs of a sweep over worker processes (one per core by default). Each worker loads
// the support code once; the pool hands the next run to whichever worker is free, so a slow run
// does not hold up the others. Output a worker prints while a run is in progress is that run's.
// A worker that dies takes only its current run with it: that run fails with the exit code and the
// last lines printed, and a fresh worker takes over the runs that are left.
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { nodeArgs } from '../package-paths';
import { FromWorker, type RunOutcome, type RunSpec, type ToWorker } from './protocol';

export interface SweepResult extends RunOutcome {
  /** Everything the worker printed during this run (progress, hooks' console output, errors). */
  output: string;
  /** Which worker ran it (0-based), for the benchmark's per-worker view. */
  worker: number;
}

export interface SweepOptions {
  /** Default: the machine's cores. Never more than there are runs. */
  workers?: number;
  /** The worker's entry file and the Node flags it needs (a loader for TypeScript, or none compiled). */
  entry: { file: string; execArgv: string[] };
  cwd: string;
  /** The workers' environment (default: this process's); each run adds its own variables. */
  env?: NodeJS.ProcessEnv;
  /** Called as each run ends, in completion order (progress lines). */
  onDone?: (result: SweepResult) => void;
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** How to fork this package's worker: compiled JavaScript when installed, ts-node in the repository. */
export function workerEntry(): SweepOptions['entry'] {
  const [first, ...rest] = nodeArgs('support/runner/worker');
  return rest.length ? { file: rest[rest.length - 1], execArgv: [first, ...rest.slice(0, -1)] } : { file: first, execArgv: [] };
}

/** Runs every spec once; results come back in the order of `specs`. */
export async function sweep(specs: RunSpec[], opts: SweepOptions): Promise<SweepResult[]> {
  const results: SweepResult[] = new Array(specs.length);
  let next = 0;
  const size = Math.max(1, Math.min(opts.workers ?? defaultWorkers(), specs.length));
  const lanes = Array.from({ length: size }, async (_v, lane) => {
    while (next < specs.length) {
      const worker = await startWorker(opts, lane);
      // Runs until the queue is empty or the worker dies; a death restarts the lane with a new one.
      for (;;) {
        if (next >= specs.length) {
          worker.stop();
          return;
        }
        const index = next++;
        const result = await worker.run(specs[index]);
        results[index] = result;
        opts.onDone?.(result);
        if (worker.dead) break;
      }
    }
  });
  await Promise.all(lanes);
  return results;
}

interface Worker {
  run(spec: RunSpec): Promise<SweepResult>;
  stop(): void;
  readonly dead: boolean;
}

function startWorker(opts: SweepOptions, lane: number): Promise<Worker> {
  const child: ChildProcess = fork(opts.entry.file, [], {
    cwd: opts.cwd,
    execArgv: opts.entry.execArgv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Structured clone, not JSON: Cucumber options carry RegExps (Allure's label patterns).
    serialization: 'advanced',
    env: opts.env ?? process.env,
  });
  let output = '';
  let dead = false;
  let exitText = '';
  let current: { label: string; started: number; resolve: (r: SweepResult) => void } | undefined;
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (raw) => {
      const message = FromWorker.parse(raw);
      if (message.type === 'ready') return resolve();
      if (!current) return;
      const run = current;
      current = undefined;
      const text = output;
      output = '';
      run.resolve({ ...message.outcome, output: text, worker: lane });
    });
    child.on('exit', (code, signal) => {
      dead = true;
      exitText = signal ? `signal ${signal}` : `exit code ${code}`;
      reject(new Error(`sweep worker ${opts.entry.file} exited before it was ready (${exitText}):\n${tail(output)}`));
      if (!current) return;
      const run = current;
      current = undefined;
      run.resolve({
        label: run.label,
        success: false,
        wallMs: performance.now() - run.started,
        error: `the sweep worker died during run ${run.label} (${exitText}); last output:\n${tail(output)}`,
        output,
        worker: lane,
      });
    });
  });
  const worker: Worker = {
    get dead() {
      return dead;
    },
    run(spec) {
      return new Promise((resolve) => {
        current = { label: spec.label, started: performance.now(), resolve };
        const message: ToWorker = { type: 'run', spec };
        child.send(message);
      });
    },
    stop() {
      if (!dead) child.send({ type: 'exit' } satisfies ToWorker);
    },
  };
  return ready.then(() => worker);
}

function tail(text: string, lines = 20): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

// The app under test as a child process: started from HARNESS_APP_COMMAND with the simulator's
// credentials, ready when its port accepts connections, its output kept line by line with
// timestamps. Every way it can go wrong ends in an AppProcessError that says what happened and
// shows the last output lines, never in a hang: the start is bounded by a timeout, and a process
// that exits while we wait stops the wait at once.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface OutputLine {
  /** Wall-clock time (ms since epoch) the line was read. */
  at: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface AppProcessOptions {
  command: string;
  /** The app's base URL; its host and port are what "ready" means. */
  url: string;
  /** Added to the parent's environment. */
  env: Record<string, string>;
  startTimeoutMs: number;
  cwd?: string;
  /** Applied to every output line before it is kept (secrets never reach a report). */
  redact?: (text: string) => string;
}

export class AppProcessError extends Error {
  override readonly name = 'AppProcessError';
}

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const TAIL_LINES = 20;
// Between connection attempts: short at first (most apps open their port within milliseconds), then
// capped so a slow app is noticed within a quarter of a second of opening its port.
const BACKOFF_FIRST_MS = 10;
const BACKOFF_MAX_MS = 250;
// How long a stopped app may take to exit on SIGTERM before it is killed.
const STOP_GRACE_MS = 3_000;

export class AppProcess {
  readonly lines: OutputLine[] = [];
  exit: AppExit | undefined;
  /** True once stop() was called: an exit after that is not a crash. */
  stopping = false;
  private readonly exitListeners: ((exit: AppExit) => void)[] = [];
  private readonly exited: Promise<AppExit>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly opts: AppProcessOptions,
  ) {
    const redact = opts.redact ?? ((t: string) => t);
    for (const stream of ['stdout', 'stderr'] as const) {
      let partial = '';
      child[stream]?.setEncoding('utf8');
      child[stream]?.on('data', (chunk: string) => {
        const parts = (partial + chunk).split(/\r?\n/);
        partial = parts.pop() ?? '';
        for (const text of parts) this.lines.push({ at: Date.now(), stream, text: redact(text) });
      });
      child[stream]?.on('end', () => {
        if (partial) this.lines.push({ at: Date.now(), stream, text: redact(partial) });
        partial = '';
      });
    }
    this.exited = new Promise((resolve) => {
      // 'close' rather than 'exit': it fires after the output streams are drained, so the last
      // lines are in `lines` when the exit is reported.
      child.on('close', (code, signal) => {
        this.exit = { code, signal };
        this.exitListeners.forEach((l) => l(this.exit!));
        resolve(this.exit);
      });
    });
  }

  /** Start the command and resolve once its port accepts connections. */
  static async start(opts: AppProcessOptions): Promise<AppProcess> {
    const { hostname, port } = hostPort(opts.url);
    if (await canConnect(hostname, port)) {
      throw new AppProcessError(`something already accepts connections at ${opts.url} before the app under test was started; stop it, or unset HARNESS_APP_COMMAND to test the app that is running there`);
    }
    const child = spawn(opts.command, {
      shell: true,
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so stop() also ends what the shell started.
      detached: true,
    });
    const app = new AppProcess(child, opts);
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    const outcome = await Promise.race([
      app.waitForPort(hostname, port).then(
        () => 'ready' as const,
        () => 'timeout' as const,
      ),
      app.exited.then(() => 'exited' as const),
      spawnError,
    ]);
    if (outcome === 'ready') return app;
    await app.stop();
    if (outcome instanceof Error) throw new AppProcessError(`cannot start HARNESS_APP_COMMAND (${opts.command}): ${outcome.message}`);
    if (outcome === 'exited') {
      throw new AppProcessError(`the app under test exited before accepting connections at ${opts.url}: ${describeExit(app.exit!)} (command: ${opts.command})${app.tail()}`);
    }
    throw new AppProcessError(
      `the app under test did not accept connections at ${opts.url} within HARNESS_APP_START_TIMEOUT_MS=${opts.startTimeoutMs} ms (command: ${opts.command}); is it listening on PORT=${port}?${app.tail()}`,
    );
  }

  /** An app the user started: it must already accept connections. */
  static async expectRunning(url: string): Promise<void> {
    const { hostname, port } = hostPort(url);
    if (!(await canConnect(hostname, port))) {
      throw new AppProcessError(`nothing accepts connections at HARNESS_APP_URL=${url}, and HARNESS_APP_COMMAND is unset (set it to let the harness start the app)`);
    }
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /** Whether its port accepts a connection right now (one attempt, no retry). */
  accepting(): Promise<boolean> {
    const { hostname, port } = hostPort(this.opts.url);
    return canConnect(hostname, port);
  }

  /** Resolves once the process has exited, or after `ms`, whichever is first. */
  async exitWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const exited = await Promise.race([this.exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
    clearTimeout(timer);
    return exited;
  }

  /** Called once the process has exited (at once if it already has). */
  onExit(listener: (exit: AppExit) => void): void {
    if (this.exit) listener(this.exit);
    else this.exitListeners.push(listener);
  }

  /** "\n  last output lines:\n  …", or a note that there was none. */
  tail(n = TAIL_LINES): string {
    const last = this.lines.slice(-n);
    if (last.length === 0) return '\n  (the app printed nothing)';
    return `\n  last ${last.length} output line(s):\n${last.map((l) => `    ${l.stream === 'stderr' ? '! ' : ''}${l.text}`).join('\n')}`;
  }

  describeExit(): string {
    return this.exit ? describeExit(this.exit) : 'still running';
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.exit) return;
    this.signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.signal('SIGKILL');
        resolve();
      }, STOP_GRACE_MS);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    await this.exited;
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      if (this.child.pid) process.kill(-this.child.pid, signal);
    } catch {
      // Already gone.
    }
  }

  /**
   * Connection attempts with a bounded backoff, until one succeeds, the process exits or the
   * start timeout passes. Each attempt is event-driven (connect or error); the delay between
   * attempts is cut short by the process exiting.
   */
  private async waitForPort(hostname: string, port: number): Promise<void> {
    const deadline = Date.now() + this.opts.startTimeoutMs;
    let delay = BACKOFF_FIRST_MS;
    while (this.alive && Date.now() < deadline) {
      if (await canConnect(hostname, port)) return;
      const wait = Math.min(delay, Math.max(0, deadline - Date.now()));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(resolve, wait)))]);
      clearTimeout(timer);
      delay = Math.min(delay * 2, BACKOFF_MAX_MS);
    }
    // Never resolves on failure: start() reports the exit or the timeout.
    if (!this.alive) return new Promise(() => undefined);
    throw new AppProcessError('start timeout');
  }
}

function describeExit(exit: AppExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

function hostPort(url: string): { hostname: string; port: number } {
  const parsed = new URL(url);
  return { hostname: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port || 80) };
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

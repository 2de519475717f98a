// HTTP-server adapter: the same simulator core on a real port, for apps in another process or
// language, and for running live mode end to end without FreeClimb. Virtual time follows the wall
// clock here (scaled by `speed`), because a remote client cannot advance it.
import http from 'node:http';
import type { Simulator } from '../index';

export interface ServerHandle {
  /** The API base URL clients should use, e.g. http://127.0.0.1:4010/apiserver. */
  apiBaseUrl: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(sim: Simulator, opts: { port?: number; host?: string; speed?: number } = {}): Promise<ServerHandle> {
  const host = opts.host ?? '127.0.0.1';
  const basePath = new URL(sim.apiBaseUrl).pathname.replace(/\/+$/, '');
  const driver = new RealTimeDriver(sim, opts.speed ?? 1);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const response = sim.handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(response.status, response.headers);
      res.end(response.body ?? '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    apiBaseUrl: `http://${host}:${port}${basePath}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        driver.stop();
        sim.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Fires virtual timers when their (scaled) wall-clock moment comes. */
class RealTimeDriver {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;

  constructor(
    private readonly sim: Simulator,
    private readonly speed: number,
  ) {
    sim.clock.onSchedule(() => this.reschedule());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private reschedule(): void {
    if (this.running || this.stopped) return;
    clearTimeout(this.timer);
    const due = this.sim.clock.nextDue();
    if (due === undefined) return;
    const delay = Math.max(0, (due - this.sim.clock.now()) / this.speed);
    this.timer = setTimeout(() => void this.fire(due), delay);
  }

  private async fire(due: number): Promise<void> {
    this.running = true;
    try {
      await this.sim.advance(Math.max(0, due - this.sim.clock.now()));
    } finally {
      this.running = false;
      this.reschedule();
    }
  }
}

// HTTP-server adapter: the same simulator core on a real port, for apps in another process or
// language, and for running live mode end to end without FreeClimb. Virtual time follows the wall
// clock here (scaled by `speed`), because a remote client cannot advance it, unless the process
// that owns the simulator advances it itself (`realTime: false`, app gating: time moves only while
// a step waits and nothing else is pending).
import http from 'node:http';
import type { Simulator } from '../index';

export interface ServerHandle {
  /** The API base URL clients should use, e.g. http://127.0.0.1:4010/apiserver. */
  apiBaseUrl: string;
  port: number;
  /** Resolves when no REST request is being received or answered. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** One REST request served, as the app gate records it (the Authorization header is never kept). */
export interface ServedRequest {
  method: string;
  url: string;
  body: string;
  status: number;
  responseBody: string;
  /** Real time (performance.now()) it was answered. */
  at: number;
  /** How a request the app sent to FreeClimb's default URL was routed here (app gating), if it was. */
  route?: 'preload' | 'proxy';
}

export interface ListenOptions {
  port?: number;
  host?: string;
  speed?: number;
  /** false: no real-time driver; the owner of `sim` advances virtual time itself. Default true. */
  realTime?: boolean;
  /** Told of every request served, after the response is written. */
  onRequest?: (served: ServedRequest) => void;
  /** Told as each request has arrived, before the simulator handles it (and sends what it causes). */
  onArrival?: () => void;
}

export async function listen(sim: Simulator, opts: ListenOptions = {}): Promise<ServerHandle> {
  const host = opts.host ?? '127.0.0.1';
  const basePath = new URL(sim.apiBaseUrl).pathname.replace(/\/+$/, '');
  const driver = opts.realTime === false ? undefined : new RealTimeDriver(sim, opts.speed ?? 1);
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    inFlight += 1;
    const chunks: Buffer[] = [];
    const done = () => {
      inFlight -= 1;
      if (inFlight > 0) return;
      const waiters = idleWaiters;
      idleWaiters = [];
      waiters.forEach((w) => w());
    };
    req.on('error', done);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const route = routeOf(req.headers);
      opts.onArrival?.();
      const response = sim.handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
      res.writeHead(response.status, response.headers);
      res.end(response.body ?? '');
      opts.onRequest?.({ method: req.method ?? 'GET', url: req.url ?? '/', body, status: response.status, responseBody: response.body ?? '', at: performance.now(), ...(route ? { route } : {}) });
      done();
    });
  });
  // Node's default keeps an idle connection 5 s; an API behind a balancer typically keeps it a
  // minute. A client that reuses a connection just as the server drops it sees a reset that no
  // scenario is about, so the stand-in keeps connections as long as the real API likely does.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    apiBaseUrl: `http://${host}:${port}${basePath}`,
    port,
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    close: () =>
      new Promise<void>((resolve) => {
        driver?.stop();
        sim.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The app gate's routing marks what it forwards; the mark is the harness's, not the app's, so the simulator never sees it. */
function routeOf(headers: http.IncomingHttpHeaders): ServedRequest['route'] {
  const route = headers['x-fch-route'];
  delete headers['x-fch-route'];
  return route === 'preload' || route === 'proxy' ? route : undefined;
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
    const wallStart = performance.now();
    const virtualStart = sim.clock.now();
    sim.clock.follow(() => virtualStart + (performance.now() - wallStart) * speed);
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

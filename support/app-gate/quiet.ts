// When is the app under test quiet? Every webhook answered and no REST request in flight is not
// enough: FreeClimb's guides answer a webhook and, in the same handler, start a REST request
// through the SDK (terminate the conference), which reaches the simulator tens of milliseconds
// after the answer. The gate must not move virtual time, nor conclude that nothing else will
// happen, in between. Two sources tell it:
//  - the quiet probe: in a Node app, quiet-preload.ts counts the timers and requests started while
//    handling a request and answers "quiet" only once none is pending (exact, and cheap);
//  - the grace: how long after an answer the app's own REST requests arrived in this run (the ones
//    the probe did not see coming), doubled, within a floor and a ceiling. It covers apps in other
//    languages and work the probe cannot follow (an await on a database, a worker thread).
// The ceiling is also how long the gate listens before it says that nothing else is going to happen.
import net from 'node:net';
import type { GraceSummary } from '../schemas/conversation';

export { describeGrace } from '../report/grace-text';
export type { GraceSummary };
/** floorMs undefined: the default floor, which depends on whether the app answers the quiet probe. */
export interface GraceSettings {
  floorMs: number | undefined;
  ceilingMs: number;
}

// Probed, the floor only has to cover work the probe cannot follow. Unprobed (an app in another
// language, or one already running), it must cover a REST request right after an answer before
// any gap was measured: SDK requests arrive 10 to 30 ms after the answer, and often the first REST
// request of a run is just that (terminate when the last caller hangs up), so the floor cannot
// wait for the app to show that it sends any.
export const DEFAULT_FLOOR_PROBED_MS = 5;
export const DEFAULT_FLOOR_UNPROBED_MS = 50;

export class GraceMeter {
  private longest: number | undefined;
  private count = 0;

  constructor(
    readonly settings: GraceSettings,
    private readonly probed: () => boolean = () => false,
  ) {}

  get floorMs(): number {
    const floor = this.settings.floorMs ?? (this.probed() ? DEFAULT_FLOOR_PROBED_MS : DEFAULT_FLOOR_UNPROBED_MS);
    return Math.min(floor, this.settings.ceilingMs);
  }

  /** A REST request arrived `gapMs` after the app's last answer. Gaps beyond the ceiling are not about that answer. */
  sample(gapMs: number): void {
    if (gapMs < 0 || gapMs > this.settings.ceilingMs) return;
    this.count += 1;
    this.longest = Math.max(this.longest ?? 0, gapMs);
  }

  get graceMs(): number {
    const measured = this.longest === undefined ? 0 : Math.ceil(this.longest * 2);
    return Math.min(this.settings.ceilingMs, Math.max(this.floorMs, measured));
  }

  summary(probed: number): GraceSummary {
    return { floorMs: this.floorMs, ceilingMs: this.settings.ceilingMs, graceMs: this.graceMs, samples: this.count, probed, ...(this.longest === undefined ? {} : { longestGapMs: Math.round(this.longest * 10) / 10 }) };
  }
}

/**
 * The gate's end of the quiet probe: a loopback server the preloaded app processes connect to.
 * `probe()` asks each connected process and resolves once all said quiet, or at the deadline.
 */
export class QuietProbe {
  private readonly sockets = new Set<net.Socket>();
  private nextId = 1;
  private readonly answers = new Map<string, () => void>();

  private constructor(private readonly server: net.Server) {
    server.on('connection', (socket) => this.adopt(socket));
  }

  static async open(): Promise<QuietProbe> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new QuietProbe(server);
  }

  /** host:port, for the app's environment. */
  get address(): string {
    const { port } = this.server.address() as net.AddressInfo;
    return `127.0.0.1:${port}`;
  }

  get connected(): number {
    return this.sockets.size;
  }

  /** true when every connected process said quiet within `timeoutMs`. */
  async probe(timeoutMs: number): Promise<boolean> {
    if (this.sockets.size === 0) return true;
    const asked = [...this.sockets].map((socket) => {
      const id = String(this.nextId++);
      return new Promise<boolean>((resolve) => {
        const done = (quiet: boolean) => {
          this.answers.delete(id);
          socket.off('close', gone);
          clearTimeout(timer);
          resolve(quiet);
        };
        // A process that exits while asked has nothing more to send.
        const gone = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        this.answers.set(id, () => done(true));
        socket.once('close', gone);
        socket.write(`${id}\n`);
      });
    });
    return (await Promise.all(asked)).every(Boolean);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private adopt(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        this.answers.get(buffer.slice(0, nl))?.();
        buffer = buffer.slice(nl + 1);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }
}

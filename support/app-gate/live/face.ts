// The harness as the app's public face in a live app gate. FreeClimb calls the run's public URL
// (HARNESS_PUBLIC_URL or the tunnel, on HARNESS_PORT); every request whose path is the app's is
// forwarded to the app with its exact bytes and headers, so the app's own FreeClimb-Signature check
// sees what FreeClimb signed, and the app's answer goes back to FreeClimb unchanged. Each exchange is
// recorded (request, answer, the app's time) in the shape the mock gate's conversation is built
// from, so the same checks and diagrams apply. Paths under /_fch are the harness's own legs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../live/parallel/relay';
import type { Delivery } from '../../simulator';
import { HARNESS_PREFIX } from './live-config';

/** One request FreeClimb sent to the public URL, and how it was answered. */
export interface FaceExchange extends Delivery {
  /** The path (and query) on the public URL. */
  path: string;
  /** Forwarded to the app (true) or answered by the harness for one of its own legs (false). */
  toApp: boolean;
}

export interface HarnessAnswer {
  status: number;
  body?: string;
}

export interface FaceOptions {
  port: number;
  /** The public URL FreeClimb uses, for the recorded URLs. */
  publicUrl: string;
  /** The app's loopback base URL (HARNESS_APP_URL). */
  appUrl: string;
  /** How long the app may take to answer, as FreeClimb's webhook timeout would allow. */
  timeoutMs: number;
  /** Answers a request on the harness's own paths (/_fch/…). */
  harness: (path: string, body: Record<string, unknown>) => Promise<HarnessAnswer>;
}

// Hop-by-hop headers belong to each connection; everything else (the signature above all) is forwarded as it came.
const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export class Face {
  readonly exchanges: FaceExchange[] = [];
  private listeners = new Set<() => void>();
  private inFlight = 0;
  private server: http.Server | undefined;
  port = 0;

  constructor(private readonly opts: FaceOptions) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      // Loopback only: the tunnel (or the stand-in for FreeClimb) connects here.
      this.server!.listen(this.opts.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Called after every request arrives and after every answer: what waits re-check on. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Requests received and not answered yet. */
  get pending(): number {
    return this.inFlight;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inFlight += 1;
    const bytes = await readBody(req);
    const path = req.url ?? '/';
    const body = parseObject(bytes);
    const toApp = !path.startsWith(`${HARNESS_PREFIX}/`);
    const exchange: FaceExchange = {
      seq: this.exchanges.length + 1,
      url: this.opts.publicUrl.replace(/\/+$/, '') + path,
      path,
      toApp,
      requestType: typeof body.requestType === 'string' ? body.requestType : '(none)',
      body,
      virtualTime: 0,
      sentAt: performance.now(),
    };
    this.exchanges.push(exchange);
    this.changed();
    let status: number;
    let answer: string | undefined;
    let type: string | undefined;
    if (!toApp) {
      ({ status, body: answer } = await this.opts.harness(path.split('?')[0], body));
      type = 'application/json';
    } else {
      const result = await forward(this.opts.appUrl + path, req, bytes, this.opts.timeoutMs);
      if ('error' in result) {
        exchange.error = result.error;
        // FreeClimb sees what it would see from an app that cannot answer.
        status = 502;
      } else {
        ({ status, body: answer, type } = result);
        exchange.status = status;
        exchange.answer = answer ?? '';
      }
      exchange.answerMs = performance.now() - exchange.sentAt!;
    }
    if (!toApp) {
      exchange.status = status;
      exchange.answer = answer ?? '';
      exchange.answerMs = 0;
    }
    res.writeHead(status, type ? { 'content-type': type } : {}).end(answer ?? '');
    this.inFlight -= 1;
    this.changed();
  }
}

function forward(url: string, from: http.IncomingMessage, bytes: Buffer, timeoutMs: number): Promise<{ status: number; body?: string; type?: string } | { error: string }> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(from.headers)) if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = value;
  headers['content-length'] = String(bytes.length);
  return new Promise((resolve) => {
    const req = http.request(url, { method: from.method, headers, timeout: timeoutMs, agent: false }, (res) => {
      void readBody(res).then(
        (body) => resolve({ status: res.statusCode ?? 502, body: body.length ? body.toString('utf8') : undefined, type: res.headers['content-type'] }),
        (e: Error) => resolve({ error: `the answer could not be read: ${e.message}` }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code === 'ECONNREFUSED' ? `connection refused at ${url}` : e.message }));
    req.end(bytes);
  });
}


function parseObject(bytes: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

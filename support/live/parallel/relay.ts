// The HTTP plumbing both parallel fronts share (the suite's, support/live/parallel/front.ts, and the
// live app gate's, support/app-gate/live/parallel/app-front.ts): a request relayed to a worker on
// loopback with its exact bytes and headers (the worker, or the app behind it, checks FreeClimb's
// signature over those bytes), and the small server helpers around it.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PERCL_EXPECTED } from '../../schemas/webhooks';
import { resetUnread } from '../../stale-connection';

export interface RelayAnswer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

// Hop-by-hop headers belong to each connection; everything else (the signature above all) is relayed as it came.
const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** Sends `bytes` to `base + path` as `from` came (method, headers); rejects when the worker cannot be reached. */
export function relay(base: string, path: string, from: http.IncomingMessage, bytes: Buffer, agent: http.Agent | false): Promise<RelayAnswer> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(from.headers)) if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = value;
  headers['content-length'] = String(bytes.length);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(`${base}${path}`, { method: from.method, headers, agent }, (res) => {
      answered = true;
      void readBody(res).then((body) => {
        const out: Record<string, string> = {};
        const type = res.headers['content-type'];
        if (type) out['content-type'] = type;
        resolve({ status: res.statusCode ?? 502, headers: out, body: body.length ? body.toString('utf8') : undefined });
      }, reject);
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      // A kept-alive socket the worker closed just as it was reused: the request never reached it
      // (Node's documented case), so send it once more on a new connection rather than call the worker gone.
      if (agent && resetUnread(req, e, answered)) relay(base, path, from, bytes, false).then(resolve, reject);
      else reject(e);
    });
    req.end(bytes);
  });
}

export function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * The answer to a webhook no worker can take (all gone after Ctrl-C, or a call of nobody's): a call
 * that asks what to do next is told to hang up, so nothing stays on the line; a notification gets 204.
 */
export function nobodysAnswer(body: unknown, reason: string): RelayAnswer {
  const requestType = (typeof body === 'object' && body !== null ? (body as { requestType?: unknown }).requestType : undefined);
  if (typeof requestType === 'string' && PERCL_EXPECTED.has(requestType as never)) {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ Hangup: { reason } }]) };
  }
  return { status: 204, headers: {} };
}

/** The JSON in `bytes`, or undefined when it is not JSON. */
function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Listens on 127.0.0.1 only (a tunnel or the stand-in for FreeClimb connects there); resolves with the port. */
function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export interface FrontServers {
  /** Where the public listener is, e.g. http://127.0.0.1:4567. */
  localUrl: string;
  /** The workers' control URL: loopback only, under a random path segment no tunnel reaches. */
  controlUrl: string;
  close(): Promise<void>;
}

/**
 * A front's two listeners: the public one on `port` (where the tunnel or HARNESS_PUBLIC_URL points),
 * answered by `answer` with the request's parsed body and exact bytes; and the workers' control one
 * on a free port, where POST /<secret>/<verb> with a JSON body is answered by `control`.
 */
export async function serveFront(opts: {
  port: number;
  answer: (req: http.IncomingMessage, url: URL, body: unknown, bytes: Buffer) => Promise<RelayAnswer>;
  control: (verb: string, body: unknown) => Promise<{ status: number; body: unknown }> | { status: number; body: unknown };
  onClose?: () => void;
}): Promise<FrontServers> {
  const secret = randomBytes(12).toString('hex');
  const publicServer = http.createServer((req, res) => {
    void readBody(req)
      .then(async (bytes) => {
        const answer = await opts.answer(req, new URL(req.url ?? '/', 'http://front.invalid'), parseJson(bytes), bytes);
        res.writeHead(answer.status, answer.headers).end(answer.body);
      })
      .catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `front failure: ${(e as Error).message}` }));
      });
  });
  const prefix = `/${secret}/`;
  const controlServer = http.createServer((req, res) => {
    void readBody(req)
      .then(async (bytes) => {
        const answer = req.method === 'POST' && req.url?.startsWith(prefix) ? await opts.control(req.url.slice(prefix.length), parseJson(bytes)) : { status: 404, body: { error: 'not found' } };
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      })
      // A worker killed mid-request (or a control verb that throws) must not take the front down with it.
      .catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `front failure: ${(e as Error).message}` }));
      });
  });
  const publicPort = await listen(publicServer, opts.port);
  const controlPort = await listen(controlServer, 0);
  return {
    localUrl: `http://127.0.0.1:${publicPort}`,
    controlUrl: `http://127.0.0.1:${controlPort}/${secret}`,
    close: () => Promise.all([closeServer(publicServer), closeServer(controlServer)]).then(() => opts.onClose?.()),
  };
}

// One HTTP exchange of the REST client, over Node's http/https with a pooled keep-alive agent.
//
// Why not Playwright's APIRequestContext, which the client used before: its agent keeps idle
// sockets open forever (Node honours a server's `Keep-Alive: timeout=N` hint only when the agent has
// a timeout of its own), so a request written just as the server closes an idle connection fails
// with "socket hang up". Under load that happened on a CI run, on a POST that cannot be repeated
// blind. Here idle sockets are dropped before the server's announced timeout, and a request that
// meets a reset on a reused socket before any answer (the server closed the connection without
// reading it) is sent once more on a new connection, as Node's documentation advises.
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { resetUnread } from '../stale-connection';

export interface Served {
  status: number;
  /** Lower-case names; repeated headers joined with ", " (set-cookie with "\n"). */
  headers: Record<string, string>;
  text: string;
}

export class SendTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** An idle pooled socket is closed after this long: below the 5 s that Node servers, and many balancers, keep one. */
const IDLE_MS = 4_000;

export class HttpSender {
  readonly #agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: IDLE_MS }),
    'https:': new https.Agent({ keepAlive: true, timeout: IDLE_MS }),
  };

  /** Resolves with any status (redirects are not followed: they would carry Authorization away); rejects on no answer. */
  async send(method: string, url: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<Served> {
    const deadline = Date.now() + timeoutMs;
    try {
      return await this.#once(method, url, headers, body, timeoutMs, true);
    } catch (e) {
      if (!(e instanceof StaleConnection)) throw e;
      return this.#once(method, url, headers, body, Math.max(1, deadline - Date.now()), false);
    }
  }

  destroy(): void {
    this.#agents['http:'].destroy();
    this.#agents['https:'].destroy();
  }

  #once(method: string, url: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number, pooled: boolean): Promise<Served> {
    const target = new URL(url);
    const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
    const lib = protocol === 'https:' ? https : http;
    const sent = { ...headers, ...(body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) }) };
    return new Promise<Served>((resolve, reject) => {
      let answered = false;
      const req = lib.request(target, { method, headers: sent, agent: pooled ? this.#agents[protocol] : false, timeout: timeoutMs }, (res) => {
        answered = true;
        readText(res).then(
          (text) => {
            clearTimeout(limit);
            resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), text });
          },
          (e: Error) => {
            clearTimeout(limit);
            reject(e);
          },
        );
      });
      // Rejects here too: once the answer has begun, destroying the request fails the response
      // stream, not the request, so the timeout must not depend on the body's reader noticing.
      const expire = () => {
        const timeout = new SendTimeoutError(`Timeout ${timeoutMs}ms exceeded`);
        req.destroy(timeout);
        reject(timeout);
      };
      const limit = setTimeout(expire, timeoutMs);
      req.on('timeout', expire);
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(limit);
        reject(resetUnread(req, e, answered) ? new StaleConnection() : describeError(e));
      });
      req.end(body);
    });
  }
}

class StaleConnection extends Error {}

/** Node's messages leave out the code for some failures ("socket hang up"); it is the part people search for. */
function describeError(e: NodeJS.ErrnoException): Error {
  if (e instanceof SendTimeoutError || !e.code || e.message.includes(e.code)) return e;
  return new Error(`${e.message} (${e.code})`);
}

async function readText(res: http.IncomingMessage): Promise<string> {
  const encoding = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  // pipeline, not pipe: a response cut off mid-body must fail the read, not leave it waiting.
  const stream = decoder ? pipeline(res, decoder, () => undefined) : res;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(name === 'set-cookie' ? '\n' : ', ') : value;
  }
  return out;
}

// Loaded with `node --require` into every Node process the app command starts (NODE_OPTIONS), so
// an app on the official SDK, which hard-codes FreeClimb's URL and its own https agent, reaches the
// simulator without a change. It must stay one file that needs only Node's builtins and
// @mswjs/interceptors: in the repository it is transpiled alone (routing/preload-file.ts), and it
// runs inside the team's processes, where nothing of the harness is loaded. It prints nothing
// unless a request to FreeClimb could not be delivered and even the report of that failed.
import http from 'node:http';

// The same names as in routing/names.ts, repeated: this file may import nothing of the harness.
const TARGET_ENV = 'FCH_ROUTE_TARGET';
const REPORT_ENV = 'FCH_ROUTE_REPORT';
const ROUTE_HEADER = 'x-fch-route';

const FREECLIMB_HOST = 'www.freeclimb.com';
const API_PATH = '/apiserver';
// Taken before the interceptors patch the module, so the forwarded request is not intercepted again.
const rawRequest = http.request;
// Kept-alive connections to the simulator: an SDK call pays one loopback hop, not a TCP handshake
// too. Node unrefs idle kept-alive sockets, so they never keep the app's process alive.
const toSimulator = new http.Agent({ keepAlive: true });
// Hop-by-hop, or recomputed for the new body: copying them would corrupt the framing.
const DROPPED_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-connection', 'x-interceptors-internal-request-id']);

interface Forwarded {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

function forward(target: URL, request: Request, body: Buffer): Promise<Forwarded> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (!DROPPED_HEADERS.has(name)) headers[name] = value;
  });
  headers[ROUTE_HEADER] = 'preload';
  if (body.length > 0 || !['GET', 'HEAD'].includes(request.method)) headers['content-length'] = String(body.length);
  const path = target.pathname.replace(/\/+$/, '') + url.pathname.slice(API_PATH.length) + url.search;
  return send(target, request.method, path, headers, body);
}

function send(target: URL, method: string, path: string, headers: Record<string, string>, body: Buffer, retried = false): Promise<Forwarded> {
  return new Promise((resolve, reject) => {
    const req = rawRequest({ host: target.hostname, port: target.port, method, path, headers, agent: toSimulator }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const out: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!;
          if (!DROPPED_HEADERS.has(name.toLowerCase())) out.push([name, res.rawHeaders[i + 1]!]);
        }
        resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      // The simulator closed an idle kept-alive connection just as it was reused (Node's documented
      // case for a retry): once more, on a fresh connection. The test is support/stale-connection.ts's,
      // written out here because this file runs inside the app's process and imports only Node.
      if (req.reusedSocket && e.code === 'ECONNRESET' && !retried) send(target, method, path, headers, body, true).then(resolve, reject);
      else reject(e);
    });
    req.end(body);
  });
}

/** Tells the harness; the app's own error is what the app sees either way. */
function reportFailure(url: string, error: string): Promise<void> {
  const report = process.env[REPORT_ENV];
  const complain = (why: string) => process.stderr.write(`[fch routing] ${url} could not be routed to the simulator: ${error} (and the harness was not told: ${why})\n`);
  if (!report) {
    complain(`${REPORT_ENV} is not set`);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const payload = JSON.stringify({ url, error });
    const req = rawRequest(report, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', (e) => {
      complain(e.message);
      resolve();
    });
    req.end(payload);
  });
}

function isFreeClimbApi(url: URL): boolean {
  return url.hostname === FREECLIMB_HOST && (url.protocol === 'https:' || url.protocol === 'http:') && (url.pathname === API_PATH || url.pathname.startsWith(`${API_PATH}/`));
}

function install(targetText: string): void {
  // Required here, not imported at the top: a process without the target pays nothing for them.
  const { ClientRequestInterceptor } = require('@mswjs/interceptors/ClientRequest') as typeof import('@mswjs/interceptors/ClientRequest');
  const { FetchInterceptor } = require('@mswjs/interceptors/fetch') as typeof import('@mswjs/interceptors/fetch');
  const target = new URL(targetText);
  const interceptors = [new ClientRequestInterceptor(), new FetchInterceptor()];
  for (const interceptor of interceptors) {
    interceptor.apply();
    interceptor.on('request', async ({ request, controller }) => {
      if (!isFreeClimbApi(new URL(request.url))) return;
      try {
        const body = Buffer.from(await request.arrayBuffer());
        const answer = await forward(target, request, body);
        const noBody = answer.status === 204 || answer.status === 304 || request.method === 'HEAD';
        controller.respondWith(new Response(noBody ? null : new Uint8Array(answer.body), { status: answer.status, headers: answer.headers }));
      } catch (e) {
        const error = e instanceof Error ? e.message || (e as NodeJS.ErrnoException).code || e.name : String(e);
        await reportFailure(request.url, error);
        controller.errorWith(new Error(`the harness could not route ${request.method} ${request.url} to the simulator: ${error}`));
      }
    });
  }
}

const targetText = process.env[TARGET_ENV];
if (targetText) install(targetText);

// The one receiver of a parallel live run. It listens on HARNESS_PORT, where the tunnel (or
// HARNESS_PUBLIC_URL) points, and hands every webhook to the worker that owns it (routing.ts), over
// loopback HTTP with the exact bytes and headers, so the worker's receiver checks the signature and
// records the request as if FreeClimb had sent it straight there. It verifies nothing itself.
//
// The workers talk to it on a second, loopback-only port that no tunnel reaches: registration, DTMF
// token claims (the shared call budget), call ids, and what they created. Its URL carries a random
// path segment, handed to the workers in HARNESS_LIVE_FRONT.
import http from 'node:http';
import { nobodysAnswer, relay, serveFront } from './relay';
import { RouteTable, type Decision } from './routing';

export const FRONT_ENV = 'HARNESS_LIVE_FRONT';

export interface FrontOptions {
  /** The public port (HARNESS_PORT, or the tunnel's); 0 picks one. */
  port: number;
  maxCalls: number;
  /** How long a callStatus may wait for its call's owner to claim it (POST /Calls under way). */
  holdMs: number;
}

export interface Front {
  readonly table: RouteTable;
  /** Where the public listener is, e.g. http://127.0.0.1:4567. */
  readonly localUrl: string;
  /** The control URL for the workers (HARNESS_LIVE_FRONT). */
  readonly controlUrl: string;
  /** Webhooks the front answered itself because no worker could (a worker gone, a stray call). */
  readonly answeredItself: number;
  close(): Promise<void>;
}

export async function startFront(opts: FrontOptions): Promise<Front> {
  const table = new RouteTable(opts.maxCalls);
  let answeredItself = 0;
  // Kept-alive connections to the workers: a run forwards about a thousand webhooks, and a new
  // connection for each would churn loopback ports that other runs on the machine pick as free.
  const agent = new http.Agent({ keepAlive: true });
  const servers = await serveFront({
    port: opts.port,
    answer: async (req, url, body, bytes) => {
      const answer = await route(table, table.decide(url.pathname, body), { req, bytes, body, search: url.search, holdMs: opts.holdMs, agent });
      if (answer.self) answeredItself += 1;
      return answer;
    },
    control: (verb, body) => control(table, verb, body),
    onClose: () => agent.destroy(),
  });
  return {
    table,
    localUrl: servers.localUrl,
    controlUrl: servers.controlUrl,
    get answeredItself() {
      return answeredItself;
    },
    close: () => servers.close(),
  };
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body?: string;
  /** Answered by the front, not a worker. */
  self?: boolean;
}

async function route(table: RouteTable, decision: Decision, req: { req: http.IncomingMessage; bytes: Buffer; body: unknown; search: string; holdMs: number; agent: http.Agent }): Promise<Answer> {
  if (decision.kind === 'none') return { status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: decision.reason }), self: true };
  let candidates: string[];
  if (decision.kind === 'worker') candidates = [decision.worker];
  else if (decision.kind === 'await-call') {
    const owner = await table.waitForOwner(decision.callId, req.holdMs);
    candidates = owner ? [owner] : table.anyWorkers();
  } else candidates = table.anyWorkers();
  for (const [i, worker] of candidates.entries()) {
    const answer = await relay(table.urlOf(worker)!, decision.path + req.search, req.req, req.bytes, req.agent).catch(() => undefined);
    if (!answer) continue; // that worker is gone; a request any worker may answer tries the next
    // A worker without the shared route (not ready yet, or stopping) is not the one to answer.
    if (answer.status === 404 && decision.kind !== 'worker' && i < candidates.length - 1) continue;
    table.countForward(worker);
    table.sawWebhook(worker, req.body);
    return answer;
  }
  return { ...nobodysAnswer(req.body, 'the harness worker that owned this call is gone'), self: true };
}

/** The workers' side: POST /<secret>/<verb> with a JSON body. */
function control(table: RouteTable, verb: string, body: unknown): { status: number; body: unknown } {
  const b = (body ?? {}) as { worker?: string; url?: string; token?: string; callId?: string; id?: string; key?: string };
  const worker = String(b.worker ?? '');
  switch (verb) {
    case 'worker':
      table.addWorker(worker, String(b.url));
      return { status: 200, body: { ok: true } };
    case 'token': {
      const result = table.claimToken(worker, String(b.token));
      return { status: result.ok ? 200 : 409, body: result };
    }
    case 'placed':
      table.placed(worker, String(b.token), b.callId);
      return { status: 200, body: { ok: true } };
    case 'creating-conference': {
      const result = table.creatingConference(worker, String(b.key));
      return { status: result.ok ? 200 : 409, body: result };
    }
    case 'conference':
      table.conferenceCreated(worker, b.id === undefined ? undefined : String(b.id), b.key);
      return { status: 200, body: { ok: true } };
    case 'ended':
      table.ended(String(b.id));
      return { status: 200, body: { ok: true } };
    default:
      return { status: 404, body: { error: `unknown control ${verb}` } };
  }
}

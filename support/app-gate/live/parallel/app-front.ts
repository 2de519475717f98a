// The one public face of a parallel live app gate. It listens where the tunnel (or
// HARNESS_PUBLIC_URL) points and relays every request FreeClimb sends to the worker that owns it
// (app-routes.ts), over loopback with the exact bytes and headers; the worker's own face records it
// and relays it on to its copy of the app, whose signature check sees what FreeClimb signed. What
// nobody owns is answered here (a Hangup, or 204) and counted.
//
// The workers talk to it on a second, loopback-only port that no tunnel reaches, under a random path
// segment handed to them in HARNESS_APP_LIVE_FRONT: registration, the dial lock with the shared call
// budget, the calls they placed, and the people numbers their scenarios hold. A request that must
// wait (a dial while another caller is being placed) is answered when it may go on.
import http from 'node:http';
import { nobodysAnswer, relay, serveFront } from '../../../live/parallel/relay';
import { AppRouteTable, type AppRoutesOptions, type Grant } from './app-routes';

export const APP_FRONT_ENV = 'HARNESS_APP_LIVE_FRONT';
export const APP_WORKER_ENV = 'HARNESS_APP_LIVE_WORKER';

export interface AppFrontOptions extends AppRoutesOptions {
  /** The public port (HARNESS_PORT, or the tunnel's). */
  port: number;
  /** How long a dial or a hold may wait for what another worker has (HARNESS_TIMEOUT_MS). */
  waitMs: number;
}

export interface AppFront {
  readonly table: AppRouteTable;
  readonly localUrl: string;
  readonly controlUrl: string;
  /**
   * Resolves once no request is being answered and none has arrived for `settleMs`; rejects after
   * `timeoutMs` with what kept it busy. Event-driven: each request arriving or answered re-arms it.
   */
  quiet(settleMs: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startAppFront(opts: AppFrontOptions): Promise<AppFront> {
  const table = new AppRouteTable(opts);
  const agent = new http.Agent({ keepAlive: true });
  let inFlight = 0;
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  const answer = async (req: http.IncomingMessage, url: URL, body: unknown, bytes: Buffer) => {
    inFlight += 1;
    changed();
    try {
      return await answerOne(req, url, body, bytes);
    } finally {
      inFlight -= 1;
      changed();
    }
  };
  const answerOne = async (req: http.IncomingMessage, url: URL, body: unknown, bytes: Buffer) => {
    const decision = table.decide(url.pathname, body);
    if (decision.kind === 'worker') {
      const answer = await relay(table.urlOf(decision.worker)!, decision.path + url.search, req, bytes, agent).catch(() => undefined);
      if (answer) {
        table.countForward(decision.worker);
        table.learnFromAnswer(decision.worker, answer.body);
        return answer;
      }
    }
    const reason = decision.kind === 'none' ? decision.reason : `the harness worker ${decision.worker} is gone`;
    (decision.kind === 'none' && decision.late ? table.afterFinish : table.answeredItself).push(`${(body as { requestType?: string } | undefined)?.requestType ?? 'a request'} to ${url.pathname}: ${reason}`);
    return nobodysAnswer(body, `fch app live front: ${reason}`);
  };
  const servers = await serveFront({
    port: opts.port,
    answer,
    control: (verb, body) => control(table, verb, body, opts.waitMs),
    onClose: () => agent.destroy(),
  });
  const quiet = (settleMs: number, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      let silence: NodeJS.Timeout | undefined;
      const done = (settle: () => void) => {
        clearTimeout(silence);
        clearTimeout(limit);
        listeners.delete(arm);
        settle();
      };
      const arm = () => {
        clearTimeout(silence);
        if (inFlight === 0) silence = setTimeout(() => done(resolve), settleMs);
      };
      const limit = setTimeout(() => done(() => reject(new Error(`the public URL did not fall quiet for ${settleMs} ms within ${timeoutMs} ms (${inFlight} request(s) still being answered)`))), timeoutMs);
      listeners.add(arm);
      arm();
    });
  return { table, ...servers, quiet };
}

/** The workers' side: POST /<secret>/<verb> with a JSON body. */
async function control(table: AppRouteTable, verb: string, body: unknown, waitMs: number): Promise<{ status: number; body: unknown }> {
  const b = (body ?? {}) as { worker?: unknown; url?: unknown; grant?: unknown; callId?: unknown; numbers?: unknown };
  const worker = String(b.worker ?? '');
  const granted = (g: Grant) => ({ status: g.ok ? 200 : 409, body: g });
  switch (verb) {
    case 'worker':
      table.addWorker(worker, String(b.url));
      return { status: 200, body: { ok: true } };
    case 'dial':
      // A caller holds the lock for at most one wait for its call to reach the app and, when it never
      // does, one more for that call to end (live-run.ts abandonCaller): the next may wait that long.
      return granted(await table.dial(worker, 2 * waitMs));
    case 'release-dial':
      if (typeof b.grant === 'number') table.releaseDial(worker, b.grant);
      return { status: 200, body: { ok: true } };
    case 'placed':
      if (typeof b.callId === 'string') table.placed(worker, b.callId);
      return { status: 200, body: { ok: true } };
    case 'hold':
      return granted(await table.hold(worker, Array.isArray(b.numbers) ? b.numbers.map(String) : [], waitMs));
    case 'release':
      table.release(worker);
      return { status: 200, body: { ok: true } };
    case 'finished':
      table.finish(worker);
      return { status: 200, body: { ok: true } };
    default:
      return { status: 404, body: { error: `unknown control ${verb}` } };
  }
}

// A simulator with a tiny local HTTP server behind every webhook: it records each JSON body and
// answers from a per-path table (PerCL, a raw string, an HTTP status, or a function of the body).
// Every body received must match the webhook schemas, and the simulator must raise no internal
// error. (test/engine.test.ts has its own copy of the same idea, written before this helper.)
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { Webhook } from '../../support/schemas/webhooks';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../support/simulator';
import type { CallState } from '../../support/simulator/state';

export type Body = Record<string, unknown>;
type Reply = unknown[] | string | { status: number };
export type Answer = Reply | ((body: Body) => Reply | undefined);

export class Hooks {
  readonly hits: { path: string; body: Body }[] = [];
  private readonly answers = new Map<string, Answer>();
  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<Hooks> {
    const server = http.createServer();
    const hooks = new Hooks(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = (req.url ?? '/').split('?')[0];
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
        hooks.hits.push({ path, body });
        let answer = hooks.answers.get(path);
        if (typeof answer === 'function') answer = answer(body);
        if (answer === undefined) return void res.writeHead(204).end();
        if (!Array.isArray(answer) && typeof answer === 'object') return void res.writeHead(answer.status).end();
        res.writeHead(200, { 'content-type': 'application/json' }).end(typeof answer === 'string' ? answer : JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return hooks;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  on(path: string, answer: Answer): void {
    this.answers.set(path, answer);
  }

  at(path: string): Body[] {
    return this.hits.filter((h) => h.path === path).map((h) => h.body);
  }

  /** `requestType` of every body received on `path`, in order. */
  types(path: string): unknown[] {
    return this.at(path).map((b) => b.requestType);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const CALLS = '/calls'; // every call's statusCallbackUrl

export interface Rig {
  sim: Simulator;
  hooks: Hooks;
  /** Places a call to a simulated phone; its outDialApiConnect is answered with `script`. */
  call(script: Answer): CallState;
  /** A REST request with the account's credentials; the body is JSON. */
  rest(method: string, path: string, body?: unknown): { status: number; json: Body };
}

let calls = 0;

export async function rig(t: TestContext, opts: Pick<SimulatorOptions, 'variants' | 'fault'> = {}): Promise<Rig> {
  const hooks = await Hooks.start();
  const sim = createSimulator(opts);
  t.after(async () => {
    sim.close();
    await hooks.close();
    assert.deepEqual(sim.errors, [], 'the simulator raised no internal errors');
    for (const { path, body } of hooks.hits) {
      const parsed = Webhook.safeParse(body);
      assert.ok(parsed.success, `${path} ${String(body.requestType)} matches the webhook schema: ${parsed.error?.message}`);
    }
  });
  const { accountId, apiKey } = sim.credentials();
  const authorization = `Basic ${Buffer.from(`${accountId}:${apiKey}`).toString('base64')}`;
  return {
    sim,
    hooks,
    call: (script) => {
      const path = `/connect/${++calls}`;
      hooks.on(path, script);
      return sim.engine.makeCall({ from: '+13121000109', to: `+1312555${String(calls).padStart(4, '0')}`, callConnectUrl: hooks.url(path), statusCallbackUrl: hooks.url(CALLS) });
    },
    rest: (method, path, body) => {
      const res = sim.handle({ method, url: `/apiserver/Accounts/${accountId}${path}`, headers: { authorization, 'content-type': 'application/json' }, body: body === undefined ? '' : JSON.stringify(body) });
      return { status: res.status, json: res.body ? (JSON.parse(res.body) as Body) : {} };
    },
  };
}

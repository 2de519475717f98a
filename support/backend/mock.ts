// Mock mode: a fresh in-process simulator per scenario behind nock. Participants call simulated
// phones, whose "person" presses keys on request; conference time is virtual, so elapse() and
// settle() are exact instead of waiting.
import type { FreeClimbClient } from '../client/freeclimb-client';
import { routeInProcess } from '../client/transport';
import type { HarnessConfig } from '../config';
import { createSimulator, type Simulator } from '../simulator';
import { installNock } from '../simulator/adapters/nock';
import { post, type WebhookPoster } from '../simulator/dispatcher';
import type { CallbackReceiver } from '../callbacks/receiver';
import type { BackendContext, ScenarioBackend } from './backend';

export class MockBackend implements ScenarioBackend {
  readonly mode = 'mock' as const;
  private readonly farEnds = new Map<string, string>();

  private constructor(
    readonly sim: Simulator,
    private readonly uninstall: () => void,
    private readonly client: FreeClimbClient,
    private readonly applicationId: string,
    private readonly callerNumber: string,
  ) {}

  static start(cfg: HarnessConfig, client: FreeClimbClient, ctx: BackendContext): MockBackend {
    const inProcess = cfg.transport === 'in-process' ? ctx.receiver : undefined;
    const sim = createSimulator({
      accountId: cfg.accountId,
      apiKey: cfg.apiKey,
      signingSecret: cfg.signingSecret,
      apiBaseUrl: cfg.apiBaseUrl,
      variants: Object.entries(cfg.variants).map(([axis, option]) => `${axis}=${option}`).join(','),
      fault: cfg.fault,
      numbers: [cfg.numberA],
      webhookTimeoutMs: cfg.timeoutMs,
      ...(inProcess ? { post: inProcessPoster(inProcess) } : {}),
    });
    // The account as `npm run live:setup` leaves a real one: an application whose
    // statusCallbackUrl is where FreeClimb reports the participants' calls ending (§2.4). Seeded
    // directly, since every scenario needs it and it is not what the scenarios test.
    const applicationId = sim.addApplication({
      alias: `${ctx.aliasPrefix}-app`,
      callConnectUrl: ctx.inbox.url('connect'),
      statusCallbackUrl: ctx.inbox.url('call-status'),
      voiceUrl: ctx.inbox.url('voice'),
    });
    const backend = new MockBackend(sim, inProcess ? routeToSimulator(sim) : installNock(sim), client, applicationId, cfg.numberA);
    // Time is virtual and moves only when a step moves it, so once the simulator and the client are
    // both idle nothing more can reach the inbox: a wait still unmet fails then, not at its timeout.
    ctx.inbox.quiescent = () => backend.quiet();
    return backend;
  }

  /** Until the simulator has nothing queued or in flight and no REST request is outstanding, both at once. */
  async quiet(): Promise<void> {
    for (;;) {
      await this.client.idle();
      await this.sim.settle();
      // A webhook's answer may have made the harness call the API again (or the reverse).
      if (this.sim.idleNow() && this.client.idleNow()) return;
    }
  }

  async dial(name: string, callConnectUrl: string): Promise<string> {
    // A number the account does not own: the simulator puts a simulated person on the line.
    if (!this.farEnds.has(name)) this.farEnds.set(name, `+1555019${String(1000 + this.farEnds.size).padStart(4, '0')}`);
    const call = await this.client.makeCall({ from: this.callerNumber, to: this.farEnds.get(name)!, applicationId: this.applicationId, callConnectUrl });
    return call.callId;
  }

  creatingConference<T>(create: () => Promise<T>): Promise<T> {
    return create();
  }

  conferenceCreated(): void {
    // The simulator is discarded after the scenario; nothing outlives it.
  }

  async pressDigits(callId: string, digits: string): Promise<void> {
    this.sim.press(callId, digits);
  }

  async speak(callId: string, text: string, ms: number): Promise<void> {
    this.sim.speak(callId, text, ms);
  }

  async elapse(ms: number): Promise<void> {
    await this.sim.advance(ms);
  }

  async settle(): Promise<void> {
    await this.sim.settle();
  }

  virtualNow(): number {
    return this.sim.clock.now();
  }

  evidence(): Record<string, unknown> {
    return {
      variants: this.sim.variants,
      fault: this.sim.fault ?? null,
      trace: this.sim.events,
      deliveries: this.sim.deliveries.map((d) => ({ seq: d.seq, requestType: d.requestType, url: d.url, status: d.status, error: d.error })),
      internalErrors: this.sim.errors.map((e) => e.message),
    };
  }

  async dispose(): Promise<void> {
    this.uninstall();
    this.sim.close();
  }
}

/**
 * HARNESS_TRANSPORT=in-process: webhooks for the receiver are handed to it with their exact bytes
 * and signature header (the same checks run); anything else still goes over HTTP.
 */
function inProcessPoster(receiver: CallbackReceiver): WebhookPoster {
  return (url, body, headers, timeoutMs) => {
    const base = receiver.baseUrl;
    if (url !== base && !url.startsWith(`${base}/`)) return post(url, body, headers, timeoutMs);
    const target = new URL(url);
    return receiver.inject({ method: 'POST', path: target.pathname + target.search, headers, body }).then(
      (answer) => ({ ok: true as const, status: answer.status, text: answer.text }),
      (e: Error) => ({ ok: false as const, error: `POST ${url} failed in process: ${e.message}` }),
    );
  };
}

/** HARNESS_TRANSPORT=in-process: REST requests to the simulator's origin are served by it directly (instead of nock). */
function routeToSimulator(sim: Simulator): () => void {
  const origin = new URL(sim.apiBaseUrl).origin;
  routeInProcess((req) => {
    const target = new URL(req.url);
    if (target.origin !== origin) return undefined;
    const response = sim.handle({ method: req.method, url: target.pathname + target.search, headers: lower(req.headers), body: req.body });
    return { status: response.status, headers: response.headers, text: response.body ?? '' };
  });
  return () => routeInProcess(undefined);
}

const lower = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

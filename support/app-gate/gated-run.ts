// One app-gate run (one cucumber process, one documented reading): the simulator, served over HTTP
// on loopback in virtual time, and the app under test started against it. Both live across the
// scenarios of the run, as they would in production; `@fresh-app` asks for both anew.
import { join } from 'node:path';
import { freePort } from '../free-port';
import { redact, secretsOf, type AppUnderTestConfig, type HarnessConfig } from '../config';
import { createSimulator, describeVariants, parseVariants, type Simulator } from '../simulator';
import { listen, type ServedRequest, type ServerHandle } from '../simulator/adapters/http-server';
import type { PhoneAnswer } from '../simulator/phones';
import type { CallState } from '../simulator/state';
import { AppProcess } from './app-process';
import { describeGrace, GraceMeter, QuietProbe, type GraceSummary } from './quiet';
import { startRouting, type Routing, type RoutingFailure } from './routing';
import { CEILING_ENV, QUIET_ENV } from './routing/names';
import { nodeOptionsWith, preloadFile } from './routing/preload-file';
import { DEFAULT_WAIT_LIMIT_MS, waitVirtual, type VirtualTimeline, type WaitSubject } from './virtual-wait';

/** A REST request the app under test made, with the simulator's answer (no credentials kept). */
export interface AppRestRequest extends ServedRequest {
  seq: number;
  virtualTime: number;
}

// How long a process that stopped accepting connections may take to exit before it counts as hung.
const EXIT_GRACE_MS = 3_000;

export class GatedRun implements VirtualTimeline {
  sim!: Simulator;
  private server!: ServerHandle;
  private app: AppProcess | undefined;
  private routing: Routing | undefined;
  /** Every REST request of the app under test, across scenarios (the log of the current simulator). */
  rest: AppRestRequest[] = [];
  applicationId = '';
  /** Why the run cannot go on (the app died), once that happened. */
  private death: string | undefined;
  /** The scenario running now, named in the death message. */
  currentScenario = '';
  private served = 0;
  private callerCount = 0;
  readonly variant: string;
  private readonly secrets: string[];
  // ---- quiet (quiet.ts): the app's answers, its REST requests, and what was confirmed quiet
  private probe: QuietProbe | undefined;
  private readonly grace: GraceMeter;
  /** The activity count at which the run was last confirmed quiet: nothing new, nothing to wait for. */
  private quietMark = -1;
  private probing = false;
  private triggersInFlight = 0;
  private triggers = 0;
  private lastTriggerAnswerAt = 0;
  private lastRestAt = 0;
  private wakers: (() => void)[] = [];
  /** When the app last opened a connection to the HTTPS proxy (a request in another language starting). */
  private proxyConnectedAt = 0;
  /** How many times settle() had something new to listen for (the bench divides the grace's cost by it). */
  quietWaits = 0;

  constructor(
    readonly cfg: HarnessConfig,
    readonly appCfg: AppUnderTestConfig,
  ) {
    this.secrets = secretsOf(cfg);
    this.variant = describeVariants(parseVariants(variantSpec(cfg)));
    this.grace = new GraceMeter({ floorMs: appCfg.graceFloorMs, ceilingMs: appCfg.graceCeilingMs }, () => (this.probe?.connected ?? 0) > 0);
  }

  get appNumber(): string {
    return this.cfg.numberA;
  }

  get output(): AppProcess['lines'] {
    return this.app?.lines ?? [];
  }

  redact(text: string): string {
    return redact(text, this.secrets);
  }

  async start(): Promise<void> {
    // The simulator's own base URL is the server's, so recording URLs in webhooks reach it too.
    const port = this.appCfg.simPort || (await freePort());
    this.sim = createSimulator({
      accountId: this.cfg.accountId,
      apiKey: this.cfg.apiKey,
      signingSecret: this.cfg.signingSecret,
      apiBaseUrl: `http://127.0.0.1:${port}/apiserver`,
      variants: variantSpec(this.cfg),
      fault: this.cfg.fault,
      webhookTimeoutMs: this.cfg.timeoutMs,
    });
    this.rest = [];
    this.death = undefined;
    this.quietMark = -1;
    this.server = await listen(this.sim, { port, realTime: false, onArrival: () => this.arrived(), onRequest: (r) => this.record(r) });
    const base = this.appCfg.url;
    this.applicationId = this.sim.addApplication({
      alias: 'app under test',
      voiceUrl: base + this.appCfg.voicePath,
      statusCallbackUrl: this.appCfg.statusPath === null ? undefined : base + this.appCfg.statusPath,
      callConnectUrl: this.appCfg.connectPath === null ? undefined : base + this.appCfg.connectPath,
    });
    this.sim.addNumber(this.appNumber, this.applicationId);
    if (!this.appCfg.command) {
      await AppProcess.expectRunning(base);
      return;
    }
    const creds = this.sim.credentials();
    // Before the app starts, so that its first REST call, even one made at startup, is routed. Kept
    // across restarts (a new simulator, the same run's CA and proxy): starting it costs about a second.
    if (this.routing) this.routing.retarget(this.server.apiBaseUrl);
    else {
      this.routing = await startRouting({
        simApiBaseUrl: this.server.apiBaseUrl,
        dir: process.env.HARNESS_APP_RUN_DIR ?? join(process.cwd(), 'reports', 'app-gate'),
        enabled: this.appCfg.routeSdk,
        onProxyConnection: () => {
          this.proxyConnectedAt = performance.now();
          this.wake();
        },
      });
    }
    this.probe ??= await QuietProbe.open();
    this.app = await AppProcess.start({
      command: this.appCfg.command,
      url: base,
      startTimeoutMs: this.appCfg.startTimeoutMs,
      redact: (t) => this.redact(t),
      env: {
        ...this.routing.env,
        // After the routing preload: its wrappers must sit outside the interceptors it installs.
        NODE_OPTIONS: nodeOptionsWith(preloadFile('quiet-preload'), this.routing.env.NODE_OPTIONS ?? process.env.NODE_OPTIONS),
        [QUIET_ENV]: this.probe.address,
        [CEILING_ENV]: String(this.appCfg.graceCeilingMs),
        PORT: String(this.appCfg.port),
        FREECLIMB_ACCOUNT_ID: creds.accountId,
        FREECLIMB_API_KEY: creds.apiKey,
        FREECLIMB_SIGNING_SECRET: creds.signingSecret,
        FREECLIMB_API_BASE_URL: this.server.apiBaseUrl,
        FREECLIMB_NUMBER: this.appNumber,
        FREECLIMB_APPLICATION_ID: this.applicationId,
      },
    });
    const app = this.app;
    app.onExit(() => {
      if (app.stopping) return;
      this.death = `the app under test exited (${app.describeExit()}) during scenario "${this.currentScenario}"${app.tail()}`;
    });
  }

  async stop(keepRouting = false): Promise<void> {
    await this.app?.stop();
    this.app = undefined;
    if (!keepRouting) {
      await this.routing?.close();
      this.routing = undefined;
      await this.probe?.close();
      this.probe = undefined;
    }
    await this.server?.close();
  }

  /** Requests to FreeClimb's default URL that never reached the simulator, since `since` (performance.now()). */
  routingFailures(since = 0): RoutingFailure[] {
    return (this.routing?.failures() ?? []).filter((f) => f.at >= since).map((f) => ({ ...f, url: this.redact(f.url), error: this.redact(f.error) }));
  }

  /** The explorer moves one run (its routing and quiet probe kept) to another reading; the next start() serves it. */
  useReading(cfg: HarnessConfig): void {
    Object.assign(this, { cfg, variant: describeVariants(parseVariants(variantSpec(cfg))) });
  }

  /** @fresh-app: a new simulator and a new app process. */
  async restart(): Promise<void> {
    await this.stop(true);
    await this.start();
  }

  /**
   * At the end of a scenario: an app that no longer accepts connections is dead or dying (a crash
   * after its last answer, "answer first, process later"). Its exit is awaited here, so the
   * scenario that killed it reports the exit code and last lines rather than the next one.
   */
  async confirmAlive(): Promise<void> {
    const app = this.app;
    if (!app || !app.alive || this.death || (await app.accepting())) return;
    if (await app.exitWithin(EXIT_GRACE_MS)) return; // onExit recorded the death
    this.death = `the app under test stopped accepting connections at ${this.appCfg.url} during scenario "${this.currentScenario}", though its process is still running${app.tail()}`;
  }

  // ------------------------------------------------------------------ timeline

  broken(): string | undefined {
    return this.death;
  }

  now(): number {
    return this.sim.clock.now();
  }

  nextDue(): number | undefined {
    return this.sim.clock.nextDue();
  }

  /**
   * Until the run is quiet: every webhook delivered and answered, no REST request of the app in
   * flight, every app process that answers the quiet probe says nothing it started is pending, and
   * the app sent nothing for the grace since its last answer (quiet.ts). Nothing new since the last
   * time it was quiet costs nothing; otherwise an app that answers at once costs one probe round
   * trip and the floor.
   */
  async settle(): Promise<void> {
    // An app that keeps sending requests on its own (a poller) is never quiet; after listening for
    // the ceiling, time goes on anyway.
    let listeningSince: number | undefined;
    for (;;) {
      const mark = this.activity();
      await this.sim.settle();
      await this.server.idle();
      if (this.activity() !== mark) continue;
      if (mark === this.quietMark) return;
      if (listeningSince === undefined) {
        listeningSince = performance.now();
        this.quietWaits += 1;
      }
      if (performance.now() - listeningSince > this.appCfg.graceCeilingMs) return;
      this.probing = true;
      try {
        await this.probe?.probe(this.appCfg.graceCeilingMs);
      } finally {
        this.probing = false;
      }
      if (this.activity() !== mark) continue;
      // The app opened a proxy connection and no request has come through since: one is on its way.
      if (this.proxyConnectedAt > this.lastRestAt && !(await this.quietFor(this.appCfg.graceCeilingMs, this.proxyConnectedAt))) continue;
      if (await this.quietFor(this.grace.graceMs)) {
        this.quietMark = mark;
        return;
      }
    }
  }

  /**
   * Before a wait concludes that nothing else is going to happen (a failure) or an absence holds
   * for an app the probe cannot see into: the run stays quiet for the whole ceiling. false: the app
   * did something after all, so the caller looks again.
   */
  async confirmQuiet(absence = false): Promise<boolean> {
    if (absence && this.probe?.connected) return true;
    return this.quietFor(this.appCfg.graceCeilingMs);
  }

  graceSummary(): GraceSummary {
    return this.grace.summary(this.probe?.connected ?? 0);
  }

  describeGrace(): string {
    return describeGrace(this.graceSummary());
  }

  /** A web trigger is on its way to the app; its answer counts as one of the app's answers. */
  triggerSent(): void {
    this.triggersInFlight += 1;
    this.triggers += 1;
  }

  triggerAnswered(): void {
    this.triggersInFlight -= 1;
    this.lastTriggerAnswerAt = performance.now();
  }

  private wake(): void {
    const wake = this.wakers;
    this.wakers = [];
    wake.forEach((w) => w());
  }

  /** Grows with every webhook sent, REST request served and web trigger sent. */
  private activity(): number {
    return this.sim.deliveries.length + this.served + this.triggers;
  }

  /** true when nothing happened for `ms` after the last activity (listening, not sleeping: new activity ends it at once). */
  private async quietFor(ms: number, since = 0): Promise<boolean> {
    const mark = this.activity();
    const last = Math.max(this.sim.lastAnswerAt(), this.lastRestAt, this.lastTriggerAnswerAt, since);
    const left = last + ms - performance.now();
    if (left > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.wakers.push(done);
      });
      this.wakers = [];
    }
    return this.activity() === mark && this.sim.idleNow();
  }

  async advance(ms: number): Promise<void> {
    // sim.advance settles after each timer, but only the dispatcher; the app's REST calls too.
    await this.sim.clock.advance(ms, () => this.settle());
  }

  wait<T>(subject: WaitSubject<T>, limitMs = DEFAULT_WAIT_LIMIT_MS): Promise<T> {
    return waitVirtual(this, subject, { limitMs, variant: this.variant });
  }

  // ------------------------------------------------------------------ callers

  /** A fresh outside number for a caller who gave none. */
  nextCallerNumber(): string {
    this.callerCount += 1;
    return `+1555019${String(this.callerCount % 10_000).padStart(4, '0')}`;
  }

  /** A named person's phone (gated-scenario.ts); a number nobody named answers at once. */
  setPhone(number: string, answer: PhoneAnswer): void {
    this.sim.setPhone(number, { answer });
  }

  call(callId: string): CallState {
    const call = this.sim.call(callId);
    if (!call) throw new Error(`call ${callId} is unknown to the simulator (was it started before a @fresh-app scenario?)`);
    return call;
  }

  /**
   * A request that follows one of the app's answers, with nothing else in flight and not foreseen
   * by the quiet probe, is what the grace must cover: its gap is measured, as it arrives (what it
   * causes is sent before it is recorded). One that arrives while a webhook waits for its answer is
   * most likely that handler's own (an SDK call awaited before answering): timed from the previous
   * answer, it would stretch the grace for nothing.
   */
  private arrived(): void {
    const answeredAt = Math.max(this.sim.lastAnswerAt(), this.lastTriggerAnswerAt);
    if (answeredAt > 0 && !this.probing && !this.sim.delivering() && this.triggersInFlight === 0) this.grace.sample(performance.now() - answeredAt);
  }

  private record(served: ServedRequest): void {
    this.served += 1;
    this.lastRestAt = served.at;
    this.wake();
    this.rest.push({ ...served, url: this.redact(served.url), body: this.redact(served.body), seq: this.rest.length + 1, virtualTime: this.sim.clock.now() });
  }
}

function variantSpec(cfg: HarnessConfig): string {
  return Object.entries(cfg.variants).map(([axis, option]) => `${axis}=${option}`).join(',');
}

// One live app-gate run: the public face on HARNESS_PORT, the app started with its host at the
// public URL, the harness's own call legs (callers it places to the app's number, people's numbers
// it answers), the shared call cap, waits that re-check whenever FreeClimb sends anything, and the
// cleanup that ends every call and conference the run touched (after each scenario, at the end, on Ctrl-C).
import type { AppUnderTestConfig, HarnessConfig } from '../../config';
import { redact, secretsOf } from '../../config';
import { ApiError, type FreeClimbClient } from '../../client/freeclimb-client';
import { liveClient } from '../../live/setup';
import { resolvePublicUrl, type ResolvedPublicUrl } from '../../live/tunnel';
import type { PerclScript } from '../../schemas/percl';
import { AppProcess } from '../app-process';
import { Face } from './face';
import { HARNESS_PATHS, type AppLiveConfig } from './live-config';
import { AppFrontLink } from './parallel/app-link';

/** A call leg the harness holds: a caller's call to the app, or a person's phone the app called. */
export interface HarnessLeg {
  callId: string;
  /** The person's name once known (a person's leg is named by the number it rang). */
  name?: string;
  number: string;
  /** Digits a step asked this leg to press, sent on its next turn of the hold loop. */
  pending: { digits: string; sent: () => void }[];
  ended: boolean;
}

const TERMINAL = new Set(['completed', 'canceled', 'failed', 'busy', 'noAnswer']);

export class LiveAppRun {
  readonly variant = 'live';
  face!: Face;
  client!: FreeClimbClient;
  publicUrl = '';
  app: AppProcess | undefined;
  private tunnel: ResolvedPublicUrl | undefined;
  private harnessAppId = '';
  appAppId = '';
  readonly legs = new Map<string, HarnessLeg>();
  /** Numbers the current scenario placed people on, to name the leg that rings there. */
  readonly peopleAt = new Map<string, string>();
  /** Every call and conference the run's calls touched, for cleanup. */
  readonly seenCalls = new Set<string>();
  readonly seenConferences = new Set<string>();
  callsPlaced = 0;
  /** Calls the app placed to the people's numbers that the harness answered: billed legs the harness did not place. */
  peopleCallsAnswered = 0;
  /** POST /Calls under way: the leg's first webhook can arrive before its answer names the call. */
  private readonly placing = new Set<Promise<unknown>>();
  private cleaning = false;
  private readonly secrets: string[];
  /** The front of a parallel run (`--parallel N`): the dial lock, the shared call cap, the people numbers. */
  readonly link = AppFrontLink.fromEnv();
  /** The dial lock this worker holds while its caller is on the way to the app (parallel runs only). */
  private dialGrant: number | undefined;
  /** People numbers this worker's scenario holds (parallel runs only). */
  private held = new Set<string>();

  constructor(
    readonly cfg: HarnessConfig,
    readonly appCfg: AppUnderTestConfig,
    readonly live: AppLiveConfig,
  ) {
    this.secrets = secretsOf(cfg);
  }

  redact(text: string): string {
    return redact(text, this.secrets);
  }

  async start(): Promise<void> {
    this.tunnel = await resolvePublicUrl(this.cfg);
    this.publicUrl = this.tunnel.publicUrl;
    this.client = await liveClient(this.cfg);
    const [app, harness] = await Promise.all([this.applicationId(this.live.appAlias), this.applicationId(this.live.harnessAlias)]);
    this.appAppId = app;
    this.harnessAppId = harness;
    this.face = new Face({ port: this.tunnel.port, publicUrl: this.publicUrl, appUrl: this.appCfg.url, timeoutMs: this.cfg.requestTimeoutMs, harness: (path, body) => this.answerHarness(path, body) });
    await this.face.start();
    this.face.onChange(() => this.noteSeen());
    // In a parallel run this face listens on a port of its own behind the run's front, which relays
    // what FreeClimb sends the public URL under /w/<worker>/ (this worker's public URL) to it.
    await this.link?.register(`http://127.0.0.1:${this.face.port}`);
    await this.startApp();
  }

  /** A crashed app is started again before the next scenario, as a supervisor would; counted by the hooks. */
  async restartApp(): Promise<void> {
    await this.app?.stop();
    await this.startApp();
  }

  private async startApp(): Promise<void> {
    if (!this.appCfg.command) {
      await AppProcess.expectRunning(this.appCfg.url);
      return;
    }
    this.app = await AppProcess.start({
      command: this.appCfg.command,
      url: this.appCfg.url,
      startTimeoutMs: this.appCfg.startTimeoutMs,
      redact: (t) => this.redact(t),
      env: {
        PORT: String(this.appCfg.port),
        FREECLIMB_ACCOUNT_ID: this.cfg.accountId,
        FREECLIMB_API_KEY: this.cfg.apiKey,
        FREECLIMB_SIGNING_SECRET: this.cfg.signingSecret,
        FREECLIMB_API_BASE_URL: this.cfg.apiBaseUrl,
        FREECLIMB_NUMBER: this.live.appNumber,
        FREECLIMB_APPLICATION_ID: this.appAppId,
        // The app's host variable, mapped in HARNESS_APP_COMMAND as in mock mode: here it is the
        // public URL, so every URL the app puts into its PerCL comes back through the harness.
        HARNESS_APP_URL: this.publicUrl,
        HARNESS_APP_PUBLIC_URL: this.publicUrl,
      },
    });
  }

  private async applicationId(alias: string): Promise<string> {
    const apps = (await this.client.listApplications({ alias })).filter((a) => a.alias === alias);
    if (apps.length === 0) throw new Error(`no application "${alias}" on the account: run \`fch app live setup\` first (then \`fch app live doctor\`)`);
    return apps[0].applicationId;
  }

  /** Why the app cannot be judged any more (it exited), or undefined. */
  broken(): string | undefined {
    if (!this.app || this.app.alive || this.app.stopping) return undefined;
    return `the app under test exited during the run: ${this.app.describeExit()}${this.app.tail()}`;
  }

  // ------------------------------------------------------------------ the harness's own legs

  /** A caller: the account calls the app's number from FREECLIMB_NUMBER_A; that leg is the harness's. */
  async placeCaller(name: string): Promise<HarnessLeg> {
    if (this.cleaning) throw new Error('the run is cleaning up (Ctrl-C or its end): no new calls');
    // A parallel run's cap is shared by every worker, and its callers are placed one at a time (app-routes.ts says why).
    if (this.link) this.dialGrant = await this.link.dial();
    else if (this.callsPlaced >= this.cfg.maxCalls) throw new Error(`HARNESS_MAX_CALLS (${this.cfg.maxCalls}) reached: this run will not place another call. Raise it if the run needs more.`);
    this.callsPlaced += 1;
    // The leg is registered in the same continuation that learns its id, before anything awaiting `placing` runs.
    const placing = this.client
      .makeCall({ from: this.cfg.numberA, to: this.live.appNumber, applicationId: this.harnessAppId, callConnectUrl: this.publicUrl + HARNESS_PATHS.leg })
      .then((call) => {
        const leg: HarnessLeg = { callId: call.callId, name, number: this.cfg.numberA, pending: [], ended: false };
        this.legs.set(call.callId, leg);
        this.seenCalls.add(call.callId);
        return leg;
      });
    this.placing.add(placing);
    try {
      const leg = await placing;
      await this.link?.placed(leg.callId);
      return leg;
    } catch (e) {
      await this.callerArrived();
      throw e;
    } finally {
      this.placing.delete(placing);
    }
  }

  /** The caller being placed reached the app, or never will: in a parallel run the next worker may dial. */
  async callerArrived(): Promise<void> {
    const grant = this.dialGrant;
    this.dialGrant = undefined;
    if (grant !== undefined) await this.link?.releaseDial(grant);
  }

  /**
   * A caller whose call never reached the app (the wait for it failed: the app died, or took too
   * long). In a parallel run that call may still ring the app, and the next worker's caller, placed
   * from the same number, would be taken for it: so the leg is ended, and the dial lock kept until
   * the account says the call has ended (bounded, as every wait). Then the lock goes.
   */
  async abandonCaller(leg: HarnessLeg): Promise<void> {
    if (this.dialGrant === undefined) return;
    try {
      const status = await this.callStatus(leg.callId);
      if (status !== undefined && !this.isTerminal(status)) {
        leg.ended = true;
        await this.client.updateCall(leg.callId, status === 'queued' || status === 'ringing' ? 'canceled' : 'completed').catch(() => undefined);
      }
      await this.waitFor({
        awaited: `the caller's call ${leg.callId} to end before another worker places a caller`,
        check: async () => {
          const now = await this.callStatus(leg.callId);
          return now === undefined || this.isTerminal(now) ? true : undefined;
        },
        instead: () => `the call is still up`,
        // What is awaited is the account's, and most often the app has just died.
        evenIfAppDied: true,
      });
    } catch {
      // The lock goes anyway: the scenario already fails with the wait that brought it here.
    } finally {
      await this.callerArrived();
    }
  }

  /** A parallel run: waits until the scenario's people numbers are this worker's (all at once, so no two scenarios wait on each other). */
  async holdPeople(numbers: string[]): Promise<void> {
    if (!this.link || numbers.length === 0) return;
    await this.link.hold(numbers);
    for (const n of numbers) this.held.add(n);
  }

  /** Whether a scenario may place a person on `number` now: always, unless a parallel run's scenario did not reserve it. */
  mayUse(number: string): boolean {
    return !this.link || this.held.has(number);
  }

  /** The scenario ended: its people numbers go back to the other workers. */
  async releasePeople(): Promise<void> {
    if (!this.link || this.held.size === 0) return;
    this.held.clear();
    await this.link.release();
  }

  /** Queues digits on a leg; resolves when the PerCL that sends them has been served. */
  press(leg: HarnessLeg, digits: string): Promise<void> {
    return new Promise((sent) => leg.pending.push({ digits, sent }));
  }

  async hangUp(leg: HarnessLeg): Promise<void> {
    // Marked first: a loop turn of this leg that arrives meanwhile is answered with Hangup, as the
    // person has hung up; that can end the call before the REST request below reaches FreeClimb.
    leg.ended = true;
    try {
      await this.client.updateCall(leg.callId, 'completed');
    } catch (e) {
      // 404 "has ended": the Hangup above won the race; anything else is a real failure.
      if (!(e instanceof ApiError && e.status === 404 && this.isTerminal(await this.callStatus(leg.callId)))) throw e;
    }
  }

  /** The answers the harness gives on its own paths: its legs hold the line and press what steps ask. */
  private async answerHarness(path: string, body: Record<string, unknown>): Promise<{ status: number; body?: string }> {
    const callId = typeof body.callId === 'string' ? body.callId : '';
    // A leg not known yet while a call is being placed is most likely that call: wait for its id.
    if (path === HARNESS_PATHS.leg && !this.legs.has(callId) && this.placing.size) await Promise.allSettled([...this.placing]);
    const answer = this.answerHarnessNow(path, body);
    // FCH_APP_LIVE_TRACE=1: what the harness answered its own legs, for debugging a live run (no secrets: ids and PerCL).
    if (process.env.FCH_APP_LIVE_TRACE) process.stderr.write(`[trace] ${path} ${callId} ${String(body.requestType)} known=${this.legs.has(callId)} ended=${this.legs.get(callId)?.ended} placing=${this.placing.size} → ${answer.body ?? answer.status}\n`);
    return answer;
  }

  private answerHarnessNow(path: string, body: Record<string, unknown>): { status: number; body?: string } {
    const callId = typeof body.callId === 'string' ? body.callId : '';
    const json = (script: PerclScript) => ({ status: 200, body: JSON.stringify(script) });
    switch (path) {
      case HARNESS_PATHS.ping:
        return { status: 200, body: JSON.stringify({ harness: 'fch app live' }) };
      case HARNESS_PATHS.status: {
        const leg = this.legs.get(callId);
        if (leg && TERMINAL.has(String(body.callStatus))) leg.ended = true;
        return { status: 204 };
      }
      case HARNESS_PATHS.personVoice: {
        const to = typeof body.to === 'string' ? body.to : '';
        const name = this.peopleAt.get(to);
        // A number nobody of this scenario is on: the call is not one the harness expects.
        if (!name || this.cleaning) return json([{ Hangup: { reason: `nobody of the running scenario is at ${to}` } }]);
        const leg: HarnessLeg = { callId, name, number: to, pending: [], ended: false };
        this.peopleCallsAnswered += 1;
        this.legs.set(callId, leg);
        this.seenCalls.add(callId);
        return json(this.holdScript(leg));
      }
      case HARNESS_PATHS.leg: {
        const leg = this.legs.get(callId);
        if (!leg || leg.ended || this.cleaning) return json([{ Hangup: { reason: 'not a leg of the running scenario' } }]);
        return json(this.holdScript(leg));
      }
      default:
        return { status: 404, body: JSON.stringify({ error: `no harness route ${path}` }) };
    }
  }

  /** Hold the line (a Pause and a Redirect back here), pressing whatever a step queued first. */
  private holdScript(leg: HarnessLeg): PerclScript {
    const script: PerclScript = [];
    const next = leg.pending.shift();
    if (next) {
      script.push({ SendDigits: { digits: next.digits } });
      next.sent();
    }
    script.push({ Pause: { length: this.cfg.farEndPollMs } }, { Redirect: { actionUrl: this.publicUrl + HARNESS_PATHS.leg } });
    return script;
  }

  /** Calls and conferences named in what FreeClimb sent the app, or in the app's answers: the run's, for cleanup. */
  private noteSeen(): void {
    for (const e of this.face.exchanges.slice(-2)) {
      if (!e.toApp) continue;
      if (typeof e.body.callId === 'string') this.seenCalls.add(e.body.callId);
      if (typeof e.body.conferenceId === 'string') this.seenConferences.add(e.body.conferenceId);
      for (const m of (e.answer ?? '').matchAll(/"conferenceId"\s*:\s*"([^"]+)"/g)) this.seenConferences.add(m[1]);
    }
  }

  // ------------------------------------------------------------------ waits

  /**
   * Resolves with the first value `check` gives. Checked at once and again whenever FreeClimb sends
   * the public URL anything (a held leg's loop turns every HARNESS_FAREND_POLL_MS); bounded by
   * HARNESS_TIMEOUT_MS, and the error says what was awaited and what happened instead.
   */
  waitFor<T>(w: { awaited: string; check: () => Promise<T | undefined>; impossible?: () => Promise<string | undefined>; instead: () => string; evenIfAppDied?: boolean }): Promise<T> {
    const started = performance.now();
    return new Promise<T>((resolve, reject) => {
      let dirty = true;
      let running = false;
      let done = false;
      const finish = (settle: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        off();
        settle();
      };
      const fail = (why: string) => finish(() => reject(new Error(this.redact(`waited for ${w.awaited} (${Math.round(performance.now() - started)} ms), ${why}.\nwhat happened instead:\n${w.instead()}`))));
      const evaluate = async () => {
        if (running || done) return;
        running = true;
        try {
          while (dirty && !done) {
            dirty = false;
            const value = await w.check();
            if (value !== undefined) return finish(() => resolve(value));
            // Most waits are for the app, which a dead app can no longer answer; some are for the account only.
            const death = w.evenIfAppDied ? undefined : this.broken();
            if (death) return fail(`but ${death}`);
            const why = await w.impossible?.();
            if (why) return fail(`but it can no longer happen: ${why}`);
          }
        } catch (e) {
          finish(() => reject(e as Error));
        } finally {
          running = false;
        }
      };
      const off = this.face.onChange(() => {
        dirty = true;
        void evaluate();
      });
      const timer = setTimeout(() => fail(`in vain (HARNESS_TIMEOUT_MS=${this.cfg.timeoutMs})`), this.cfg.timeoutMs);
      void evaluate();
    });
  }

  /**
   * Resolves once nothing has reached the public URL for HARNESS_SETTLE_MS and nothing is being
   * answered: the app has answered whatever the scenario's last events caused. Bounded by HARNESS_TIMEOUT_MS.
   */
  quiet(): Promise<void> {
    return new Promise((resolve, reject) => {
      let silence: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(silence);
        if (this.face.pending === 0) silence = setTimeout(done, this.cfg.settleMs);
      };
      const off = this.face.onChange(arm);
      const limit = setTimeout(() => {
        clearTimeout(silence);
        off();
        reject(new Error(`the public URL never fell silent for HARNESS_SETTLE_MS=${this.cfg.settleMs} ms within HARNESS_TIMEOUT_MS=${this.cfg.timeoutMs} ms (${this.face.pending} request(s) being answered)`));
      }, this.cfg.timeoutMs);
      function done() {
        clearTimeout(limit);
        off();
        resolve();
      }
      arm();
    });
  }

  /** The call's status through REST; undefined if FreeClimb does not know it (yet). */
  async callStatus(callId: string): Promise<string | undefined> {
    try {
      return (await this.client.getCall(callId)).status;
    } catch {
      return undefined;
    }
  }

  isTerminal(status: string | undefined): boolean {
    return status !== undefined && TERMINAL.has(status);
  }

  // ------------------------------------------------------------------ cleanup

  /** Ends every call and conference the run touched that is still live; returns what it ended. */
  async cleanup(final: boolean): Promise<string[]> {
    // Between scenarios only calls end: the app's conferences live on, as they would in production
    // (the mock gate keeps them too); at the run's end and on Ctrl-C everything goes.
    if (final) this.cleaning = true;
    const ended: string[] = [];
    for (const callId of this.seenCalls) {
      const status = await this.callStatus(callId);
      if (status === undefined || this.isTerminal(status)) {
        this.seenCalls.delete(callId);
        const leg = this.legs.get(callId);
        if (leg) leg.ended = true;
        continue;
      }
      if (process.env.FCH_APP_LIVE_TRACE) process.stderr.write(`[trace] cleanup ends ${callId} (${status})\n`);
      const leg = this.legs.get(callId);
      if (leg) leg.ended = true;
      await this.client.updateCall(callId, status === 'queued' || status === 'ringing' ? 'canceled' : 'completed').then(
        () => ended.push(`call ${callId}`),
        () => undefined,
      );
    }
    for (const id of final ? this.seenConferences : []) {
      const status = await this.client.getConference(id).then((c) => c.status, () => undefined);
      if (status === undefined || status === 'terminated') {
        this.seenConferences.delete(id);
        continue;
      }
      await this.client.terminateConference(id).then(
        () => ended.push(`conference ${id}`),
        () => undefined,
      );
    }
    if (final) for (const leg of this.legs.values()) leg.ended = true;
    return ended;
  }

  async stop(): Promise<void> {
    await this.link?.finished().catch(() => undefined);
    await this.app?.stop();
    await this.face?.close();
    await this.client?.dispose();
    await this.tunnel?.close();
  }
}

// Run-level plumbing for live mode. Participants join through loopback calls: the account calls
// its own number B, whose application sends the inbound leg to /app/voice. Those shared URLs carry
// no scenario in them, so calls are matched to scenarios by a DTMF token: the outbound leg is placed
// with `sendDigits=<token>`, the inbound leg answers with GetDigits and names the token. Once known,
// the inbound leg becomes the participant's far end: a Pause/Redirect loop that sends digits when a
// step asks it to press keys (SendDigits). callStatus webhooks on the shared statusCallbackUrl are
// handed to the scenario that owns the call.
// In a parallel run (support/live/parallel/) the worker also tells the run's one front receiver which
// tokens and calls are its own and what it created, and the inbound leg's digits go to the shared
// /app/identify, where the front hands them to the worker that claimed the token.
import { randomInt, randomUUID } from 'node:crypto';
import type { CallbackReceiver, CallbackRecord, Inbox, Route } from '../callbacks/receiver';
import type { FreeClimbClient } from '../client/freeclimb-client';
import type { HarnessConfig } from '../config';
import type { PerclScript } from '../schemas/percl';
import { FrontRefusal, type FrontLink } from './parallel/link';
import { liveAppAlias } from '../shard';

const TOKEN_DIGITS = 6;

interface PlacedCall {
  /** Known once POST /Calls answers, which can be after the inbound leg has already called in. */
  outboundCallId?: string;
  inboundCallId?: string;
  token: string;
  name: string;
  inbox: Inbox;
  /** Digits a step asked the far end to press, not yet sent. */
  pending: { digits: string; sent: () => void }[];
}

export class LiveRun {
  private readonly byOutbound = new Map<string, PlacedCall>();
  private readonly byInbound = new Map<string, PlacedCall>();
  private readonly byToken = new Map<string, PlacedCall>();
  /** callStatus webhooks that arrived before their call's POST /Calls answered. */
  private readonly early = new Map<string, CallbackRecord[]>();
  private callsPlaced = 0;
  /** POST /Calls under way, and whether cleanup has begun (no new calls then). */
  private readonly making = new Set<Promise<unknown>>();
  private cleaning = false;
  /** Everything this process created, so Ctrl-C can clean up what the scenarios could not. */
  readonly created = { conferences: new Set<string>(), calls: new Set<string>() };
  readonly routes: Route[] = [];
  private applicationId: string | undefined;

  constructor(
    private readonly cfg: HarnessConfig,
    private readonly client: FreeClimbClient,
    private readonly receiver: CallbackReceiver,
    private readonly pollMs: number,
    /** Set in a worker of a parallel live run. */
    private readonly parallel?: { link: FrontLink; sharedBaseUrl: string },
  ) {
    this.routes.push(
      receiver.route('/app/voice', (r) => this.onInboundCall(r)),
      receiver.route('/app/identify', (r) => this.onIdentify(r)),
      receiver.route('/app/farend', (r) => this.onFarEndPoll(r)),
      receiver.route('/app/status', (r) => this.onCallStatus(r)),
      receiver.route('/app/connect', () => [{ Hangup: { reason: 'no scenario placed this call' } }]),
    );
  }

  /** The harness application (created by `npm run live:setup`) that number B is routed to. */
  async application(): Promise<string> {
    if (this.applicationId) return this.applicationId;
    // A shard (HARNESS_SHARD) has an application of its own, so shards can share an account.
    const alias = liveAppAlias();
    const apps = await this.client.listApplications({ alias });
    if (apps.length === 0) throw new Error(`no application "${alias}" on the account: run \`npm run live:setup\` first (then \`npm run live:doctor\`)`);
    this.applicationId = apps[0].applicationId;
    return this.applicationId;
  }

  /** Place a loopback call for a scenario participant. Never retried: a create must not repeat. */
  async placeCall(inbox: Inbox, name: string, callConnectUrl: string): Promise<string> {
    if (this.callsPlaced >= this.cfg.maxCalls) {
      throw new Error(`HARNESS_MAX_CALLS (${this.cfg.maxCalls}) reached: this run will not place another call. Raise it if the run needs more.`);
    }
    this.callsPlaced += 1;
    const applicationId = await this.application();
    // Registered before the call exists: FreeClimb may deliver the inbound leg's digits before
    // the REST response for the outbound leg reaches us.
    const token = await this.newToken();
    const placed: PlacedCall = { token, name, inbox, pending: [] };
    this.byToken.set(token, placed);
    let callId: string;
    try {
      if (this.cleaning) throw new Error('the run is cleaning up (Ctrl-C or its end): no new calls');
      // Noted as created inside the promise cleanup waits for, so cleanup sees the call once it waited.
      const making = this.client
        .makeCall({ from: this.cfg.numberA, to: this.cfg.numberB, applicationId, callConnectUrl, sendDigits: token })
        .then((answer) => (this.created.calls.add(answer.callId), answer));
      this.making.add(making);
      ({ callId } = await making.finally(() => this.making.delete(making)));
    } catch (e) {
      this.byToken.delete(token);
      await this.parallel?.link.placed(token);
      throw e;
    }
    placed.outboundCallId = callId;
    this.byOutbound.set(callId, placed);
    this.created.calls.add(callId);
    // The front holds this call's webhooks until it knows the owner: tell it before anything else.
    await this.parallel?.link.placed(token, callId);
    for (const record of this.early.get(callId) ?? []) this.onCallStatus(record);
    this.early.delete(callId);
    return callId;
  }

  /** Ask the far end of `callId` to press `digits`; resolves when the PerCL that sends them is served. */
  pressDigits(callId: string, digits: string): Promise<void> {
    const placed = this.byOutbound.get(callId);
    if (!placed) return Promise.reject(new Error(`call ${callId} was not placed by this run`));
    return new Promise((sent) => placed.pending.push({ digits, sent }));
  }

  release(inbox: Inbox): void {
    for (const placed of [...this.byToken.values()].filter((p) => p.inbox === inbox)) {
      if (placed.outboundCallId) this.byOutbound.delete(placed.outboundCallId);
      this.byToken.delete(placed.token);
      if (placed.inboundCallId) this.byInbound.delete(placed.inboundCallId);
    }
  }

  /** Problems on the shared routes (bad signatures, invalid webhooks) since `mark`, by route. */
  problems(): string[] {
    return this.routes.flatMap((r) => r.takeProblems().map((p) => `${r.prefix} #${p.seq} [${p.kind}] ${p.message}`));
  }

  /** A token no call of this run holds; in a parallel run the front also counts it against the shared budget. */
  private async newToken(): Promise<string> {
    for (;;) {
      const token = String(randomInt(10 ** (TOKEN_DIGITS - 1), 10 ** TOKEN_DIGITS));
      if (this.byToken.has(token)) continue;
      try {
        await this.parallel?.link.claimToken(token);
      } catch (e) {
        if (e instanceof FrontRefusal && e.reason === 'duplicate') continue; // another worker holds it
        throw e;
      }
      return token;
    }
  }

  /**
   * Create a conference through REST (`create`) so that an interrupted run still knows it: refused
   * once cleanup began; in a parallel run the front is told before the POST (and refuses it after
   * Ctrl-C) and waits for its answer, so a conference created as Ctrl-C arrives is ended too.
   */
  async creatingConference<T>(create: () => Promise<T>, idOf: (result: T) => string | undefined): Promise<T> {
    if (this.cleaning) throw new Error('the run is cleaning up (Ctrl-C or its end): no new conferences');
    const key = randomUUID();
    await this.parallel?.link.creatingConference(key);
    let id: string | undefined;
    const making = create().then((result) => {
      id = idOf(result);
      if (id) this.created.conferences.add(id);
      return result;
    });
    this.making.add(making);
    try {
      return await making;
    } finally {
      this.making.delete(making);
      await this.parallel?.link.conferenceCreatedFor(key, id);
    }
  }

  /** A conference a scenario created, for cleanup: this worker's, and the run's in a parallel run. */
  conferenceCreated(conferenceId: string): void {
    this.created.conferences.add(conferenceId);
    this.parallel?.link.conferenceCreated(conferenceId);
  }

  /** A call or conference that was ended (or seen to end): nobody needs to clean it up any more. */
  forget(kind: 'calls' | 'conferences', id: string): void {
    this.created[kind].delete(id);
    this.parallel?.link.ended(id);
  }

  /** Notifications to the front under way, awaited before the worker stops. */
  flush(): Promise<void> {
    return this.parallel?.link.flush() ?? Promise.resolve();
  }

  private onInboundCall(_record: CallbackRecord): PerclScript {
    return [
      {
        GetDigits: {
          // Shared in a parallel run: the front routes the digits by token, as no worker is known yet.
          actionUrl: `${this.parallel?.sharedBaseUrl ?? this.receiver.baseUrl}/app/identify`,
          minDigits: TOKEN_DIGITS,
          maxDigits: TOKEN_DIGITS,
          initialTimeoutMs: 20_000,
          digitTimeoutMs: 5_000,
          flushBuffer: false,
        },
      },
    ];
  }

  private onIdentify(record: CallbackRecord): PerclScript {
    const body = record.body as { callId?: string; digits?: string };
    const placed = body.digits ? this.byToken.get(body.digits) : undefined;
    if (!placed || !body.callId) return [{ Hangup: { reason: `unknown loopback token ${body.digits ?? '(none)'}` } }];
    placed.inboundCallId = body.callId;
    this.byInbound.set(body.callId, placed);
    placed.inbox.adopt(record);
    return this.farEndScript(placed);
  }

  private onFarEndPoll(record: CallbackRecord): PerclScript {
    const callId = (record.body as { callId?: string }).callId;
    const placed = callId ? this.byInbound.get(callId) : undefined;
    if (!placed) return [{ Hangup: { reason: 'far end of a finished scenario' } }];
    return this.farEndScript(placed);
  }

  /** Hold the line, sending whatever digits a step queued; the Redirect brings the leg back here. */
  private farEndScript(placed: PlacedCall): PerclScript {
    const next = placed.pending.shift();
    const script: PerclScript = [];
    if (next) {
      script.push({ SendDigits: { digits: next.digits } });
      next.sent();
    }
    script.push({ Pause: { length: this.pollMs } }, { Redirect: { actionUrl: this.routeUrl('/app/farend') } });
    return script;
  }

  private onCallStatus(record: CallbackRecord): undefined {
    const callId = (record.body as { callId?: string }).callId ?? '';
    const placed = this.byOutbound.get(callId) ?? this.byInbound.get(callId);
    if (!placed) {
      this.early.set(callId, [...(this.early.get(callId) ?? []), record]);
      return undefined;
    }
    placed.inbox.adopt(record);
    if (placed?.outboundCallId === callId) this.forget('calls', callId);
    return undefined;
  }

  private routeUrl(prefix: string): string {
    return `${this.receiver.baseUrl}${prefix}`;
  }

  /** Terminate and hang up everything this process created that is still live (Ctrl-C, AfterAll). */
  async cleanupAll(): Promise<string[]> {
    // A call whose POST /Calls is under way has no id yet: wait for it (the client's timeout bounds
    // this), or Ctrl-C in the middle of a dial would leave that call up.
    this.cleaning = true;
    await Promise.allSettled([...this.making]);
    const done: string[] = [];
    for (const id of this.created.conferences) done.push(await terminateIfLive(this.client, id));
    for (const id of this.created.calls) done.push(await hangUpIfLive(this.client, id));
    for (const id of [...this.created.conferences]) this.forget('conferences', id);
    for (const id of [...this.created.calls]) this.forget('calls', id);
    await this.flush();
    return done;
  }
}

export async function terminateIfLive(client: FreeClimbClient, conferenceId: string): Promise<string> {
  try {
    const conf = await client.getConference(conferenceId);
    if (conf.status === 'terminated') return `conference ${conferenceId}: already terminated`;
    await client.terminateConference(conferenceId);
    return `conference ${conferenceId}: terminated (was ${conf.status})`;
  } catch (e) {
    return `conference ${conferenceId}: cleanup failed: ${(e as Error).message.split('\n')[0]}`;
  }
}

export async function hangUpIfLive(client: FreeClimbClient, callId: string): Promise<string> {
  try {
    const call = await client.getCall(callId);
    if (['completed', 'canceled', 'failed', 'busy', 'noAnswer'].includes(call.status)) return `call ${callId}: already ${call.status}`;
    await client.updateCall(callId, call.status === 'inProgress' ? 'completed' : 'canceled');
    return `call ${callId}: hung up (was ${call.status})`;
  } catch (e) {
    return `call ${callId}: cleanup failed: ${(e as Error).message.split('\n')[0]}`;
  }
}

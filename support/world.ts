// Per-scenario state. Steps are thin: they call the World, which knows how to reach FreeClimb (the
// backend and REST client), where callbacks land (the inbox), and what the scenario created.
import { randomBytes } from 'node:crypto';
import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { Inbox, CallbackRecord } from './callbacks/receiver';
import type { ApiResponse, FreeClimbClient } from './client/freeclimb-client';
import type { HarnessConfig } from './config';
import type { ScenarioBackend } from './backend/backend';
import type { PerclScript } from './schemas/percl';
import type { CallerEvent, HarnessNote } from './schemas/conversation';
import { CALL_CONTROL_SEQUENCE, joinScript, type JoinOptions } from './app/scripts';
import { conferenceStatuses, statusRecords } from './app/callback-queries';
import { harness } from './harness';
import { recordObservation } from './report/observations';
import { isEvent } from './schemas/webhooks';

export interface Participant {
  name: string;
  callId: string;
}

export class HarnessWorld extends World {
  readonly cfg: HarnessConfig = harness.config();
  /** Short random key: the inbox path prefix and part of every alias this scenario creates. */
  readonly key = randomBytes(4).toString('hex');
  api!: FreeClimbClient;
  inbox!: Inbox;
  backend!: ScenarioBackend;
  exchangeMark = 0;
  conferenceId: string | undefined;
  readonly participants = new Map<string, Participant>();
  /** Every conference this scenario created, for cleanup and evidence. */
  readonly createdConferences: string[] = [];
  /** The error of the last REST call a step expected to fail. */
  lastError: unknown;
  /** The last raw REST answer a step asked for, to assert on its status and body. */
  lastResponse: ApiResponse | undefined;
  /** The receiver's answer to the last callback a step posted itself. */
  lastPosted: { status: number; text: string } | undefined;
  // App gating adds its scenario slots (gated, liveGated) to this class from
  // support/app-gate/world-access.ts: the gate builds on the suite's World, not the other way.
  /** What the harness did beside its exchanges (keys pressed, quiet periods), for the call-flow diagram. */
  readonly harnessEntries: (HarnessNote | CallerEvent)[] = [];
  /** Whether this scenario's call-flow diagram is attached already (by its last or failing step). */
  flowAttached = false;
  /**
   * Moments the harness itself witnessed, on its clock (clockNow), for claims a live run can only
   * bound: e.g. when it saw the conference go inProgress, when it last asked for a participant to go.
   */
  readonly moments = new Map<string, number>();

  constructor(options: IWorldOptions) {
    super(options);
  }

  get aliasPrefix(): string {
    return `${this.cfg.runPrefix}-${this.key}`;
  }

  requireConference(): string {
    if (!this.conferenceId) throw new Error('this step needs a conference; create one in an earlier step');
    return this.conferenceId;
  }

  participant(name: string): Participant {
    const p = this.participants.get(name);
    if (!p) throw new Error(`no participant "${name}" in this scenario; known: ${[...this.participants.keys()].join(', ') || 'none'}`);
    return p;
  }

  // ------------------------------------------------------------------ conferences

  async createConferenceViaRest(opts: { record?: boolean } = {}): Promise<string> {
    const conf = await this.backend.creatingConference(
      () =>
        this.api.createConference({
          alias: `${this.aliasPrefix}-conf${this.createdConferences.length + 1}`,
          statusCallbackUrl: this.inbox.url('status'),
          ...(opts.record ? { record: true } : {}),
        }),
      (c) => c.conferenceId,
    );
    this.track(conf.conferenceId);
    await this.waitForStatus('empty', 'the creation callback (status empty)');
    return conf.conferenceId;
  }

  /**
   * `name` calls in and the app answers with CreateConference (§6.3). What happens next on the
   * actionUrl is `afterCreate`: join the conference it just made, or wait outside it.
   */
  async createConferenceViaPercl(name: string, opts: { record?: boolean; afterCreate: 'join' | 'join-as-moderator' | 'wait-outside' }): Promise<string> {
    const actionEndpoint = `created/${name}`;
    this.inbox.answer(actionEndpoint, (record) => {
      const conferenceId = (record.body as { conferenceId: string }).conferenceId;
      if (opts.afterCreate === 'wait-outside') return [{ Pause: { length: 3_600_000 } }];
      return joinScript(this.inbox, name, { conferenceId, startConfOnEnter: opts.afterCreate === 'join-as-moderator', leaveUrl: true });
    });
    const script: PerclScript = [
      {
        CreateConference: {
          actionUrl: this.inbox.url(actionEndpoint),
          statusCallbackUrl: this.inbox.url('status'),
          alias: `${this.aliasPrefix}-conf${this.createdConferences.length + 1}`,
          ...(opts.record ? { record: true } : {}),
        },
      },
    ];
    await this.dial(name, () => script);
    const action = await this.inbox.waitFor((r) => r.endpoint === actionEndpoint && r.requestType === 'createConference', {
      description: `createConference on the actionUrl of ${name}'s CreateConference`,
    });
    const conferenceId = (action.body as { conferenceId: string }).conferenceId;
    this.track(conferenceId);
    if (opts.afterCreate !== 'wait-outside') await this.waitForJoin(name);
    return conferenceId;
  }

  /** The conference the following steps act on; also queued for cleanup. */
  track(conferenceId: string): void {
    this.createdConferences.push(conferenceId);
    this.backend.conferenceCreated(conferenceId);
    this.conferenceId = conferenceId;
  }

  // ------------------------------------------------------------------ calls

  /** Place a call for `name`; when it connects, the app answers with `answer`'s PerCL. */
  async dial(name: string, answer: (record: CallbackRecord) => unknown): Promise<Participant> {
    this.inbox.answer(`connect/${name}`, answer);
    const callId = await this.backend.dial(name, this.inbox.url(`connect/${name}`));
    const participant = { name, callId };
    this.participants.set(name, participant);
    return participant;
  }

  async join(name: string, opts: Omit<JoinOptions, 'conferenceId'>): Promise<void> {
    const conferenceId = this.requireConference();
    await this.dial(name, () => joinScript(this.inbox, name, { ...opts, conferenceId }));
    await this.waitForJoin(name);
  }

  /** A participant is in the conference once addToConferenceNotification arrives (§6.19). */
  async waitForJoin(name: string): Promise<CallbackRecord> {
    const { callId } = this.participant(name);
    return this.inbox.waitFor((r) => r.requestType === 'addToConferenceNotification' && (r.body as { callId?: string }).callId === callId, {
      description: `addToConferenceNotification for ${name} (${callId})`,
    });
  }

  /** The far end presses the call-control sequence; the app answers callControl with `script`. */
  async callControl(name: string, script: unknown): Promise<CallbackRecord> {
    const endpoint = `control/${name}`;
    const from = this.inbox.records.filter((r) => r.endpoint === endpoint).length;
    this.inbox.answer(endpoint, () => script);
    await this.pressDigits(name, CALL_CONTROL_SEQUENCE);
    return this.inbox.waitFor((r) => r.endpoint === endpoint && isEvent(r.requestType, 'callControl'), {
      description: `callControl for ${name} after pressing ${CALL_CONTROL_SEQUENCE}`,
      count: from + 1,
    });
  }

  /** The far end of `name`'s call presses `digits`. */
  async pressDigits(name: string, digits: string): Promise<void> {
    const { callId } = this.participant(name);
    this.flowEvent({ kind: 'caller', caller: name, callId, action: 'presses', detail: digits });
    await this.backend.pressDigits(callId, digits);
  }

  async waitForCallEnd(name: string): Promise<CallbackRecord> {
    const { callId } = this.participant(name);
    return this.inbox.waitFor((r) => r.requestType === 'callStatus' && (r.body as { callId?: string }).callId === callId, {
      description: `callStatus for ${name}'s call ${callId}`,
    });
  }

  // ------------------------------------------------------------------ callbacks

  /** Wait until the conference's status callbacks include `status` `count` times. */
  async waitForStatus(status: string, description: string, count = 1): Promise<CallbackRecord> {
    const conferenceId = this.requireConference();
    return this.inbox.waitFor(
      (r) => statusRecords([r], conferenceId).length === 1 && conferenceStatuses([r], conferenceId)[0] === status,
      { description: `${description} for conference ${conferenceId}`, count },
    );
  }

  /**
   * Let a quiet period pass before asserting that something did not happen: `seconds` of virtual
   * time in mock mode (timers fire, the simulator settles); in live mode time cannot be bought, so
   * it waits until no callback has arrived for HARNESS_SETTLE_MS. Returns what it waited, for messages.
   */
  async quietPeriod(seconds: number): Promise<string> {
    this.flowEvent({ kind: 'note', text: this.backend.mode === 'mock' ? `quiet period: ${seconds} s of virtual time pass` : `quiet period: waits for ${this.cfg.settleMs} ms without callbacks` });
    if (this.backend.mode === 'mock') {
      await this.backend.elapse(seconds * 1000);
      await this.backend.settle();
      return `${seconds} s of virtual time`;
    }
    await this.backend.settle();
    return `${this.cfg.settleMs} ms without callbacks (HARNESS_SETTLE_MS)`;
  }

  /** The webhook a participant's Redirect sent to `redirected/<name>` (§5.3: redirect, or inboundCall per SPEC). */
  async waitForRedirect(name: string): Promise<CallbackRecord> {
    const { callId } = this.participant(name);
    const record = await this.inbox.waitFor((r) => r.endpoint === `redirected/${name}` && (r.body as { callId?: string }).callId === callId, {
      description: `the webhook of ${name}'s Redirect (${callId}) on redirected/${name}`,
    });
    this.observe('P01', 'requestType of the webhook a Redirect sends', record.requestType ?? '(none)');
    return record;
  }

  /** The harness's clock in ms: virtual time in mock mode (the simulator's), the wall clock in live mode. */
  clockNow(): number {
    return this.backend?.virtualNow?.() ?? performance.timeOrigin + performance.now();
  }

  /** Adds a harness action to the call flow, timed now (sub-millisecond, to sort among the exchanges). */
  flowEvent(entry: Omit<HarnessNote, 'at' | 'virtualTime'> | Omit<CallerEvent, 'at' | 'virtualTime'>): void {
    const virtualTime = this.backend?.virtualNow?.();
    const at = performance.timeOrigin + performance.now();
    this.harnessEntries.push({ ...entry, at, ...(virtualTime !== undefined ? { virtualTime } : {}) } as HarnessNote | CallerEvent);
  }

  /** Record which documented reading the platform chose (never fails; see observations.ts). */
  observe(clause: string, question: string, observed: unknown): void {
    const text = typeof observed === 'string' ? observed : JSON.stringify(observed);
    recordObservation({ clause, question, observed: text, scenario: this.scenarioName, mode: this.cfg.mode });
    this.attach(`observation ${clause}: ${question} → ${text}`, { mediaType: 'text/plain', fileName: `observation-${clause.replace(/\W+/g, '-')}.txt` });
  }

  scenarioName = '';
  stepCount = 0;
  stepsRun = 0;
  /** Set between BeforeStep and the step itself (support/last-step.ts). */
  stepPending = false;

  /**
   * Fail if the receiver saw problems no step asserted on: a bad signature, an invalid webhook or
   * invalid PerCL (the evidence is attached either way).
   */
  failOnUnexpectedProblems(): void {
    const taken = this.inbox.takeProblems();
    const problems = [
      ...taken.map((p) => `#${p.seq} ${p.endpoint} [${p.kind}] ${p.message}`),
      // Shared live routes (inbound legs, callStatus) can also receive forged or invalid webhooks.
      ...(this.cfg.mode === 'live' ? harness.live.problems() : []),
    ];
    if (problems.length > 0) {
      // The seqs mark the offending webhooks in the call-flow diagram.
      throw Object.assign(new Error(`the receiver saw ${problems.length} problem(s) that no step asserted on:\n  ${problems.join('\n  ')}`), { culprits: taken.map((p) => p.seq) });
    }
  }
  /** The scenario's @clause tags, so observations name the clause they answer. */
  clauses: string[] = [];

  statusSequence(): string[] {
    return conferenceStatuses(this.inbox.records, this.requireConference());
  }
}


setWorldConstructor(HarnessWorld);

// One scenario of an app-gate run: its callers (simulated people calling the app from outside
// numbers), what they did, and the slice of the run's conversation that belongs to it. Steps call
// these methods; every wait goes through GatedRun.wait (virtual time, fails fast, says why).
import type { CallerEvent, Conversation, ConversationEntry, ProbeExchange } from '../schemas/conversation';
import type { CallState } from '../simulator/state';
import { describeEntry, heardEvents, ordered, restExchange, webhookExchange } from './conversation';
import type { GatedRun } from './gated-run';
import { conversationProblems, type GateProblem } from './scenario-checks';
import { probeSignatures } from './signature-probes';

export interface Caller {
  name: string;
  callId: string;
  from: string;
}

export class GatedScenario {
  readonly callers = new Map<string, Caller>();
  private readonly events: CallerEvent[] = [];
  private readonly probes: ProbeExchange[] = [];
  private readonly deliveryMark: number;
  private readonly restMark: number;
  readonly outputMark: number;
  readonly startedAt = performance.now();
  finished = false;

  constructor(
    readonly run: GatedRun,
    readonly name: string,
  ) {
    this.deliveryMark = run.sim.deliveries.length;
    this.restMark = run.rest.length;
    this.outputMark = run.output.length;
  }

  caller(name: string): Caller {
    const caller = this.callers.get(name);
    if (!caller) throw new Error(`"${name}" has not called the app in this scenario; callers: ${[...this.callers.keys()].join(', ') || 'none'} (use: When "${name}" calls the app)`);
    return caller;
  }

  private callOf(name: string): CallState {
    return this.run.call(this.caller(name).callId);
  }

  /** `at` defaults to now; give it when the action's effects were recorded before the caller was known. */
  private note(name: string, action: CallerEvent['action'], detail = '', at = performance.now()): void {
    const caller = this.caller(name);
    this.events.push({ kind: 'caller', caller: name, callId: caller.callId, action, detail, virtualTime: this.run.now(), at });
  }

  // ------------------------------------------------------------------ what callers do

  async callApp(name: string, from?: string): Promise<void> {
    const previous = this.callers.get(name);
    if (previous && this.run.sim.call(previous.callId)?.endTime === null) throw new Error(`"${name}" is still on a call (${previous.callId}); hang up first`);
    const number = from ?? this.run.nextCallerNumber();
    // The inboundCall webhook goes out synchronously, so the call is dated before it.
    const at = performance.now();
    const call = this.run.sim.callIn(number, this.run.appNumber);
    this.callers.set(name, { name, callId: call.callId, from: number });
    this.note(name, 'calls', `${number} → ${this.run.appNumber}`, at);
    await this.run.settle();
  }

  /** Until the app collects digits (GetDigits) on that call. */
  async collectingDigits(name: string, purpose = ''): Promise<CallState> {
    const call = this.callOf(name);
    await this.run.wait({
      awaited: `the app to collect digits on ${name}'s call (GetDigits)${purpose}`,
      check: () => (call.getDigits ? true : undefined),
      impossible: () => ended(call),
      instead: () => this.history(call),
    });
    return call;
  }

  /** Waits until the app collects digits on that call, then presses them. */
  async press(name: string, digits: string): Promise<void> {
    const call = await this.collectingDigits(name, ` so that "${name}" can press "${digits}"`);
    this.note(name, 'presses', `"${digits}"`);
    this.run.sim.press(call.callId, digits);
    await this.run.settle();
  }

  /** Keys pressed by a participant reach the conference: call control (§6.20), if the app allowed it. */
  async pressInConference(name: string, digits: string): Promise<void> {
    await this.inConference(name);
    const call = this.callOf(name);
    this.note(name, 'presses', `"${digits}" in the conference`);
    this.run.sim.press(call.callId, digits);
    await this.run.settle();
  }

  async hangUp(name: string): Promise<void> {
    const call = this.callOf(name);
    if (call.endTime !== null) throw new Error(`"${name}" cannot hang up: the call already ended (${call.endedReason}).\n${this.history(call)}`);
    this.note(name, 'hangs up');
    this.run.sim.hangUpFarEnd(call.callId);
    await this.run.settle();
  }

  async hears(name: string, text: string): Promise<void> {
    const call = this.callOf(name);
    const heard = () => (call.heard ?? []).find((h) => h.kind === 'say' && h.text.toLowerCase().includes(text.toLowerCase()));
    await this.run.wait({
      awaited: `"${name}" to hear a Say containing "${text}"`,
      check: () => heard(),
      impossible: () => ended(call),
      instead: () => this.history(call),
    });
  }

  /** Resolves with the conference id once the caller is bridged into a conference. */
  inConference(name: string): Promise<string> {
    const call = this.callOf(name);
    return this.run.wait({
      awaited: `"${name}" to be in a conference`,
      check: () => call.conferenceId ?? undefined,
      impossible: () => ended(call),
      instead: () => this.history(call),
    });
  }

  /** Checked once the simulator settled, without moving virtual time. */
  async notInConference(name: string): Promise<void> {
    const call = this.callOf(name);
    await this.run.settle();
    if (call.conferenceId) throw new Error(`expected "${name}" not to be in a conference, but the call is in ${call.conferenceId} (variant: ${this.run.variant}).\n${this.history(call)}`);
  }

  async callEnds(name: string): Promise<void> {
    const call = this.callOf(name);
    await this.run.wait({
      awaited: `"${name}"'s call to end`,
      check: () => (call.endTime !== null ? true : undefined),
      instead: () => this.history(call),
    });
  }

  /** "The conference of alice" is the last conference alice was in. */
  conferenceOf(name: string): string {
    const call = this.callOf(name);
    if (!call.lastConferenceId) throw new Error(`"${name}" has not been in a conference yet (variant: ${this.run.variant}).\n${this.history(call)}`);
    return call.lastConferenceId;
  }

  async terminateConferenceOf(name: string): Promise<void> {
    const id = this.conferenceOf(name);
    const res = this.harnessRest('POST', `/Conferences/${id}`, { status: 'terminated' });
    if (res.status >= 300) throw new Error(`terminating conference ${id} of "${name}" through REST failed: HTTP ${res.status} ${res.body ?? ''}`);
    await this.run.settle();
  }

  async conferenceStatusOf(name: string): Promise<string> {
    const id = this.conferenceOf(name);
    await this.run.settle();
    const res = this.harnessRest('GET', `/Conferences/${id}`);
    if (res.status !== 200) throw new Error(`GET conference ${id} of "${name}" failed: HTTP ${res.status} ${res.body ?? ''}`);
    return (JSON.parse(res.body ?? '{}') as { status: string }).status;
  }

  async probeSignatures(): Promise<string[]> {
    const creds = this.run.sim.credentials();
    const { exchanges, problems } = await probeSignatures({
      voiceUrl: this.run.appCfg.url + this.run.appCfg.voicePath,
      accountId: creds.accountId,
      signingSecret: creds.signingSecret,
      appNumber: this.run.appNumber,
      timeoutMs: this.run.cfg.timeoutMs,
    });
    this.probes.push(...exchanges);
    return problems;
  }

  /** The harness's own REST requests (not the app's): served by the core directly, not logged as the app's. */
  private harnessRest(method: string, path: string, body?: unknown) {
    const { accountId, apiKey } = this.run.sim.credentials();
    const base = new URL(this.run.sim.apiBaseUrl).pathname;
    return this.run.sim.handle({
      method,
      url: `${base}/Accounts/${accountId}${path}`,
      headers: { authorization: `Basic ${Buffer.from(`${accountId}:${apiKey}`).toString('base64')}`, 'content-type': 'application/json' },
      body: body === undefined ? '' : JSON.stringify(body),
    });
  }

  // ------------------------------------------------------------------ end of scenario

  /** Callers still on the line hang up, as people do; then the app answers what that caused. */
  async hangUpEveryone(): Promise<void> {
    for (const caller of this.callers.values()) {
      const call = this.run.sim.call(caller.callId);
      if (call && call.endTime === null) {
        this.note(caller.name, 'hangs up', '(scenario end)');
        this.run.sim.hangUpFarEnd(call.callId);
      }
    }
    await this.run.settle();
  }

  entries(): ConversationEntry[] {
    const names = new Map([...this.callers.values()].map((c) => [c.callId, c.name]));
    const calls = [...this.run.sim.engine.state.calls.values()];
    return ordered([
      ...this.run.sim.deliveries.slice(this.deliveryMark).map(webhookExchange),
      ...this.run.rest.slice(this.restMark).map(restExchange),
      ...this.events,
      ...heardEvents(calls, (id) => names.get(id), this.startedAt),
      ...this.probes,
    ]);
  }

  problems(entries: ConversationEntry[]): GateProblem[] {
    return conversationProblems(entries, this.run.broken());
  }

  conversation(entries: ConversationEntry[], failure?: { message: string; entries: number[] }): Conversation {
    return {
      scenario: this.name,
      variant: this.run.variant,
      callers: [...this.callers.values()],
      entries,
      ...(failure ? { failure } : {}),
    };
  }

  /** One line per exchange that concerns `call`, and how the call stands now. */
  history(call: CallState): string {
    const lines = this.entries()
      .filter((e) => (e.kind === 'webhook' && e.callId === call.callId) || (e.kind === 'caller' && e.callId === call.callId))
      .map(describeEntry);
    const state = call.endTime !== null ? `ended: ${call.status} (${call.endedReason})` : call.conferenceId ? `in conference ${call.conferenceId}` : call.getDigits ? 'collecting digits' : `${call.status}, not in a conference`;
    return [...(lines.length ? lines : ['(nothing happened on this call)']), `the call is now ${state}`].join('\n');
  }
}

function ended(call: CallState): string | undefined {
  return call.endTime !== null ? `the call ended (${call.status}, ${call.endedReason})` : undefined;
}

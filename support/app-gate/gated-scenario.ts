// One scenario of an app-gate run: its people (who call the app from outside numbers, or whom the
// app calls), what they did, and the slice of the run's conversation that belongs to it. Steps
// call these methods; every wait goes through GatedRun.wait (virtual time, fails fast, says why).
import type { CallerEvent, Conversation, ConversationEntry, ProbeExchange, TriggerExchange } from '../schemas/conversation';
import type { PhoneAnswer } from '../simulator/phones';
import type { CallState, MessageState } from '../simulator/state';
import type { Delivery } from '../simulator';
import { describeEntry, heardEvents, ordered, restExchange, webhookExchange } from './conversation';
import type { GatedRun } from './gated-run';
import { conversationProblems, type GateProblem } from './scenario-checks';
import { probeSignatures } from './signature-probes';
import { absentFor } from './virtual-wait';
import { sendTrigger, triggerFailure, type TriggerRequest } from './web-trigger';

/** A person on a call in this scenario: one who called the app, or one the app called. */
export interface Caller {
  name: string;
  callId: string;
  /** The person's own number (the caller ID of a caller, the destination of a person called). */
  from: string;
}

export type { PhoneAnswer };

/** A person a step placed on a number; they become a Caller once the app calls them (or they call). */
export interface Person {
  name: string;
  number: string;
  answer: PhoneAnswer;
}

const E164 = /^\+[1-9][0-9]{1,14}$/;
/** How long "leaves a message and presses" speaks before the key. */
export const MESSAGE_MS = 5_000;
/** How much virtual time "is no longer in a queue" waits for the caller to leave it. */
export const NO_LONGER_QUEUED_MS = 60_000;

/** How long a person takes to say `text`: 400 ms a word. */
export function spokenMs(text: string): number {
  return Math.max(1, text.trim().split(/\s+/).length) * 400;
}

export class GatedScenario {
  readonly callers = new Map<string, Caller>();
  readonly people = new Map<string, Person>();
  private readonly events: CallerEvent[] = [];
  private readonly probes: ProbeExchange[] = [];
  private readonly triggers: TriggerExchange[] = [];
  /** Calls the app placed before this scenario are not this scenario's. */
  private readonly callMark: number;
  /** Calls already matched to a person, so "the app calls X" twice needs two calls. */
  private readonly claimed = new Set<string>();
  /** Calls matched to a person by a step about them, not yet by "Then the app calls": that step takes them first. */
  private readonly implicit = new Set<string>();
  private readonly deliveryMark: number;
  private readonly restMark: number;
  readonly outputMark: number;
  readonly quietWaitsMark: number;
  readonly startedAt = performance.now();
  finished = false;

  constructor(
    readonly run: GatedRun,
    readonly name: string,
  ) {
    this.deliveryMark = run.sim.deliveries.length;
    this.callMark = run.sim.engine.state.calls.size;
    this.restMark = run.rest.length;
    this.outputMark = run.output.length;
    this.quietWaitsMark = run.quietWaits;
  }

  /**
   * The person's call as it stands now. A named person is on the call the app placed to their
   * number, whether or not a step said "Then the app calls"; "has not called" only when it has not.
   */
  caller(name: string): Caller {
    const caller = this.callers.get(name) ?? this.claimCallOf(name);
    if (caller) return caller;
    if (this.people.has(name)) throw new Error(`the app has not called "${name}" (at ${this.people.get(name)!.number}) in this scenario (variant: ${this.run.variant}).\n${this.callsPlaced()}`);
    throw new Error(`"${name}" has not called the app in this scenario; people on calls: ${[...this.callers.keys()].join(', ') || 'none'} (use: When "${name}" calls the app)`);
  }

  /** Like caller(), but a named person the app has not called yet is waited for, on virtual time. */
  private async callerOnceCalled(name: string): Promise<Caller> {
    if (!this.callers.has(name) && this.people.has(name) && !this.claimCallOf(name)) await this.appCalls(name);
    return this.caller(name);
  }

  private async callOf(name: string): Promise<CallState> {
    return this.run.call((await this.callerOnceCalled(name)).callId);
  }

  /** Takes the app's first unclaimed call to a named person's number as theirs, if there is one. */
  private claimCallOf(name: string): Caller | undefined {
    const person = this.people.get(name);
    const call = person && this.newCallTo(person.number);
    if (!person || !call) return undefined;
    this.claimed.add(call.callId);
    this.implicit.add(call.callId);
    const caller = { name, callId: call.callId, from: person.number };
    this.callers.set(name, caller);
    const how = call.direction === 'outboundDial' ? 'OutDial' : 'POST /Calls';
    this.note(name, 'is called', `${call.from} → ${person.number} by ${how}${person.answer === 'human' ? '' : ` (${describeAnswer(person.answer)})`}`);
    return caller;
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
    const number = from ?? this.people.get(name)?.number ?? this.run.nextCallerNumber();
    // The inboundCall webhook goes out synchronously, so the call is dated before it.
    const at = performance.now();
    const call = this.run.sim.callIn(number, this.run.appNumber);
    this.callers.set(name, { name, callId: call.callId, from: number });
    this.note(name, 'calls', `${number} → ${this.run.appNumber}`, at);
    await this.run.settle();
  }

  // ------------------------------------------------------------------ people the app calls

  /** A person on a number that is not the account's; by default they answer after one ring. */
  isAt(name: string, number: string): void {
    if (!E164.test(number)) throw new Error(`"${number}" is not an E.164 number such as +15550107777`);
    if (number === this.run.appNumber) throw new Error(`${number} is the app's own number (FREECLIMB_NUMBER); give "${name}" a number that is not the account's`);
    const other = [...this.people.values()].find((p) => p.number === number && p.name !== name);
    if (other) throw new Error(`"${other.name}" is already at ${number} in this scenario`);
    this.people.set(name, { name, number, answer: 'human' });
    this.run.setPhone(number, 'human');
  }

  /** What the person's phone does when the app calls it next. */
  willAnswer(name: string, answer: PhoneAnswer): void {
    const person = this.people.get(name);
    if (!person) throw new Error(`nobody called "${name}" is on a number yet (use first: Given "${name}" is at "+15550107777")`);
    person.answer = answer;
    this.run.setPhone(person.number, answer);
  }

  private person(name: string): Person {
    const person = this.people.get(name);
    if (!person) throw new Error(`"${name}" is not on a number (use first: Given "${name}" is at "+15550107777")`);
    return person;
  }

  /** The first call the app placed in this scenario to `number` that no step has matched yet. */
  private newCallTo(number: string): CallState | undefined {
    let i = 0;
    for (const call of this.run.sim.engine.state.calls.values()) {
      if (i++ < this.callMark) continue;
      if (call.to === number && call.direction !== 'inbound' && !this.claimed.has(call.callId)) return call;
    }
    return undefined;
  }

  /** Waits, on virtual time, for an OutDial or a POST /Calls to the person's number. */
  async appCalls(name: string): Promise<void> {
    const person = this.person(name);
    const known = this.callers.get(name);
    if (known && this.implicit.delete(known.callId)) return;
    const call = await this.run.wait({
      awaited: `the app to call "${name}" at ${person.number} (OutDial, or POST /Calls)`,
      check: () => this.newCallTo(person.number),
      instead: () => this.callsPlaced(),
    });
    this.claimed.add(call.callId);
    this.callers.set(name, { name, callId: call.callId, from: person.number });
    const how = call.direction === 'outboundDial' ? 'OutDial' : 'POST /Calls';
    this.note(name, 'is called', `${call.from} → ${person.number} by ${how}${person.answer === 'human' ? '' : ` (${describeAnswer(person.answer)})`}`);
  }

  /** Fails as soon as the app calls the person within `seconds` of virtual time. */
  async appDoesNotCall(name: string, seconds: number): Promise<void> {
    const person = this.person(name);
    await absentFor(this.run, {
      what: `a call from the app to "${name}" at ${person.number}`,
      check: () => this.newCallTo(person.number),
      describe: (call) => `the app called "${name}" (${call.callId}, ${call.direction === 'outboundDial' ? 'OutDial' : 'POST /Calls'}) within ${seconds} s (variant: ${this.run.variant}).\n${this.callsPlaced()}`,
    }, seconds * 1000);
  }

  /** Every call the app placed in this scenario, for failure messages. */
  private callsPlaced(): string {
    const calls = [...this.run.sim.engine.state.calls.values()].slice(this.callMark).filter((c) => c.direction !== 'inbound');
    const requests = this.run.rest.slice(this.restMark).filter((r) => r.method === 'POST' && /\/Calls$/.test(r.url.split('?')[0]));
    const lines = [
      ...calls.map((c) => `the app called ${c.to} from ${c.from} (${c.direction === 'outboundDial' ? 'OutDial' : 'POST /Calls'}): ${c.endTime === null ? c.status : `ended ${c.status}`}`),
      ...requests.filter((r) => r.status >= 400).map((r) => `POST /Calls was refused with ${r.status}: ${r.responseBody.slice(0, 200)}`),
    ];
    return lines.length ? lines.join('\n') : 'the app placed no call in this scenario';
  }

  // ------------------------------------------------------------------ web triggers

  /** A form or JSON POST to the app; 400 or above fails the step. */
  async receive(path: string, contentType: TriggerRequest['contentType'], body: string): Promise<void> {
    if (!path.startsWith('/')) throw new Error(`"${path}" is not a path of the app; start it with /, e.g. /startCall`);
    this.run.triggerSent();
    let trigger: TriggerExchange;
    try {
      trigger = await sendTrigger({ baseUrl: this.run.appCfg.url, path, contentType, body, timeoutMs: this.run.cfg.timeoutMs, virtualTime: this.run.now() });
    } finally {
      this.run.triggerAnswered();
    }
    this.triggers.push(trigger);
    await this.run.settle();
    const failure = triggerFailure(trigger, this.run.appCfg.url);
    if (failure) throw new Error(`${failure}\n(variant: ${this.run.variant})`);
  }

  // ------------------------------------------------------------------ what people do

  /** Until the app collects digits (GetDigits) on that call. */
  async collectingDigits(name: string, purpose = ''): Promise<CallState> {
    const call = await this.callOf(name);
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
    const call = await this.callOf(name);
    this.note(name, 'presses', `"${digits}" in the conference`);
    this.run.sim.press(call.callId, digits);
    await this.run.settle();
  }

  async hangUp(name: string): Promise<void> {
    const call = await this.callOf(name);
    if (call.endTime !== null) throw new Error(`"${name}" cannot hang up: the call already ended (${call.endedReason}).\n${this.history(call)}`);
    this.note(name, 'hangs up');
    this.run.sim.hangUpFarEnd(call.callId);
    await this.run.settle();
  }

  async hears(name: string, text: string): Promise<void> {
    const call = await this.callOf(name);
    const heard = () => (call.heard ?? []).find((h) => h.kind === 'say' && h.text.toLowerCase().includes(text.toLowerCase()));
    await this.run.wait({
      awaited: `"${name}" to hear a Say containing "${text}"`,
      check: () => heard(),
      impossible: () => ended(call),
      instead: () => this.history(call),
    });
  }

  /** Resolves with the conference id once the caller is bridged into a conference. */
  async inConference(name: string): Promise<string> {
    const call = await this.callOf(name);
    return this.run.wait({
      awaited: `"${name}" to be in a conference`,
      check: () => call.conferenceId ?? undefined,
      impossible: () => ended(call),
      instead: () => this.history(call),
    });
  }

  /** Checked once the run settled, without moving virtual time. A named person the app never called is in none. */
  async notInConference(name: string): Promise<void> {
    await this.run.settle();
    if (this.people.has(name) && !this.callers.has(name) && !this.claimCallOf(name)) return;
    const call = this.run.call(this.caller(name).callId);
    if (call.conferenceId) throw new Error(`expected "${name}" not to be in a conference, but the call is in ${call.conferenceId} (variant: ${this.run.variant}).\n${this.history(call)}`);
  }

  async callEnds(name: string): Promise<void> {
    const call = await this.callOf(name);
    await this.run.wait({
      awaited: `"${name}"'s call to end`,
      check: () => (call.endTime !== null ? true : undefined),
      instead: () => this.history(call),
    });
  }

  /** "The conference of alice" is the last conference alice was in. */
  conferenceOf(name: string): string {
    const call = this.run.call(this.caller(name).callId);
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
    await this.run.settle();
    const id = this.conferenceOf(name);
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

  // ------------------------------------------------------------------ speech, recordings, queues, SMS (issue 22, part 3)

  /** Waits until the app listens for speech on that call (GetSpeech), then the person says `text`. */
  async says(name: string, text: string): Promise<void> {
    const call = await this.callOf(name);
    const speech = this.run.sim.engine.speech;
    await this.run.wait({
      awaited: `the app to listen for speech on ${name}'s call (GetSpeech) so that "${name}" can say "${text}"`,
      check: () => (speech.listens(call) ? true : undefined),
      impossible: () => ended(call),
      instead: () => this.mediaHistory(call),
    });
    this.note(name, 'says', `"${text}"`);
    this.run.sim.speak(call.callId, text, spokenMs(text));
    await this.run.settle();
  }

  /**
   * Waits until the app collects digits (GetDigits), speech (GetSpeech) or a recording
   * (RecordUtterance) on that call; the person says nothing until that command's timeout passed, on
   * virtual time, and its webhook (getDigits, getSpeech, record) went out.
   */
  async staysSilent(name: string): Promise<void> {
    const call = await this.callOf(name);
    const engine = this.run.sim.engine;
    const what = await this.run.wait({
      awaited: `the app to collect digits, speech or a recording on ${name}'s call (GetDigits, GetSpeech, RecordUtterance) so that "${name}" can stay silent`,
      check: () => (call.getDigits ? 'GetDigits' : engine.speech.listens(call) ? 'GetSpeech' : engine.callRecording.recording(call) ? 'RecordUtterance' : undefined),
      impossible: () => ended(call),
      instead: () => this.mediaHistory(call),
    });
    this.note(name, 'stays silent', `(${what})`);
    const mark = this.run.sim.deliveries.length;
    const requestType = what === 'GetDigits' ? 'getDigits' : what === 'GetSpeech' ? 'getSpeech' : 'record';
    await this.run.wait({
      awaited: `the app's ${what} on ${name}'s call to time out while "${name}" stays silent (a ${requestType} webhook)`,
      check: () => this.deliveryOn(call, requestType, mark),
      impossible: () => ended(call),
      instead: () => this.mediaHistory(call),
    });
  }

  /** Waits until the app records on that call (RecordUtterance); the person speaks `seconds`, then is silent until the recording ends. */
  async leavesMessage(name: string, seconds: number): Promise<void> {
    const call = await this.recording(name, `leave a message of ${seconds} s`);
    this.note(name, 'leaves a message', `of ${seconds} s`);
    const mark = this.run.sim.deliveries.length;
    this.run.sim.speak(call.callId, `(a message of ${seconds} s)`, seconds * 1000);
    await this.recordWebhook(name, call, mark);
  }

  /** Waits until the app records on that call; the person speaks for MESSAGE_MS, then presses `key`, which must end the recording (termReason finishKey). */
  async leavesMessageAndPresses(name: string, key: string): Promise<void> {
    const call = await this.recording(name, `leave a message and press "${key}"`);
    this.note(name, 'leaves a message', `and presses "${key}"`);
    const mark = this.run.sim.deliveries.length;
    this.run.sim.speak(call.callId, `(a message of ${MESSAGE_MS / 1000} s)`, MESSAGE_MS);
    await this.run.advance(MESSAGE_MS);
    const early = this.deliveryOn(call, 'record', mark);
    if (early) throw new Error(`"${name}" could not press "${key}": the recording ended while the message was being spoken (termReason ${String(early.body.termReason)}) (variant: ${this.run.variant}).\n${this.mediaHistory(call)}`);
    if (call.endTime !== null) throw new Error(`"${name}" could not press "${key}": ${ended(call)} (variant: ${this.run.variant}).\n${this.mediaHistory(call)}`);
    this.run.sim.press(call.callId, key);
    const record = await this.recordWebhook(name, call, mark);
    if (record.body.termReason !== 'finishKey') {
      throw new Error(`"${name}" pressed "${key}" to end the message, but the recording ended with termReason ${String(record.body.termReason)}, not finishKey (the app's finishOnKey is not "${key}"?) (variant: ${this.run.variant}).\n${this.mediaHistory(call)}`);
    }
  }

  /** Resolves with the queue id once the person's call waits in a queue (Enqueue). */
  async inQueue(name: string): Promise<string> {
    const call = await this.callOf(name);
    return this.run.wait({
      awaited: `"${name}" to be waiting in a queue (Enqueue)`,
      check: () => call.queueId ?? undefined,
      impossible: () => ended(call),
      instead: () => this.mediaHistory(call),
    });
  }

  /** The person was in a queue in this scenario and has left it (dequeued, or hung up), within NO_LONGER_QUEUED_MS of virtual time. */
  async noLongerInQueue(name: string): Promise<void> {
    const call = await this.callOf(name);
    await this.run.settle();
    const enqueued = `call ${call.callId} enqueued in `;
    if (!this.run.sim.engine.events.some((e) => e.includes(enqueued))) {
      throw new Error(`"${name}" was never in a queue in this scenario, so cannot be "no longer" in one (variant: ${this.run.variant}).\n${this.mediaHistory(call)}`);
    }
    await this.run.wait({
      awaited: `"${name}" to leave ${call.queueId ? `queue ${call.queueId}` : 'the queue'} (Dequeue, or a hang-up)`,
      check: () => (call.queueId ? undefined : true),
      instead: () => this.mediaHistory(call),
    }, NO_LONGER_QUEUED_MS);
  }

  /** Waits until the app sent, in this scenario, an SMS to `to` whose text contains `fragment` (the Sms command or POST /Messages). */
  async appTexts(to: string, fragment: string): Promise<void> {
    if (!E164.test(to)) throw new Error(`"${to}" is not an E.164 number such as +15550104444`);
    await this.run.wait({
      awaited: `the app to text ${to} a message containing "${fragment}" (Sms, or POST /Messages)`,
      check: () => this.messagesSent().find((m) => m.to === to && m.text.includes(fragment)),
      instead: () => {
        const sent = this.messagesSent();
        return sent.length ? sent.map((m) => `the app texted ${m.to} from ${m.from} (${m.status}): "${m.text}"`).join('\n') : 'the app sent no SMS in this scenario';
      },
    });
  }

  /** Waits until the person's call is recorded: StartRecordCall on it, or a recording of it (RecordUtterance). */
  async callRecorded(name: string): Promise<void> {
    const call = await this.callOf(name);
    const started = `recording of call ${call.callId} started`;
    await this.run.wait({
      awaited: `the call of "${name}" to be recorded (StartRecordCall, or a RecordUtterance recording)`,
      check: () =>
        this.run.sim.engine.events.some((e) => e.endsWith(started)) || [...this.run.sim.engine.state.recordings.values()].some((r) => r.callId === call.callId) ? true : undefined,
      impossible: () => ended(call),
      instead: () => this.mediaHistory(call),
    });
  }

  private async recording(name: string, purpose: string): Promise<CallState> {
    const call = await this.callOf(name);
    await this.run.wait({
      awaited: `the app to record on ${name}'s call (RecordUtterance) so that "${name}" can ${purpose}`,
      check: () => (this.run.sim.engine.callRecording.recording(call) ? true : undefined),
      impossible: () => ended(call),
      instead: () => this.mediaHistory(call),
    });
    return call;
  }

  private recordWebhook(name: string, call: CallState, mark: number): Promise<Delivery> {
    return this.run.wait({
      awaited: `the recording of "${name}"'s message to end (a record webhook)`,
      check: () => this.deliveryOn(call, 'record', mark),
      instead: () => this.mediaHistory(call),
    });
  }

  /** The first webhook of `requestType` about `call` since the delivery `mark`. */
  private deliveryOn(call: CallState, requestType: string, mark: number): Delivery | undefined {
    return this.run.sim.deliveries.slice(mark).find((d) => d.requestType === requestType && d.body.callId === call.callId);
  }

  /** SMS sent in this scenario: by the Sms command on one of its calls, or through POST /Messages. */
  private messagesSent(): MessageState[] {
    const calls = new Set([...this.run.sim.engine.state.calls.keys()].slice(this.callMark));
    const rest = this.run.rest.slice(this.restMark).map((r) => r.responseBody).join('\n');
    return [...this.run.sim.engine.state.messages.values()].filter((m) => (m.callId !== null && calls.has(m.callId)) || rest.includes(m.messageId));
  }

  /** history(), with what the call is doing about speech, recordings and queues. */
  private mediaHistory(call: CallState): string {
    const engine = this.run.sim.engine;
    const doing = [
      engine.speech.listens(call) ? 'listening for speech (GetSpeech)' : '',
      engine.callRecording.recording(call) ? 'recording (RecordUtterance)' : '',
      call.queueId ? `waiting in queue ${call.queueId}` : '',
    ].filter(Boolean);
    return this.history(call) + (doing.length ? `\nthe app is ${doing.join(', ')}` : '');
  }

  // ------------------------------------------------------------------ end of scenario

  /** Callers still on the line hang up, as people do; then the app answers what that caused. */
  async hangUpEveryone(): Promise<void> {
    // Whatever the app is still doing (a REST request just after its last answer) belongs here.
    await this.run.settle();
    // The people the app called are named in the diagram, even if no step mentioned them.
    for (const name of this.people.keys()) if (!this.callers.has(name)) this.claimCallOf(name);
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
      ...this.triggers,
    ]);
  }

  problems(entries: ConversationEntry[]): GateProblem[] {
    return conversationProblems(entries, this.run.broken(), this.run.routingFailures(this.startedAt));
  }

  conversation(entries: ConversationEntry[], failure?: { message: string; entries: number[] }): Conversation {
    return {
      scenario: this.name,
      variant: this.run.variant,
      callers: [...this.callers.values()],
      entries,
      ...(failure ? { failure } : {}),
      quiet: this.run.graceSummary(),
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

function describeAnswer(answer: PhoneAnswer): string {
  return answer === 'noAnswer' ? 'will not answer' : answer === 'busy' ? 'busy' : answer === 'machine' ? 'voicemail answers' : 'answers';
}

function ended(call: CallState): string | undefined {
  return call.endTime !== null ? `the call ended (${call.status}, ${call.endedReason})` : undefined;
}

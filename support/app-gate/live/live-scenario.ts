// One scenario of a live app gate: the same step vocabulary as the mock gate, on real calls. A
// caller is a call the account places to the app's number from FREECLIMB_NUMBER_A (the harness's
// leg); the app's side of it is the inbound leg FreeClimb sends to the app. A person the app calls
// is a number of HARNESS_APP_PEOPLE_NUMBERS that the harness answers. "hears" is what the app told
// FreeClimb to say on that call; "in a conference" is asked of FreeClimb through REST.
import type { CallerEvent, Conversation, ConversationEntry, HarnessNote, ProbeExchange, TriggerExchange } from '../../schemas/conversation';
import type { PhoneAnswer } from '../../simulator/phones';
import type { AppScenario } from '../app-scenario';
import { describeEntry, ordered, webhookExchange } from '../conversation';
import { conversationProblems, type GateProblem } from '../scenario-checks';
import { probeSignatures } from '../signature-probes';
import { sendTrigger, triggerFailure, type TriggerRequest } from '../web-trigger';
import { collectsDigits, conferenceIds, foreignUrls, sayTexts } from './answers';
import type { FaceExchange } from './face';
import type { HarnessLeg, LiveAppRun } from './live-run';

interface LivePerson {
  name: string;
  kind: 'caller' | 'person';
  number: string;
  leg?: HarnessLeg;
  /** The app's side of the person's call (the inbound leg of a caller, the app's outbound leg to a person). */
  appCallId?: string;
  /** Exchanges before this index were answered before the person's last press. */
  pressMark: number;
  lastConference?: string;
}

export class LiveAppScenario implements AppScenario {
  private readonly people = new Map<string, LivePerson>();
  private readonly events: CallerEvent[] = [];
  private readonly notes: HarnessNote[] = [];
  private readonly probes: ProbeExchange[] = [];
  private readonly triggers: TriggerExchange[] = [];
  private readonly mark: number;
  /** Legs of earlier scenarios: a person of this one is never matched to them, even under the same name and number. */
  private readonly earlierLegs: Set<string>;
  /** Calls the run had placed when the scenario began: the scenario's cost is the difference. */
  readonly callsMark: number;
  readonly startedAt = performance.now();
  finished = false;

  constructor(
    readonly run: LiveAppRun,
    readonly name: string,
  ) {
    this.mark = run.face.exchanges.length;
    this.earlierLegs = new Set(run.legs.keys());
    this.callsMark = run.callsPlaced;
    run.peopleAt.clear();
  }

  private exchanges(): FaceExchange[] {
    return this.run.face.exchanges.slice(this.mark);
  }

  private appExchangesOf(callId: string): FaceExchange[] {
    return this.exchanges().filter((e) => e.toApp && e.body.callId === callId);
  }

  private note(person: LivePerson, action: CallerEvent['action'], detail = ''): void {
    this.events.push({ kind: 'caller', caller: person.name, callId: person.appCallId ?? person.leg?.callId ?? '', action, detail, at: performance.now() });
  }

  private known(name: string): LivePerson {
    const p = this.people.get(name);
    if (!p) throw new Error(`"${name}" has not called the app in this scenario and is not on a number (use: When "${name}" calls the app, or Given "${name}" is at "+1555…")`);
    return p;
  }

  /** The person with the app's side of their call known: a person the app calls is waited for. */
  private async onCall(name: string): Promise<LivePerson & { appCallId: string }> {
    const p = this.known(name);
    if (!p.appCallId) await this.appCalls(name);
    return p as LivePerson & { appCallId: string };
  }

  // ------------------------------------------------------------------ callers

  async callApp(name: string, from?: string): Promise<void> {
    const previous = this.people.get(name);
    if (previous?.leg && !previous.leg.ended) throw new Error(`"${name}" is still on a call; hang up first`);
    const number = this.run.cfg.numberA;
    if (from && from !== number) this.notes.push({ kind: 'note', text: `"${name}" calls from ${number} (FREECLIMB_NUMBER_A), not ${from}: a real call's caller ID is a number of the account`, at: performance.now() });
    const leg = await this.run.placeCaller(name);
    const person: LivePerson = { name, kind: 'caller', number, leg, pressMark: 0 };
    this.people.set(name, person);
    const claimed = new Set([...this.people.values()].map((p) => p.appCallId).filter(Boolean));
    const inbound = await this.run
      .waitFor({
        awaited: `the app to get "${name}"'s call (inboundCall from ${number} to ${this.run.live.appNumber})`,
        check: async () => this.exchanges().find((e) => e.toApp && e.requestType === 'inboundCall' && e.body.from === number && e.body.to === this.run.live.appNumber && !claimed.has(String(e.body.callId))),
        instead: () => this.lastLines(),
      })
      .then(
        async (found) => (await this.run.callerArrived(), found),
        async (e: unknown) => {
          await this.run.abandonCaller(leg);
          throw e;
        },
      );
    person.appCallId = String(inbound.body.callId);
    this.note(person, 'calls', `${number} → ${this.run.live.appNumber}`);
  }

  // ------------------------------------------------------------------ people the app calls

  isAt(name: string, number: string): void {
    const allowed = this.run.live.peopleNumbers;
    if (!allowed.includes(number)) {
      throw new Error(`in a live app gate "${name}" can only be on a number the harness answers: ${number} is not in HARNESS_APP_PEOPLE_NUMBERS (${allowed.join(', ') || 'empty'}); add a number of the account there and run \`fch app live setup\``);
    }
    if (!this.run.mayUse(number)) throw new Error(`"${name}" is at ${number}, which this scenario's steps do not name literally: a parallel live run reserves a scenario's people numbers from its steps' text before it starts. Write the number in the step, or run without --parallel`);
    this.people.set(name, { name, kind: 'person', number, pressMark: 0 });
    this.run.peopleAt.set(number, name);
  }

  willAnswer(name: string, answer: PhoneAnswer): void {
    // The Before hook skips every scenario with such a step before it places a call; this is the backstop.
    throw new Error(`"${name}" ${answer}: cannot be played on a real account (see the scenario's skip reason)`);
  }

  /** The app's outbound leg to `number`, from what FreeClimb sent the app about it. */
  private appLegTo(number: string): string | undefined {
    for (const e of this.exchanges()) {
      if (!e.toApp || e.body.to !== number) continue;
      if (e.requestType === 'outDialStart' && typeof e.body.dialCallId === 'string') return e.body.dialCallId;
      if ((e.requestType === 'outDialConnect' || e.requestType === 'outDialApiConnect') && typeof e.body.callId === 'string') return e.body.callId;
    }
    return undefined;
  }

  async appCalls(name: string): Promise<void> {
    const p = this.known(name);
    if (p.kind !== 'person') throw new Error(`"${name}" called the app; the app does not call them`);
    if (p.appCallId) return;
    await this.run.waitFor({
      awaited: `the app to call "${name}" at ${p.number} (the harness answers that number)`,
      check: async () => {
        const leg = [...this.run.legs.values()].find((l) => l.name === name && l.number === p.number && !this.earlierLegs.has(l.callId) && !this.claimedLeg(l));
        const appCallId = this.appLegTo(p.number);
        if (!leg || !appCallId) return undefined;
        p.leg = leg;
        p.appCallId = appCallId;
        return true;
      },
      instead: () => this.lastLines(),
    });
    this.note(p, 'is called', `${p.number}`);
  }

  private claimedLeg(leg: HarnessLeg): boolean {
    return [...this.people.values()].some((p) => p.leg === leg);
  }

  async appDoesNotCall(name: string): Promise<void> {
    throw new Error(`"the app does not call ${name}" cannot be played on a real account (see the scenario's skip reason)`);
  }

  // ------------------------------------------------------------------ web triggers

  async receive(path: string, contentType: TriggerRequest['contentType'], body: string): Promise<void> {
    if (!path.startsWith('/')) throw new Error(`"${path}" is not a path of the app; start it with /, e.g. /startCall`);
    // The harness calls the app's own loopback URL, as a browser or another service would.
    const trigger = await sendTrigger({ baseUrl: this.run.appCfg.url, path, contentType, body, timeoutMs: this.run.cfg.timeoutMs, virtualTime: 0 });
    delete (trigger as { virtualTime?: number }).virtualTime;
    this.triggers.push(trigger);
    const failure = triggerFailure(trigger, this.run.appCfg.url);
    if (failure) throw new Error(`${failure}\n(live)`);
  }

  // ------------------------------------------------------------------ what people do

  async collectingDigits(name: string, purpose = ''): Promise<true> {
    const p = await this.onCall(name);
    return this.run.waitFor({
      awaited: `the app to collect digits on "${name}"'s call (GetDigits)${purpose}`,
      check: async () => {
        const answered = this.run.face.exchanges.slice(Math.max(this.mark, p.pressMark)).filter((e) => e.toApp && e.body.callId === p.appCallId && e.status !== undefined);
        return answered.length && collectsDigits(answered[answered.length - 1].answer) ? true : undefined;
      },
      impossible: async () => this.endedByWebhook(p.appCallId),
      instead: () => this.history(p),
    });
  }

  async press(name: string, digits: string): Promise<void> {
    const p = await this.onCall(name);
    await this.collectingDigits(name, ` so that "${name}" can press "${digits}"`);
    if (!p.leg) throw new Error(`"${name}" has no call the harness holds`);
    this.note(p, 'presses', `"${digits}"`);
    p.pressMark = this.run.face.exchanges.length;
    await this.run.waitFor({ awaited: `"${name}"'s phone to send "${digits}" (its next turn of the hold loop)`, check: () => this.run.press(p.leg!, digits).then(() => true), instead: () => this.history(p) });
  }

  async pressInConference(name: string, digits: string): Promise<void> {
    await this.inConference(name);
    const p = await this.onCall(name);
    this.note(p, 'presses', `"${digits}" in the conference`);
    await this.run.waitFor({ awaited: `"${name}"'s phone to send "${digits}"`, check: () => this.run.press(p.leg!, digits).then(() => true), instead: () => this.history(p) });
  }

  async hangUp(name: string): Promise<void> {
    const p = await this.onCall(name);
    if (!p.leg || p.leg.ended) throw new Error(`"${name}" cannot hang up: the call already ended.\n${this.history(p)}`);
    this.note(p, 'hangs up');
    await this.run.hangUp(p.leg);
  }

  async hears(name: string, text: string): Promise<void> {
    const p = await this.onCall(name);
    const said = await this.run.waitFor({
      awaited: `"${name}" to hear a Say containing "${text}" (in what the app told FreeClimb on that call)`,
      check: async () => this.appExchangesOf(p.appCallId).flatMap((e) => sayTexts(e.answer)).find((t) => t.toLowerCase().includes(text.toLowerCase())),
      impossible: async () => this.endedByWebhook(p.appCallId),
      instead: () => this.history(p),
    });
    this.note(p, 'hears', `"${said}"`);
  }

  /** Conferences the app named for the call, then every other one of this run: the places to ask. */
  private candidates(callId: string): string[] {
    const own = this.appExchangesOf(callId).flatMap((e) => [...conferenceIds(e.answer), ...(typeof e.body.conferenceId === 'string' ? [e.body.conferenceId] : [])]);
    return [...new Set([...own.reverse(), ...[...this.run.seenConferences].reverse()])];
  }

  /** The conference FreeClimb lists the call as a participant of, through REST. */
  private async currentConference(callId: string): Promise<string | undefined> {
    for (const id of this.candidates(callId)) {
      const participants = await this.run.client.listParticipants(id).catch(() => []);
      if (participants.some((x) => x.callId === callId)) return id;
    }
    return undefined;
  }

  async inConference(name: string): Promise<string> {
    const p = await this.onCall(name);
    const id = await this.run.waitFor({
      awaited: `"${name}" to be in a conference (a participant through REST)`,
      check: () => this.currentConference(p.appCallId),
      impossible: async () => this.endedByWebhook(p.appCallId),
      instead: () => this.history(p),
    });
    p.lastConference = id;
    return id;
  }

  async notInConference(name: string): Promise<void> {
    const p = this.known(name);
    // A person the app never called is in no conference.
    if (!p.appCallId && (p.kind === 'person' && !this.appLegTo(p.number))) return;
    const q = await this.onCall(name);
    // A call on its way out of a conference (a hang-up just sent) leaves it moments later on a real
    // platform: waited for, bounded; a caller who stays fails with the conference named.
    let id: string | undefined;
    await this.run
      .waitFor({ awaited: `"${name}" not to be in a conference`, check: async () => ((id = await this.currentConference(q.appCallId)) ? undefined : true), instead: () => `FreeClimb lists the call as a participant of ${id}\n${this.history(q)}` })
      .catch(() => {
        throw new Error(`expected "${name}" not to be in a conference, but FreeClimb lists the call as a participant of ${id} (live).\n${this.history(q)}`);
      });
  }

  async callEnds(name: string): Promise<void> {
    const p = await this.onCall(name);
    await this.run.waitFor({
      awaited: `"${name}"'s call to end (its status through REST)`,
      check: async () => (this.run.isTerminal(await this.run.callStatus(p.appCallId)) ? true : undefined),
      instead: () => this.history(p),
    });
    if (p.leg) p.leg.ended = true;
    this.note(p, 'call ends');
  }

  conferenceOf(name: string): string {
    const p = this.known(name);
    const id = p.lastConference ?? (p.appCallId ? this.candidates(p.appCallId)[0] : undefined);
    if (!id) throw new Error(`"${name}" has not been in a conference yet (live).\n${this.history(p)}`);
    return id;
  }

  async terminateConferenceOf(name: string): Promise<void> {
    const id = this.conferenceOf(name);
    await this.run.client.terminateConference(id);
  }

  async conferenceStatusOf(name: string, expected?: string): Promise<string> {
    const id = this.conferenceOf(name);
    let last = '';
    if (expected === undefined) return (await this.run.client.getConference(id)).status;
    try {
      return await this.run.waitFor({
        awaited: `the conference of "${name}" (${id}) to be "${expected}" through REST`,
        check: async () => {
          last = (await this.run.client.getConference(id)).status;
          return last === expected ? last : undefined;
        },
        instead: () => `its status is "${last}"`,
      });
    } catch {
      return last;
    }
  }

  async probeSignatures(): Promise<string[]> {
    const { exchanges, problems } = await probeSignatures({
      voiceUrl: this.run.appCfg.url + this.run.appCfg.voicePath,
      accountId: this.run.cfg.accountId,
      signingSecret: this.run.cfg.signingSecret,
      appNumber: this.run.live.appNumber,
      timeoutMs: this.run.cfg.timeoutMs,
    });
    this.probes.push(...exchanges);
    return problems;
  }

  // ------------------------------------------------------------------ end of scenario

  /**
   * People still on the line hang up, then the scenario waits (bounded) until every call of it
   * has ended and the app answered everything that caused, and ends whatever is left.
   */
  async hangUpEveryone(): Promise<string[]> {
    const problems: string[] = [];
    for (const p of this.people.values()) {
      if (p.leg && !p.leg.ended) {
        this.note(p, 'hangs up', '(scenario end)');
        await this.run.hangUp(p.leg).catch(() => undefined);
      }
    }
    const calls = [...this.people.values()].map((p) => p.appCallId).filter((c): c is string => !!c);
    const statusRoute = !!this.run.appCfg.statusPath;
    await this.run
      .waitFor({
        awaited: 'every call of the scenario to end and the app to answer what that caused',
        check: async () => {
          if (this.run.face.pending > 0) return undefined;
          for (const c of calls) {
            if (statusRoute ? !this.endedByWebhook(c, true) : !this.run.isTerminal(await this.run.callStatus(c))) return undefined;
          }
          return true;
        },
        instead: () => this.lastLines(),
      })
      .catch((e: Error) => problems.push(e.message));
    await this.run.quiet().catch((e: Error) => problems.push(e.message));
    // Calls the app placed that are still up (it should have ended them) are ended here, and said so.
    const ended = await this.run.cleanup(false);
    if (ended.length) {
      this.notes.push({ kind: 'note', text: `the harness ended what was still up at the scenario's end: ${ended.join(', ')}`, at: performance.now() });
      // What ending them caused (callStatus webhooks) belongs to this scenario and needs its answers too.
      await this.run
        .waitFor({ awaited: 'the app to answer what ending those calls caused', check: async () => (this.run.face.pending === 0 && (await Promise.all(ended.map((e) => this.run.callStatus(e.split(' ')[1])))).every((s) => this.run.isTerminal(s)) ? true : undefined), instead: () => this.lastLines() })
        .catch((e: Error) => problems.push(e.message));
      await this.run.quiet().catch((e: Error) => problems.push(e.message));
    }
    return problems;
  }

  /** A callStatus with an end status that the app got for the call (answered, with `answered`). */
  private endedByWebhook(callId: string, answered = false): string | undefined {
    const e = this.appExchangesOf(callId).find((x) => x.requestType === 'callStatus' && this.run.isTerminal(String(x.body.callStatus)) && (!answered || x.status !== undefined || x.error !== undefined));
    return e ? `the call ended (${String(e.body.callStatus)}, ${String(e.body.callEndedReason ?? '')})` : undefined;
  }

  entries(): ConversationEntry[] {
    const webhooks = this.exchanges()
      .filter((e) => e.toApp)
      .map((e) => {
        const w = webhookExchange(e);
        delete (w as { virtualTime?: number }).virtualTime;
        return w;
      });
    return ordered([...webhooks, ...this.events, ...this.notes, ...this.probes, ...this.triggers]);
  }

  problems(entries: ConversationEntry[]): GateProblem[] {
    const problems = conversationProblems(entries, this.run.broken());
    entries.forEach((e, i) => {
      if (e.kind !== 'webhook') return;
      for (const { field, url } of foreignUrls(e.answer, this.run.publicUrl)) {
        problems.push({ message: `webhook #${e.seq} ${e.requestType}: the app built ${field} ${url} from another host than the harness's public URL ${this.run.publicUrl}; FreeClimb would call it past the gate (map the app's host variable from HARNESS_APP_URL)`, entries: [i] });
      }
    });
    return problems;
  }

  conversation(entries: ConversationEntry[], failure?: { message: string; entries: number[] }): Conversation {
    return {
      scenario: this.name,
      variant: 'live',
      lifelines: { platform: 'FreeClimb (live)', answerer: 'app' },
      callers: [...this.people.values()].filter((p) => p.appCallId).map((p) => ({ name: p.name, callId: p.appCallId!, from: p.number })),
      entries,
      ...(failure ? { failure } : {}),
    };
  }

  private history(p: LivePerson): string {
    const lines = p.appCallId ? this.entries().filter((e) => (e.kind === 'webhook' && e.callId === p.appCallId) || (e.kind === 'caller' && e.caller === p.name)).map(describeEntry) : [];
    return (lines.length ? lines : [`(nothing reached the app about "${p.name}"'s call)`]).join('\n');
  }

  /** The last exchanges of the scenario, for a wait that saw nothing it awaited. */
  private lastLines(): string {
    const lines = this.entries().map(describeEntry).slice(-8);
    return lines.length ? lines.join('\n') : 'nothing reached the app in this scenario';
  }
}

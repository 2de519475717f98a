// One explored sequence: the plan's actions resolved one by one against what the app is doing,
// the invariants checked after each, and the gate's own wrap-up (callers still on the line hang
// up) checked last. Sequences share one app process and simulator, as the gate's scenarios do
// (starting an app costs more than most sequences); but a verdict against an app is only kept
// from a fresh one: a sequence that breaks an invariant on a used app runs again on a fresh app,
// and that run's result is the one returned, so state an earlier sequence left never makes a
// finding, and every finding replays alike (--replay starts a fresh app).
import type { Conversation } from '../../schemas/conversation';
import type { ExploreAction, ExplorePerson } from '../../schemas/explore';
import type { CallState } from '../../simulator/state';
import type { GatedRun } from '../gated-run';
import { GatedScenario } from '../gated-scenario';
import type { ConversationEntry } from '../../schemas/conversation';
import { conferenceDigitCandidates, describeAction, digitCandidates, DURATIONS_SEC, MESSAGE_SECONDS, speechCandidates, type AbstractAction, type Plan } from './actions';
import { Watch, type Snapshot, type Violation } from './checks';
import type { Limits } from './invariants';
import type { DeclaredTrigger } from './triggers';

export interface SequenceOptions {
  joinDigits?: string;
  triggers: readonly DeclaredTrigger[];
  /** number → name declared by the features given. */
  declaredPeople: ReadonlyMap<string, string>;
  limits: Limits;
  /** false: a fresh app and simulator for every sequence (the slow, simple way; the bench compares). */
  shareApp?: boolean;
}

export interface Seen extends Violation {
  /** The index of the action after which it showed; actions.length: at the wrap-up. */
  atAction: number;
}

export interface SequenceResult {
  actions: ExploreAction[];
  people: ExplorePerson[];
  violations: Seen[];
  conversation: Conversation;
  /** Not run to its end: the result of an earlier run on a fresh app that began with the same actions. */
  fromCache?: boolean;
}

/**
 * The key of a run's beginning: its actions so far (callers' numbers by order of first use, so a
 * used app's numbers compare with a fresh one's) and the phone plan, which decides how the people
 * the next action makes the app call will answer.
 */
function prefixKey(actions: readonly ExploreAction[], phones: readonly string[], end: boolean): string {
  const order: string[] = [];
  const canon = actions.map((a) => {
    if (a.kind !== 'call') return a;
    if (!order.includes(a.from)) order.push(a.from);
    return { ...a, from: `n${order.indexOf(a.from) + 1}` };
  });
  let last = phones.length;
  while (last > 0 && phones[last - 1] === 'human') last -= 1;
  return JSON.stringify([canon, phones.slice(0, last), end]);
}

/** A caller's number in a sequence: the same numbers in every sequence, so messages replay alike. */
export const callerNumber = (k: number) => `+1555019${String(k).padStart(4, '0')}`;
const MAX_LIVE_CALLERS = 4;

export class SequenceRunner {
  sequences = 0;
  actions = 0;
  /** Wall milliseconds spent starting a fresh app and simulator per sequence (the bench reports it). */
  startMs = 0;
  /** App starts (the first included), and sequences run again on a fresh app after breaking something on a used one. */
  starts = 0;
  rechecks = 0;
  /** Sequences the current app process has served. */
  private uses = 0;
  /**
   * Results of runs on a fresh app that broke an invariant, by the key of their actions up to the
   * first violation. The app is taken to be deterministic (fast-check's shrinking assumes it): a run
   * that begins the same way breaks it the same way, so it stops there and takes that result,
   * instead of waiting again for, say, a webhook the app never answers. Shrinking tries the same
   * concrete beginning many times (plans that differ only in choices that resolve alike).
   */
  private readonly broke = new Map<string, SequenceResult>();
  /** A run stopped half-way: the next one starts a fresh app. */
  private dirty = false;
  private started = false;
  /** The first sequence's result: the CLI reads it for a bad setup (an app that answers no call). */
  firstResult: SequenceResult | undefined;

  constructor(
    readonly run: GatedRun,
    readonly opts: SequenceOptions,
  ) {}

  /** The run was (re)started by the caller (to tell a start failure apart); the next sequence uses it as is. */
  markStarted(): void {
    this.started = true;
    this.fresh = true;
    this.uses = 0;
    this.starts += 1;
  }

  private async startApp(start: () => Promise<void>): Promise<void> {
    await start();
    this.uses = 0;
    this.starts += 1;
  }

  private fresh = false;

  /**
   * `breaks`: whether the result breaks something that counts (a finding not yet reported, at a
   * level that is not off); such a result from a used app is checked again on a fresh one.
   */
  async runPlan(plan: Plan, breaks: (r: SequenceResult) => boolean = (r) => r.violations.length > 0, freshFirst = false): Promise<SequenceResult> {
    const t0 = performance.now();
    let result = await this.runOnce(plan, freshFirst);
    if (this.uses > 1 && breaks(result)) {
      this.rechecks += 1;
      result = await this.runOnce(plan, true);
    }
    // HARNESS_EXPLORE_TRACE=1: each sequence's actions and violations on stderr, to see what the search tries.
    if (process.env.HARNESS_EXPLORE_TRACE === '1') process.stderr.write(`#${this.sequences} (${Math.round(performance.now() - t0)} ms, start ${Math.round(this.startMs)} ms so far): ${result.actions.map(describeAction).join('; ')}${result.violations.length ? ` → ${result.violations.map((v) => v.code).join(', ')}` : ''}\n`);
    this.firstResult ??= result;
    return result;
  }

  private async runOnce(plan: Plan, fresh: boolean): Promise<SequenceResult> {
    const t0 = performance.now();
    if (this.fresh) this.fresh = false;
    else if (!this.started) await this.startApp(() => this.run.start());
    else if (fresh || this.dirty || this.opts.shareApp === false || this.run.broken()) await this.startApp(() => this.run.restart());
    this.dirty = false;
    this.started = true;
    this.startMs += performance.now() - t0;
    this.sequences += 1;
    this.uses += 1;
    const scenario = new GatedScenario(this.run, `explored sequence ${this.sequences}`);
    this.run.currentScenario = scenario.name;
    const callMark = this.run.sim.engine.state.calls.size;
    const { people, done: unhook } = this.namePeopleAsTheyRing(scenario, plan);
    try {
      const onFresh = this.uses === 1;
      const result = await this.actAndCheck(scenario, plan, people, callMark);
      if (onFresh && !result.fromCache && result.violations.length) this.remember(plan, result);
      return result;
    } finally {
      unhook();
    }
  }

  private async actAndCheck(scenario: GatedScenario, plan: Plan, people: ExplorePerson[], callMark: number): Promise<SequenceResult> {
    const watch = new Watch(this.opts.limits);
    const actions: ExploreAction[] = [];
    const violations: Seen[] = [];
    const check = (atAction: number) => violations.push(...watch.check(this.snapshot(scenario, callMark)).map((v) => ({ ...v, message: this.run.redact(v.message), atAction })));
    const seen = (end: boolean) => {
      const hit = this.broke.get(prefixKey(actions, plan.phones, end));
      if (hit) this.dirty = true;
      return hit && { ...hit, fromCache: true };
    };
    for (const abstract of plan.actions) {
      if (this.run.broken()) break;
      const action = this.resolve(scenario, abstract, actions);
      if (!action) continue;
      actions.push(action);
      this.actions += 1;
      const hit = seen(false);
      if (hit) return hit;
      try {
        await this.perform(scenario, action);
      } catch {
        // A step's own complaint (a web trigger answered 4xx, say) is not an invariant; what it
        // caused is in the conversation and checked below.
      }
      await this.run.confirmAlive();
      check(actions.length - 1);
    }
    const hit = seen(true);
    if (hit) return hit;
    this.planned = actions.length;
    // Time goes on before people hang up: a caller left waiting shows only when nothing happens.
    const live = [...this.run.sim.engine.state.calls.values()].slice(callMark).some((c) => c.endTime === null);
    if (live && !this.run.broken()) {
      const seconds = Math.max(this.opts.limits.waitingSec, this.opts.limits.aloneSec) + 1;
      actions.push({ kind: 'wait', seconds });
      await this.perform(scenario, actions[actions.length - 1]).catch(() => undefined);
      await this.run.confirmAlive();
      check(actions.length - 1);
    }
    await scenario.hangUpEveryone().catch(() => undefined);
    await this.run.confirmAlive();
    check(actions.length);
    const entries = scenario.entries();
    const marked = violations.flatMap((v) => v.entries);
    const failure = violations.length ? { message: violations.map((v) => `[${v.code}] ${v.message}`).join('\n\n'), entries: marked } : undefined;
    return { actions, people, violations, conversation: scenario.conversation(entries, failure) };
  }

  /** How many of the last run's actions came from its plan (the rest: the wrap-up's wait). */
  private planned = 0;

  private remember(plan: Plan, result: SequenceResult): void {
    const first = Math.min(...result.violations.map((v) => v.atAction));
    const end = first >= this.planned;
    this.broke.set(prefixKey(end ? result.actions.slice(0, this.planned) : result.actions.slice(0, first + 1), plan.phones, end), result);
  }

  /**
   * Every number the app dials gets a person, named when it first rings (as a feature's `Given "x"
   * is at` would have named them) and answering as the plan says: the written feature declares
   * the same people up front, and the gate's phones then behave exactly alike.
   */
  private namePeopleAsTheyRing(scenario: GatedScenario, plan: Plan): { people: ExplorePerson[]; done: () => void } {
    const people: ExplorePerson[] = [];
    const phones = this.run.sim.engine.phones;
    const original = phones.ring;
    const ring = original.bind(phones);
    // Per sequence: a number an earlier sequence on the same simulator named is named again here,
    // answering as this plan says.
    const named = new Set<string>();
    phones.ring = (call: CallState) => {
      if (!named.has(call.to) && /^\+[1-9][0-9]{1,14}$/.test(call.to)) {
        named.add(call.to);
        const answer = plan.phones[people.length] ?? 'human';
        const declared = this.opts.declaredPeople.get(call.to);
        const name = declared && !scenario.people.has(declared) ? declared : `person${people.length + 1}`;
        scenario.isAt(name, call.to);
        scenario.willAnswer(name, answer);
        people.push({ name, number: call.to, answer });
      }
      return ring(call);
    };
    return { people, done: () => void (phones.ring = original) };
  }

  private liveCalls(scenario: GatedScenario): { name: string; call: CallState }[] {
    const byNumber = new Map([...scenario.people.values()].map((p) => [p.number, p.name]));
    const names = new Map([...scenario.callers.values()].map((c) => [c.callId, c.name]));
    return [...this.run.sim.engine.state.calls.values()]
      .filter((call) => call.endTime === null)
      .map((call) => ({ call, name: names.get(call.callId) ?? (call.direction !== 'inbound' ? byNumber.get(call.to) : undefined) }))
      .filter((x): x is { name: string; call: CallState } => x.name !== undefined);
  }

  /** The concrete action an abstract one stands for now; undefined when nobody can do it. */
  resolve(scenario: GatedScenario, a: AbstractAction, done: readonly ExploreAction[]): ExploreAction | undefined {
    const live = this.liveCalls(scenario);
    const callers = live.filter((x) => x.call.direction === 'inbound');
    const pick = <T>(items: readonly T[]) => items[a.who % items.length];
    const kind = a.kind !== 'call' && a.kind !== 'wait' && a.kind !== 'trigger' && live.length === 0 ? 'call' : a.kind;
    switch (kind) {
      case 'call': {
        if (callers.length >= MAX_LIVE_CALLERS) return undefined;
        const count = done.filter((d) => d.kind === 'call').length;
        const onLine = new Set(live.map((x) => x.call.from));
        const heard = [...new Set(done.flatMap((d) => (d.kind === 'call' ? [d.from] : [])))].filter((n) => !onLine.has(n));
        // On a used app, new callers come from numbers no earlier sequence on it used: an app that
        // remembers callers by number (legitimately) would otherwise meet a "returning" caller in
        // every sequence, and each would be run again on a fresh app for nothing. A fresh app's
        // first sequence uses the numbers --replay and the written feature use.
        const from = a.fresh || heard.length === 0 ? callerNumber(count + 1 + ((this.uses - 1) % 100) * 100) : pick(heard);
        return { kind: 'call', caller: `c${count + 1}`, from };
      }
      case 'press': {
        // A caller answers whatever the app waits for: keys (GetDigits), words (GetSpeech) or a
        // message (RecordUtterance); staying silent is among the choices of the last two.
        const engine = this.run.sim.engine;
        const collecting = callers.filter((x) => x.call.getDigits || engine.speech.listens(x.call) || engine.callRecording.recording(x.call));
        if (!collecting.length) return undefined;
        const { name, call } = pick(collecting);
        if (!call.getDigits) return this.respond(scenario, name, call, a.choice);
        const attrs = call.getDigits!.attrs;
        const heard = (call.heard ?? []).filter((h) => h.kind === 'say').map((h) => h.text);
        const options = digitCandidates({ joinDigits: this.opts.joinDigits, heard, finishOnKey: attrs.finishOnKey, maxDigits: attrs.maxDigits });
        return { kind: 'press', caller: name, digits: options[a.choice % options.length] };
      }
      case 'pressInConference': {
        const inConference = callers.filter((x) => x.call.conferenceId);
        if (!inConference.length) return undefined;
        const { name, call } = pick(inConference);
        const participant = this.run.sim.conference(call.conferenceId!)?.participants.get(call.callId);
        const options = conferenceDigitCandidates(participant?.attrs.callControlSequence);
        return { kind: 'pressInConference', caller: name, digits: options[a.choice % options.length] };
      }
      case 'hangUp':
        return live.length ? { kind: 'hangUp', caller: pick(live).name } : undefined;
      case 'wait':
        return { kind: 'wait', seconds: DURATIONS_SEC[a.choice % DURATIONS_SEC.length] };
      case 'terminate': {
        const inOpen = [...scenario.callers.values()].filter((c) => {
          const id = this.run.sim.call(c.callId)?.lastConferenceId;
          return id && this.run.sim.conference(id)?.status !== 'terminated';
        });
        return inOpen.length ? { kind: 'terminate', caller: pick(inOpen).name } : undefined;
      }
      case 'trigger':
        return this.opts.triggers.length ? { kind: 'trigger', index: a.who % this.opts.triggers.length } : undefined;
    }
  }

  /** What a caller does while the app listens for speech or records. */
  private respond(scenario: GatedScenario, name: string, call: CallState, choice: number): ExploreAction {
    const heard = (call.heard ?? []).filter((h) => h.kind === 'say').map((h) => h.text);
    if (this.run.sim.engine.speech.listens(call)) {
      const attrs = lastCommandOn(scenario.entries(), call.callId, 'GetSpeech');
      const options = [...speechCandidates({ grammarFile: typeof attrs?.grammarFile === 'string' ? attrs.grammarFile : undefined, heard }), undefined];
      const text = options[choice % options.length];
      return text === undefined ? { kind: 'silent', caller: name } : { kind: 'say', caller: name, text };
    }
    const attrs = lastCommandOn(scenario.entries(), call.callId, 'RecordUtterance');
    const key = typeof attrs?.finishOnKey === 'string' && /^[0-9*#]$/.test(attrs.finishOnKey) ? attrs.finishOnKey : undefined;
    const options: ExploreAction[] = [
      ...MESSAGE_SECONDS.map((seconds): ExploreAction => ({ kind: 'leaveMessage', caller: name, seconds })),
      ...(key ? [{ kind: 'leaveMessageAndPress', caller: name, key } as const] : []),
      { kind: 'silent', caller: name },
    ];
    return options[choice % options.length];
  }

  private async perform(scenario: GatedScenario, action: ExploreAction): Promise<void> {
    switch (action.kind) {
      case 'call':
        return scenario.callApp(action.caller, action.from);
      case 'press':
        return scenario.press(action.caller, action.digits);
      case 'pressInConference':
        return scenario.pressInConference(action.caller, action.digits);
      case 'hangUp':
        return scenario.hangUp(action.caller);
      case 'wait':
        return this.run.advance(action.seconds * 1000);
      case 'terminate':
        return scenario.terminateConferenceOf(action.caller);
      case 'trigger': {
        const t = this.opts.triggers[action.index];
        return scenario.receive(t.path, t.contentType, t.body);
      }
      case 'say':
        return scenario.says(action.caller, action.text);
      case 'silent':
        return scenario.staysSilent(action.caller);
      case 'leaveMessage':
        return scenario.leavesMessage(action.caller, action.seconds);
      case 'leaveMessageAndPress':
        return scenario.leavesMessageAndPresses(action.caller, action.key);
    }
  }

  /** Calls of this sequence only: those of earlier ones on the same simulator are not its doing. */
  private snapshot(scenario: GatedScenario, callMark: number): Snapshot {
    const names = new Map([...scenario.callers.values()].map((c) => [c.callId, c.name]));
    const byNumber = new Map([...scenario.people.values()].map((p) => [p.number, p.name]));
    const sim = this.run.sim;
    return {
      entries: scenario.entries(),
      calls: [...sim.engine.state.calls.values()].slice(callMark).map((c) => ({ ...c, name: names.get(c.callId) ?? (c.direction !== 'inbound' ? byNumber.get(c.to) : undefined) })),
      conferences: sim.conferences.map((c) => ({ conferenceId: c.conferenceId, status: c.status, participants: c.participants.size })),
      death: this.run.broken(),
      now: this.run.now(),
    };
  }
}

/** The attributes of the last `command` the app answered on that call, read back from its PerCL. */
export function lastCommandOn(entries: readonly ConversationEntry[], callId: string, command: string): Record<string, unknown> | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (e.kind !== 'webhook' || e.callId !== callId || !e.answer) continue;
    try {
      const doc = JSON.parse(e.answer) as unknown;
      const found = Array.isArray(doc) ? doc.map((c) => (c as Record<string, unknown>)?.[command]).filter((a) => a && typeof a === 'object') : [];
      if (found.length) return found[found.length - 1] as Record<string, unknown>;
    } catch {
      // Not JSON: no command to read.
    }
  }
  return undefined;
}

/**
 * A failure that waited on real time (a webhook the app never answered: the webhook timeout; a
 * connection refused by an app that died): while shrinking it, candidates go straight to a fresh
 * app, since most of them fail the same way and each would wait twice (on the used app, then on a
 * fresh one). Read from the result, not from a clock, so that the same seed shrinks alike under load.
 */
export function waitedOnRealTime(result: SequenceResult): boolean {
  return result.conversation.entries.some((e) => e.kind === 'webhook' && e.error !== undefined) || result.violations.some((v) => v.code === 'app-alive');
}

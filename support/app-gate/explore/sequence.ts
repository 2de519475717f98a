// One explored sequence: a fresh simulator and a fresh app (state the app keeps between calls
// then belongs to this sequence only, so a sequence replays alike), the plan's actions resolved
// one by one against what the app is doing, the invariants checked after each, and the gate's own
// wrap-up (callers still on the line hang up) checked last.
import type { Conversation } from '../../schemas/conversation';
import type { ExploreAction, ExplorePerson } from '../../schemas/explore';
import type { CallState } from '../../simulator/state';
import type { GatedRun } from '../gated-run';
import { GatedScenario } from '../gated-scenario';
import { conferenceDigitCandidates, describeAction, digitCandidates, DURATIONS_SEC, type AbstractAction, type Plan } from './actions';
import { Watch, type Snapshot, type Violation } from './checks';
import type { Limits } from './invariants';
import type { DeclaredTrigger } from './triggers';

export interface SequenceOptions {
  joinDigits?: string;
  triggers: readonly DeclaredTrigger[];
  /** number → name declared by the features given. */
  declaredPeople: ReadonlyMap<string, string>;
  limits: Limits;
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
}

/** A caller's number in a sequence: the same numbers in every sequence, so messages replay alike. */
export const callerNumber = (k: number) => `+1555019${String(k).padStart(4, '0')}`;
const MAX_LIVE_CALLERS = 4;

export class SequenceRunner {
  sequences = 0;
  actions = 0;
  /** Wall milliseconds spent starting a fresh app and simulator per sequence (the bench reports it). */
  startMs = 0;
  private started = false;
  /** The first sequence's result: the CLI reads it for a bad setup (an app that answers no call). */
  firstResult: SequenceResult | undefined;

  constructor(
    readonly run: GatedRun,
    readonly opts: SequenceOptions,
  ) {}

  /** The run was started by the caller (to tell a start failure apart); the first sequence uses it as is. */
  markStarted(): void {
    this.started = true;
    this.fresh = true;
  }

  private fresh = false;

  async runPlan(plan: Plan): Promise<SequenceResult> {
    const t0 = performance.now();
    const result = await this.runOnce(plan);
    // HARNESS_EXPLORE_TRACE=1: each sequence's actions and violations on stderr, to see what the search tries.
    if (process.env.HARNESS_EXPLORE_TRACE === '1') process.stderr.write(`#${this.sequences} (${Math.round(performance.now() - t0)} ms, start ${Math.round(this.startMs)} ms so far): ${result.actions.map(describeAction).join('; ')}${result.violations.length ? ` → ${result.violations.map((v) => v.code).join(', ')}` : ''}\n`);
    this.firstResult ??= result;
    return result;
  }

  private async runOnce(plan: Plan): Promise<SequenceResult> {
    const t0 = performance.now();
    if (this.fresh) this.fresh = false;
    else if (this.started) await this.run.restart();
    else await this.run.start();
    this.started = true;
    this.startMs += performance.now() - t0;
    this.sequences += 1;
    const scenario = new GatedScenario(this.run, `explored sequence ${this.sequences}`);
    this.run.currentScenario = scenario.name;
    const people = this.namePeopleAsTheyRing(scenario, plan);
    const watch = new Watch(this.opts.limits);
    const actions: ExploreAction[] = [];
    const violations: Seen[] = [];
    const check = (atAction: number) => violations.push(...watch.check(this.snapshot(scenario)).map((v) => ({ ...v, message: this.run.redact(v.message), atAction })));
    for (const abstract of plan.actions) {
      if (this.run.broken()) break;
      const action = this.resolve(scenario, abstract, actions);
      if (!action) continue;
      actions.push(action);
      this.actions += 1;
      try {
        await this.perform(scenario, action);
      } catch {
        // A step's own complaint (a web trigger answered 4xx, say) is not an invariant; what it
        // caused is in the conversation and checked below.
      }
      await this.run.confirmAlive();
      check(actions.length - 1);
    }
    // Time goes on before people hang up: a caller left waiting shows only when nothing happens.
    const live = [...this.run.sim.engine.state.calls.values()].some((c) => c.endTime === null);
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

  /**
   * Every number the app dials gets a person, named when it first rings (as a feature's `Given "x"
   * is at` would have named them) and answering as the plan says: the written feature declares
   * the same people up front, and the gate's phones then behave exactly alike.
   */
  private namePeopleAsTheyRing(scenario: GatedScenario, plan: Plan): ExplorePerson[] {
    const people: ExplorePerson[] = [];
    const phones = this.run.sim.engine.phones;
    const ring = phones.ring.bind(phones);
    phones.ring = (call: CallState) => {
      if (!phones.get(call.to) && /^\+[1-9][0-9]{1,14}$/.test(call.to)) {
        const answer = plan.phones[people.length] ?? 'human';
        const declared = this.opts.declaredPeople.get(call.to);
        const name = declared && !scenario.people.has(declared) ? declared : `person${people.length + 1}`;
        scenario.isAt(name, call.to);
        scenario.willAnswer(name, answer);
        people.push({ name, number: call.to, answer });
      }
      return ring(call);
    };
    return people;
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
        const from = a.fresh || heard.length === 0 ? callerNumber(count + 1) : pick(heard);
        return { kind: 'call', caller: `c${count + 1}`, from };
      }
      case 'press': {
        const collecting = callers.filter((x) => x.call.getDigits);
        if (!collecting.length) return undefined;
        const { name, call } = pick(collecting);
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
    }
  }

  private snapshot(scenario: GatedScenario): Snapshot {
    const names = new Map([...scenario.callers.values()].map((c) => [c.callId, c.name]));
    const byNumber = new Map([...scenario.people.values()].map((p) => [p.number, p.name]));
    const sim = this.run.sim;
    return {
      entries: scenario.entries(),
      calls: [...sim.engine.state.calls.values()].map((c) => ({ ...c, name: names.get(c.callId) ?? (c.direction !== 'inbound' ? byNumber.get(c.to) : undefined) })),
      conferences: sim.conferences.map((c) => ({ conferenceId: c.conferenceId, status: c.status, participants: c.participants.size })),
      death: this.run.broken(),
      now: this.run.now(),
    };
  }
}

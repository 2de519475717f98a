// What fast-check generates: abstract actions (a kind and a few numbers) and the phone plan of the
// people the app will call. Each abstract action is resolved against what the app is doing at that
// moment (who is collecting digits, who is in a conference, who is on a call), so that a generated
// sequence stays meaningful however the app answered; what actually ran is the concrete action
// (schemas/explore.ts), which the feature writer turns into steps.
import fc from 'fast-check';
import type { ExploreAction } from '../../schemas/explore';
import type { PhoneAnswer } from '../../simulator/phones';

export const KINDS = ['call', 'press', 'hangUp', 'wait', 'pressInConference', 'terminate', 'trigger'] as const;
export type Kind = (typeof KINDS)[number];

export interface AbstractAction {
  kind: Kind;
  /** Which of the candidates (callers, numbers heard before, triggers). */
  who: number;
  /** Which digits, or which duration. */
  choice: number;
  /** A new caller from a new number (true), or again from a number heard before. */
  fresh: boolean;
}

export interface Plan {
  actions: AbstractAction[];
  /** How the 1st, 2nd, … number the app dials answers (beyond the plan: a person answers). */
  phones: PhoneAnswer[];
}

// Weighted as a caller population behaves: mostly calling in and pressing keys.
const kindArb = (withTriggers: boolean) =>
  fc.oneof(
    { arbitrary: fc.constant<Kind>('call'), weight: 3 },
    { arbitrary: fc.constant<Kind>('press'), weight: 4 },
    { arbitrary: fc.constant<Kind>('hangUp'), weight: 2 },
    { arbitrary: fc.constant<Kind>('wait'), weight: 2 },
    { arbitrary: fc.constant<Kind>('pressInConference'), weight: 2 },
    { arbitrary: fc.constant<Kind>('terminate'), weight: 2 },
    { arbitrary: fc.constant<Kind>('trigger'), weight: withTriggers ? 3 : 0 },
  );

export function planArbitrary(maxActions: number, withTriggers: boolean): fc.Arbitrary<Plan> {
  // Candidates are ordered most telling first (the join digits, then the keys an app least expects:
  // *, an empty entry, a too-long one): drawn often, as a fuzzer favours edge inputs.
  const choice = fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.nat(3), weight: 2 }, { arbitrary: fc.nat(63), weight: 1 });
  const action = fc.record({ kind: kindArb(withTriggers), who: fc.nat(7), choice, fresh: fc.boolean() });
  return fc.record({
    actions: fc.array(action, { minLength: 1, maxLength: maxActions }),
    phones: fc.array(fc.constantFrom<PhoneAnswer>('human', 'noAnswer', 'busy', 'machine'), { maxLength: 3 }),
  });
}

/** Durations a "time passes" action chooses from: a second to an hour, in virtual time. */
export const DURATIONS_SEC = [1, 3, 6, 10, 30, 60, 120, 300, 900, 3600];

/**
 * Keys a caller may press while the app collects digits: the join digits, numbers the app's own
 * prompts mention, every single key, an empty entry (the finish key alone) and a too-long entry.
 */
export function digitCandidates(opts: { joinDigits?: string; heard: readonly string[]; finishOnKey?: string; maxDigits?: number }): string[] {
  const fromPrompts = opts.heard.flatMap((text) => text.match(/\d+/g) ?? []);
  const finish = opts.finishOnKey && /^[0-9*#]$/.test(opts.finishOnKey) ? opts.finishOnKey : '#';
  const long = '1'.repeat(Math.max((opts.maxDigits ?? 0) + 1, 12));
  const all = [...(opts.joinDigits ? [opts.joinDigits] : []), '*', finish, long, ...fromPrompts.flatMap((n) => [n, `${n}${finish}`]), ...'0123456789*#'.split('')];
  return [...new Set(all)];
}

// Built-in grammars (reference: GetSpeech's grammarFile) and what a caller may say to each: one
// phrase it recognizes and one it does not, so that both the app's match and no-match paths run.
const BUILTIN_PHRASES: Record<string, string[]> = {
  VERSAY_YESNO: ['yes', 'no', 'maybe'],
  ALPHNUM6: ['a b c 1 2 3', 'a b'],
  ANY_DIG: ['one two three', 'hello'],
  UP_TO_20_DIGIT_SEQUENCE: ['four five six', 'hello'],
};

/**
 * What a caller may say while the app listens (GetSpeech): phrases of the grammar when it is a
 * built-in one or a list of words (not a URL the simulator cannot read), words and numbers the
 * app's own prompts mention, and something the app did not ask for.
 */
export function speechCandidates(opts: { grammarFile?: string; heard: readonly string[] }): string[] {
  const g = opts.grammarFile?.trim() ?? '';
  const digitsGrammar = /^DIG(\d+)$/.exec(g);
  const fromGrammar = BUILTIN_PHRASES[g] ?? (digitsGrammar ? ['1 '.repeat(Number(digitsGrammar[1])).trim(), '1'] : /^[a-z][a-z ,|]*$/i.test(g) ? g.split(/[\s,|]+/).filter(Boolean) : []);
  const fromPrompts = opts.heard.flatMap((text) => text.match(/"([^"]+)"|'([^']+)'|\d+/g) ?? []).map((w) => w.replace(/^["']|["']$/g, ''));
  return [...new Set([...fromGrammar, ...fromPrompts, 'something else entirely'])];
}

/** Seconds of a message left while the app records (RecordUtterance): short, ordinary, long. */
export const MESSAGE_SECONDS = [2, 15, 120];

/** Keys pressed in a conference: the call-control sequence the app set, then single keys. */
export function conferenceDigitCandidates(sequence: string | undefined): string[] {
  return [...new Set([...(sequence && /^[0-9*#]+$/.test(sequence) ? [sequence] : []), ...'0123456789*#'.split('')])];
}

/** One line per action, for the console and the findings. */
export function describeAction(a: ExploreAction): string {
  switch (a.kind) {
    case 'call':
      return `${a.caller} calls from ${a.from}`;
    case 'press':
      return `${a.caller} presses ${a.digits}`;
    case 'pressInConference':
      return `${a.caller} presses ${a.digits} in the conference`;
    case 'hangUp':
      return `${a.caller} hangs up`;
    case 'wait':
      return `${a.seconds} s pass`;
    case 'terminate':
      return `the conference of ${a.caller} is terminated through REST`;
    case 'trigger':
      return `web trigger #${a.index + 1} fires`;
    case 'say':
      return `${a.caller} says "${a.text}"`;
    case 'silent':
      return `${a.caller} stays silent`;
    case 'leaveMessage':
      return `${a.caller} leaves a message of ${a.seconds} s`;
    case 'leaveMessageAndPress':
      return `${a.caller} leaves a message and presses ${a.key}`;
  }
}

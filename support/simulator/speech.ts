// GetSpeech: what the caller says is matched against the command's grammar and reported to its
// actionUrl (getSpeech: reason, recognitionResult, confidence). Sources: DOC:getspeech-1, SPEC
// GetSpeech/GetSpeechWebhook/GetSpeechReason/GrammarFileBuiltIn, SDK 2.1.3 enums.
//
// What the docs allow, and the reading taken where they are silent:
// - Built-in grammars are matched here: DIG1–DIG11 (exactly n digits), ANY_DIG, UP_TO_20_DIGIT_SEQUENCE,
//   ALPHNUM6 (six letters or digits), VERSAY_YESNO (yes or no). Digits may be spoken as words.
// - [AMBIGUOUS] A URL grammar is the app's GRXML; the simulator does not fetch or evaluate it, and
//   takes the caller's words as recognized, as they were said (lower case, trimmed).
// - [AMBIGUOUS] No defaults are documented for the timeouts; conventional values are used.
// - [AMBIGUOUS] confidence is 0–100 (SPEC); a match is reported with 100, a miss with 0.
import { GRAMMAR_FILES_BUILTIN } from '../schemas/percl-capture';
import type { Attributes } from '../schemas/percl';
import type { EngineApi } from './engine-api';
import type { CallState } from './state';

export const SPEECH_NO_INPUT_TIMEOUT_DEFAULT_MS = 3000;
export const SPEECH_COMPLETE_TIMEOUT_DEFAULT_MS = 1000;

export type SpeechReason = 'error' | 'hangup' | 'digit' | 'noInput' | 'noMatch' | 'recognition';

interface Listening {
  attrs: Attributes<'GetSpeech'>;
  timer?: number;
}

const WORD_DIGITS: Record<string, string> = {
  zero: '0', oh: '0', o: '0', one: '1', two: '2', three: '3', four: '4', for: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};
const YES = new Set(['yes', 'yeah', 'yep', 'sure', 'correct', 'right']);
const NO = new Set(['no', 'nope', 'nah']);

/** What a built-in grammar recognizes in `said`, or undefined when it does not match. */
export function matchBuiltin(grammar: string, said: string): string | undefined {
  const words = said.toLowerCase().replace(/[^a-z0-9 ]+/g, ' ').split(/\s+/).filter(Boolean);
  if (grammar === 'VERSAY_YESNO') {
    if (words.length !== 1) return undefined;
    return YES.has(words[0]) ? 'yes' : NO.has(words[0]) ? 'no' : undefined;
  }
  if (grammar === 'ALPHNUM6') {
    const chars = words.map((w) => WORD_DIGITS[w] ?? w).join('').toUpperCase();
    return /^[A-Z0-9]{6}$/.test(chars) ? chars : undefined;
  }
  const digits = words.map((w) => (/^\d+$/.test(w) ? w : WORD_DIGITS[w])).join('');
  if (words.some((w) => !/^\d+$/.test(w) && WORD_DIGITS[w] === undefined) || digits === '') return undefined;
  const exact = /^DIG(\d+)$/.exec(grammar);
  if (exact) return digits.length === Number(exact[1]) ? digits : undefined;
  if (grammar === 'ANY_DIG') return digits;
  if (grammar === 'UP_TO_20_DIGIT_SEQUENCE') return digits.length <= 20 ? digits : undefined;
  return undefined;
}

export class Speech {
  private readonly listening = new Map<string, Listening>();

  constructor(private readonly engine: EngineApi) {}

  /** GetSpeech on `call`: its prompts play, then the recognizer waits for the caller. */
  start(call: CallState, attrs: Attributes<'GetSpeech'>): void {
    const pending: Listening = { attrs };
    this.listening.set(call.callId, pending);
    if (!this.engine.has('speech-no-input-unreported')) this.arm(call, pending, attrs.noInputTimeoutMs ?? SPEECH_NO_INPUT_TIMEOUT_DEFAULT_MS, () => this.finish(call, 'noInput', null));
    this.engine.trace(`GetSpeech on ${call.callId} (${this.builtin(attrs) ?? 'URL grammar'})`);
  }

  listens(call: CallState): boolean {
    return this.listening.has(call.callId);
  }

  /** The caller says `text`, taking `ms` of virtual time; the result comes after the speech-complete silence. */
  hear(call: CallState, text: string, ms: number): void {
    const pending = this.listening.get(call.callId);
    if (!pending) return;
    const wait = ms + (pending.attrs.speechCompleteTimeoutMs ?? SPEECH_COMPLETE_TIMEOUT_DEFAULT_MS);
    this.arm(call, pending, wait, () => {
      const grammar = this.builtin(pending.attrs);
      const said = text.trim().toLowerCase();
      let result = grammar ? matchBuiltin(grammar, text) : said;
      if (this.engine.has('speech-matches-anything')) result ??= said;
      if (this.engine.has('speech-never-recognized')) result = undefined;
      if (result === undefined || result === '') this.finish(call, 'noMatch', null);
      else this.finish(call, 'recognition', result);
    });
  }

  /** A key instead of speech: reason digit, the key as the result. Returns whether it was consumed. */
  dtmf(call: CallState, digits: string): boolean {
    if (!this.listening.has(call.callId)) return false;
    this.finish(call, 'digit', digits[0]);
    return true;
  }

  hungUp(call: CallState): void {
    if (this.listening.has(call.callId)) this.finish(call, 'hangup', null);
  }

  /** The script was stopped (a queued call dequeued): stop listening, report nothing. */
  cancel(call: CallState): void {
    const pending = this.listening.get(call.callId);
    if (pending?.timer !== undefined) this.engine.opts.clock.cancel(pending.timer);
    this.listening.delete(call.callId);
  }

  /** The built-in grammar in use, or undefined for a URL grammar (no grammarType and a built-in name counts as built-in). */
  private builtin(attrs: Attributes<'GetSpeech'>): string | undefined {
    const named = (GRAMMAR_FILES_BUILTIN as readonly string[]).includes(attrs.grammarFile);
    if (attrs.grammarType === 'BUILTIN' || (attrs.grammarType === undefined && named)) return attrs.grammarFile;
    return undefined;
  }

  private arm(call: CallState, pending: Listening, ms: number, fire: () => void): void {
    const clock = this.engine.opts.clock;
    if (pending.timer !== undefined) clock.cancel(pending.timer);
    pending.timer = clock.after(ms, fire);
  }

  private finish(call: CallState, reason: SpeechReason, recognitionResult: string | null): void {
    const e = this.engine;
    const pending = this.listening.get(call.callId);
    if (!pending) return;
    this.listening.delete(call.callId);
    if (pending.timer !== undefined) e.opts.clock.cancel(pending.timer);
    e.trace(`GetSpeech on ${call.callId} ended: ${reason}${recognitionResult === null ? '' : ` "${recognitionResult}"`}`);
    e.opts.dispatcher.webhook(
      pending.attrs.actionUrl,
      {
        accountId: e.state.accountId,
        requestType: 'getSpeech',
        ...e.callFields(call),
        reason,
        recognitionResult,
        confidence: reason === 'recognition' || reason === 'digit' ? (e.has('speech-confidence-fraction') ? 0.93 : 100) : 0,
        parentCallId: call.parentCallId,
      },
      e.now,
      // DOC:getspeech-1: when the command ended because of a hang-up, the PerCL returned is not run.
      reason === 'hangup' || e.has('speech-answer-ignored') ? undefined : (answer) => e.runner.runAnswer(call, answer),
    );
  }
}

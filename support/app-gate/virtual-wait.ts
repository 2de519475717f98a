// The one way an app-gate step waits: check the condition, let the run settle (every queued
// webhook delivered and answered, no REST request in flight, the app quiet: quiet.ts), and only
// then move virtual time to the next timer (a Pause, a GetDigits timeout), one timer at a time.
// Virtual time costs nothing, so an app's 30-second Pause is free; a wait whose condition can no
// longer be met (the caller's call ended, the app died) fails at once, saying what it awaited and
// what happened. Only before saying "nothing else is going to happen" does a wait listen to the
// app for the whole ceiling of the quiet grace, since a late REST request would prove it wrong.

export interface VirtualTimeline {
  settle(): Promise<void>;
  now(): number;
  /** Virtual time of the next pending timer. */
  nextDue(): number | undefined;
  advance(ms: number): Promise<void>;
  /** Why nothing can go on at all (the app under test died), if so. */
  broken(): string | undefined;
  /**
   * Listens for the app before a conclusion that nothing else happens: true if it stayed quiet.
   * `absence`: for an absence step, which needs no more than settle() when the app is probed.
   */
  confirmQuiet(absence?: boolean): Promise<boolean>;
  /** The quiet grace, for messages. */
  describeGrace(): string;
}

export interface WaitSubject<T> {
  /** What the step waits for, e.g. `"alice" is in a conference`. */
  awaited: string;
  /** The value that ends the wait, or undefined to keep waiting. */
  check(): T | undefined;
  /** Why the condition can never be met any more (e.g. the call ended), or undefined. */
  impossible?(): string | undefined;
  /** What happened instead, for the failure message (e.g. the history of that call). */
  instead(): string;
}

export interface WaitOptions {
  /** How much virtual time one wait may move the clock. */
  limitMs: number;
  /** The documented reading the simulator runs under, named in every failure. */
  variant: string;
}

export const DEFAULT_WAIT_LIMIT_MS = 3_600_000;

export class WaitFailed extends Error {
  override readonly name = 'WaitFailed';
}

// An app that never stops sending requests on its own is listened to this many times, then judged.
const MAX_LISTENS = 3;

export async function waitVirtual<T>(timeline: VirtualTimeline, subject: WaitSubject<T>, opts: WaitOptions): Promise<T> {
  const started = timeline.now();
  let listens = 0;
  for (;;) {
    await timeline.settle();
    const value = subject.check();
    if (value !== undefined) return value;
    const broken = timeline.broken();
    if (broken) throw failure(subject, opts, broken);
    const impossible = subject.impossible?.();
    if (impossible) throw failure(subject, opts, `it can no longer happen: ${impossible}`);
    const due = timeline.nextDue();
    if (due === undefined || due - started > opts.limitMs) {
      if (!(await timeline.confirmQuiet()) && ++listens < MAX_LISTENS) continue;
      if (due === undefined) throw failure(subject, opts, `nothing else is going to happen: no webhook is pending, no timer is set, and the app sent nothing more (after ${seconds(timeline.now() - started)} of virtual time; ${timeline.describeGrace()})`);
      throw failure(subject, opts, `it did not happen within ${seconds(opts.limitMs)} of virtual time (the next timer is at +${seconds(due - started)}; ${timeline.describeGrace()})`);
    }
    await timeline.advance(Math.max(0, due - timeline.now()));
  }
}

function failure(subject: WaitSubject<unknown>, opts: WaitOptions, reason: string): WaitFailed {
  return new WaitFailed(`waited for ${subject.awaited} (variant: ${opts.variant}); ${reason}.\nWhat happened instead:\n${indent(subject.instead())}`);
}

const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export interface AbsenceSubject<T> {
  /** What must not happen, e.g. `a call from the app to "agent"`. */
  what: string;
  /** The thing that must not happen, once it has. */
  check(): T | undefined;
  /** The failure message when it happened. */
  describe(found: T): string;
}

/**
 * The converse of waitVirtual: moves virtual time timer by timer up to `limitMs`, failing as soon as
 * the thing happens. It holds once no timer is left within the window (nothing else can happen)
 * or the next one lies beyond it.
 */
export async function absentFor<T>(timeline: VirtualTimeline, subject: AbsenceSubject<T>, limitMs: number): Promise<void> {
  const started = timeline.now();
  let listens = 0;
  for (;;) {
    await timeline.settle();
    const found = subject.check();
    if (found !== undefined) throw new WaitFailed(subject.describe(found));
    const broken = timeline.broken();
    if (broken) throw new WaitFailed(`while making sure there was no ${subject.what}: ${broken}`);
    const due = timeline.nextDue();
    if (due === undefined || due - started > limitMs) {
      if ((await timeline.confirmQuiet(true)) || ++listens >= MAX_LISTENS) return;
      continue;
    }
    await timeline.advance(Math.max(0, due - timeline.now()));
  }
}

// Steps a real account cannot play, and why. A live app-gate scenario that contains one is reported
// as skipped with the reason before it places any call, so it costs nothing and is never passed
// silently. Pure text matching on the scenario's steps, so the unit tests check it directly.

const RULES: { pattern: RegExp; reason: string }[] = [
  { pattern: /^"[^"]+" will be busy$/, reason: 'a busy line cannot be made on demand: the harness answers its numbers, and FreeClimb gives no way to refuse a call as busy' },
  { pattern: /^"[^"]+"'s voicemail will answer$/, reason: 'no machine can answer on a real call: the harness answers as a person, and answering-machine detection is FreeClimb\'s own' },
  { pattern: /^"[^"]+" will not answer$/, reason: 'the harness answers every call to its numbers; letting one ring out would need an unrouted number and a full ring timeout' },
  { pattern: /^\d+ seconds? pass(es)?$/, reason: 'virtual time: a real account runs on the wall clock, so the jump cannot be made' },
  { pattern: /^the app does not call "[^"]+" within \d+ seconds$/, reason: 'an absence over a virtual-time window: live, it would take the whole window in real seconds' },
  // The speech, message, queue, SMS and recording steps (steps/app/media.steps.ts) run on the simulator only so far.
  { pattern: /^"[^"]+" (says "[^"]*"|stays silent|leaves a message (of \d+ seconds|and presses "[^"]*"))$/, reason: 'speech and messages are the simulator\'s so far: the live gate has no voice to play on a real call yet' },
  { pattern: /^("[^"]+" is (waiting in|no longer in) a queue|the app texts "[^"]*" "[^"]*"|the call of "[^"]+" is recorded)$/, reason: 'queues, SMS and recordings are checked by the mock gate only so far' },
];

/** The reason the first unplayable step of `steps` cannot run live, or undefined if all can. */
export function unplayableReason(steps: readonly string[]): string | undefined {
  for (const text of steps) {
    const rule = RULES.find((r) => r.pattern.test(text.trim()));
    if (rule) return `skipped in a live app gate: step "${text.trim()}" cannot be played on a real account: ${rule.reason}`;
  }
  return undefined;
}

// The search: fast-check generates plans, runs each as a sequence against a fresh app, and shrinks
// a failing one to the smallest plan that still breaks an invariant; fast-check's seed and path
// replay it exactly. One fc.check stops at its first failure, so the search goes on with the next
// seed, a finding already reported no longer failing the property: each distinct finding (code
// plus where) is reported once, with its smallest sequence.
import fc from 'fast-check';
import type { CheckLevel, InvariantCode } from '../../schemas/explore';
import { planArbitrary, type Plan } from './actions';
import { waitedOnRealTime, type SequenceResult, type SequenceRunner } from './sequence';

export interface SearchOptions {
  seed: number;
  runs: number;
  /** Wall-clock budget in ms (whichever of runs and time ends first). */
  timeMs: number;
  maxActions: number;
  levels: ReadonlyMap<InvariantCode, CheckLevel>;
  onProgress?: (p: Progress) => void;
  /** Stop after the first round that found something. */
  exitFirst?: boolean;
  /** true: the search is pointless (a bad setup seen); the remaining runs pass without running. */
  stop?: () => boolean;
}

export interface Progress {
  sequences: number;
  actions: number;
  findings: number;
  elapsedMs: number;
}

export interface Found {
  key: string;
  /** SEED:PATH for --replay. */
  replay: string;
  result: SequenceResult;
  /** Index into result.violations. */
  violation: number;
  foundAfterMs: number;
}

export interface SearchOutcome {
  found: Found[];
  /** Sequences generated (shrinking runs excluded). */
  generated: number;
  interrupted: boolean;
}

/** Sequences run while shrinking one failure, at most (each is a fresh app: about a second). */
export const MAX_SHRINK_RUNS = 60;
/** The same for a failure that waits on real time (a webhook timeout each): the first steps of a shrink gain the most. */
export const MAX_SHRINK_RUNS_REAL_TIME = 20;

export const findingKey = (v: { code: string; where: string }) => `${v.code}@${v.where}`;

export async function search(runner: SequenceRunner, opts: SearchOptions, withTriggers: boolean): Promise<SearchOutcome> {
  const started = performance.now();
  const found: Found[] = [];
  const known = new Set<string>();
  let generated = 0;
  let interrupted = false;
  const counted = (r: SequenceResult) => r.violations.filter((v) => (opts.levels.get(v.code) ?? 'fail') !== 'off');
  const arb = planArbitrary(opts.maxActions, withTriggers);
  for (let round = 0; generated < opts.runs; round++) {
    if (performance.now() - started > opts.timeMs) {
      interrupted = true;
      break;
    }
    let last: SequenceResult | undefined;
    let firstSeenMs = 0;
    let shrinkRuns = 0;
    const seed = opts.seed + round;
    const property = fc.asyncProperty(arb, async (plan: Plan) => {
      // The budget is checked here rather than with fast-check's interruptAfterTimeLimit, which
      // leaves the running sequence going on in the background while the next one starts.
      if (opts.stop?.()) return true;
      if (last) {
        // Shrinking: bounded by a count, never by the clock, so that the same seed shrinks to the
        // same sequence however loaded the machine is (a candidate "passing" because time ran out
        // would change fast-check's path).
        if (++shrinkRuns > (waitedOnRealTime(last) ? MAX_SHRINK_RUNS_REAL_TIME : MAX_SHRINK_RUNS)) return true;
      } else if (performance.now() - started > opts.timeMs) {
        interrupted = true;
        return true;
      }
      const result = await runner.runPlan(plan, (r) => counted(r).some((v) => !known.has(findingKey(v))), last !== undefined && waitedOnRealTime(last));
      opts.onProgress?.({ sequences: runner.sequences, actions: runner.actions, findings: found.length, elapsedMs: performance.now() - started });
      const fresh = counted(result).filter((v) => !known.has(findingKey(v)));
      if (fresh.length === 0) return true;
      if (!last) firstSeenMs = performance.now() - started;
      last = result;
      return false;
    });
    const details = await fc.check(property, { seed, numRuns: opts.runs - generated });
    generated += details.numRuns;
    if (!details.failed || !last || opts.stop?.()) break;
    const replay = `${seed}:${details.counterexamplePath}`;
    counted(last).forEach((v) => {
      const key = findingKey(v);
      if (known.has(key)) return;
      known.add(key);
      found.push({ key, replay, result: last!, violation: last!.violations.indexOf(v), foundAfterMs: firstSeenMs });
    });
    if (interrupted || opts.exitFirst) break;
  }
  return { found, generated, interrupted };
}

/** --replay SEED:PATH: the one plan fast-check reaches by that path from that seed, run once. */
export async function replay(runner: SequenceRunner, spec: string, maxActions: number, withTriggers: boolean): Promise<SequenceResult> {
  const { seed, path } = parseReplay(spec);
  let result: SequenceResult | undefined;
  await fc.check(
    fc.asyncProperty(planArbitrary(maxActions, withTriggers), async (plan) => {
      // fast-check reaches the path's value first; once it passed, it may go on: only the first counts.
      if (result) return true;
      result = await runner.runPlan(plan);
      return true;
    }),
    { seed, path, numRuns: 1, endOnFailure: true },
  );
  if (!result) throw new Error(`--replay ${spec}: fast-check ran no sequence for that path`);
  return result;
}

export function parseReplay(spec: string): { seed: number; path: string } {
  const m = /^(-?\d+):(\d+(?::\d+)*)$/.exec(spec);
  if (!m) throw new Error(`--replay ${spec}: expected SEED:PATH as a finding gives it, e.g. 42:3:0:1`);
  return { seed: Number(m[1]), path: m[2] };
}

// The gate's own proof, as exact as the fault sweep (issue 21, item 5): a seeded bug of an example
// app counts as caught only when, in every reading where it must show, exactly its declared
// scenarios are red, each for its declared reason, every other scenario is green, and the app died
// exactly as often as declared; in the other readings everything is green. A run whose app never
// started (an unknown APP_BUG, a bug that breaks start-up) is a setup error, never a catch.
import { z } from 'zod';
import { InvariantCode } from '../../support/schemas/explore';

// examples/*/bugs.json (their $comment documents the fields).
export const BugsFile = z.object({
  bugs: z.array(
    z.object({
      name: z.string().min(1),
      description: z.string(),
      variants: z.union([z.literal('all'), z.array(z.string()).min(1)]),
      scenarios: z
        .array(
          z.object({
            feature: z.string(),
            scenario: z.string(),
            /** A fragment (a code such as appInvalidPercl, or words of the gate's message) that the scenario's error must contain. */
            reason: z.string().min(1),
            /** Only these of the bug's readings turn this scenario red (default: all of them). */
            variants: z.array(z.string()).min(1).optional(),
          }),
        )
        .min(1)
        // A bug meant only for `fch app explore` declares none (read as []): the gate proof skips it.
        .optional()
        .transform((s) => s ?? []),
      /** What `fch app explore` must find with no feature file (scripts/explore-check.ts): the invariant's code. */
      explore: z.object({ code: InvariantCode }).optional(),
      /** Scenario runs per reading in which the app dies (the gate restarts it each time); absent is 0. */
      crashes: z.number().int().min(0).optional(),
      /** REST_TIMING modes the bug is also proven in, declared the same (the example's README names them). */
      restTimings: z.array(z.enum(['after-answer', 'deferred'])).optional(),
    }),
  ),
});
export type Bug = z.infer<typeof BugsFile>['bugs'][number];
/** A bug the gate proof covers: it declares the scenarios that catch it (an explorer-only bug declares none). */
export const isGateBug = (bug: Bug): boolean => bug.scenarios.length > 0;

// reports/app-gate/runs.json written by `fch app test`.
export const Runs = z.array(
  z.object({
    label: z.string(),
    exitCode: z.number(),
    scenarios: z.array(z.object({ id: z.string(), uri: z.string(), name: z.string(), status: z.string(), error: z.string().optional() })),
    /** Scenarios during which the app died (support/app-gate/hooks.ts); older runs.json lack it. */
    crashes: z.array(z.string()).default([]),
  }),
);
export type Run = z.infer<typeof Runs>[number];

export interface GateOutcome {
  code: number;
  output: string;
  runs: Run[];
}

export interface BugVerdict {
  /** Set when the run proves nothing about the bug: the app never started, or no scenario ran. */
  setup?: string;
  /** Where the run differs from the declaration (empty: caught exactly). */
  problems: string[];
}

const NOT_STARTED = 'the app under test could not be started';

/** The readings a bug's gate run covers: the default one, plus those it declares. */
export function bugReadings(bug: Bug): string[] {
  return bug.variants === 'all' ? ['default'] : [...new Set(['default', ...bug.variants])];
}

const shows = (bug: Bug, label: string) => bug.variants === 'all' || bug.variants.includes(label);
const matches = (want: { feature: string; scenario: string }, s: { uri: string; name: string }) =>
  s.name === want.scenario && (want.feature === 'builtin' ? s.uri.endsWith('app-features/builtin.feature') : s.uri === want.feature);

/** Why the run cannot count for or against the bug, if it cannot. */
export function setupError(outcome: GateOutcome): string | undefined {
  const tail = outcome.output.trim().split('\n').slice(-10).join('\n');
  if (outcome.code === 2) return `the gate exited 2 (a bad setup):\n${tail}`;
  if (outcome.runs.length === 0) return `the gate wrote no runs (exit ${outcome.code}):\n${tail}`;
  const empty = outcome.runs.filter((r) => r.scenarios.length === 0).map((r) => r.label);
  if (empty.length) return `no scenario ran under ${empty.join(', ')} (exit ${outcome.code}):\n${tail}`;
  // Every scenario of such a run fails with this message, which would look like a catch.
  const notStarted = outcome.runs.flatMap((r) => r.scenarios.filter((s) => s.error?.includes(NOT_STARTED)).map((s) => `${r.label}: ${firstLine(s.error)}`));
  if (notStarted.length) return notStarted[0];
  if (outcome.output.includes(NOT_STARTED)) return `the gate's output says ${NOT_STARTED}:\n${tail}`;
  return undefined;
}

/** Where a seeded bug's gate run differs from what bugs.json declares. */
export function bugProblems(bug: Bug, outcome: GateOutcome): BugVerdict {
  const setup = setupError(outcome);
  if (setup) return { setup: `setup error, not a catch: ${setup}`, problems: [] };
  const problems: string[] = [];
  const readings = bugReadings(bug);
  const labels = outcome.runs.map((r) => r.label);
  for (const label of readings) if (!labels.includes(label)) problems.push(`no run under ${label}`);
  for (const label of labels) if (!readings.includes(label)) problems.push(`a run under ${label}, which was not asked for`);
  for (const want of bug.scenarios) for (const v of want.variants ?? []) if (!readings.includes(v) || !shows(bug, v)) problems.push(`"${want.scenario}" is declared red under ${v}, a reading where the bug is not declared to show`);
  const declaredCrashes = bug.crashes ?? 0;
  for (const run of outcome.runs) {
    const showing = shows(bug, run.label);
    const redExpected = showing ? bug.scenarios.filter((w) => !w.variants || w.variants.includes(run.label)) : [];
    for (const want of redExpected) {
      const found = run.scenarios.find((s) => matches(want, s));
      if (!found) problems.push(`${run.label}: no scenario "${want.scenario}" in ${want.feature}`);
      else if (found.status !== 'failed') problems.push(`${run.label}: expected red, ${found.status}: ${want.feature} "${want.scenario}"`);
      else if (!found.error?.includes(want.reason)) problems.push(`${run.label}: red for another reason than "${want.reason}": ${want.feature} "${want.scenario}" — ${firstLine(found.error)}`);
    }
    const why = showing ? 'not declared' : `expected green: the bug is declared for ${(bug.variants as string[]).join(', ')}`;
    for (const s of run.scenarios) if (s.status !== 'passed' && !redExpected.some((w) => matches(w, s))) problems.push(`${run.label}: ${s.status} but ${why}: ${s.name} — ${firstLine(s.error)}`);
    const crashes = showing ? declaredCrashes : 0;
    if (run.crashes.length !== crashes) problems.push(`${run.label}: the app crashed in ${run.crashes.length} scenario run(s) (${run.crashes.map((c) => `"${c}"`).join(', ') || 'none'}), declared ${crashes}`);
  }
  if (outcome.code !== 1) problems.push(`the gate exited ${outcome.code}, expected 1 (failed)`);
  // What a reader of the CI log looks for must be said on the console: the finding that only a
  // non-default reading shows, every failure with its reason, and how often the app crashed.
  if (bug.variants !== 'all' && !bug.variants.includes('default')) {
    const findings = outcome.output.split('\n').filter((l) => l.includes('fails only under'));
    for (const v of bug.variants) if (!findings.some((l) => l.includes(v))) problems.push(`the console does not say "fails only under ${v}"`);
  }
  for (const want of bug.scenarios) if (!outcome.output.includes(`✗ ${want.scenario}`)) problems.push(`the console does not list "✗ ${want.scenario}" with its reason`);
  const totalCrashes = outcome.runs.reduce((n, r) => n + r.crashes.length, 0);
  if (totalCrashes > 0 && !outcome.output.includes(`the app under test crashed in ${totalCrashes} scenario run(s) and was restarted`)) problems.push(`the console does not say that the app crashed in ${totalCrashes} scenario run(s)`);
  return { problems };
}

export const firstLine = (s: string | undefined) => (s ?? '').split('\n')[0].slice(0, 200);

// Observations: where the docs allow several readings, what the platform actually did. They never
// fail a run; each is attached to its scenario and summarized at the end of the run, so a live run
// against FreeClimb answers the reference's [AMBIGUOUS] questions.
// They are written to observations.jsonl in the run's Allure results dir, so they belong to one run
// and are emptied with it (Allure ignores files it does not know there).
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resultsDirOf } from '../results-dir';

export interface Observation {
  clause: string;
  question: string;
  observed: string;
  scenario: string;
  mode: string;
}

// This run's observations; a process that runs the suite several times (a sweep) starts each run afresh.
const seen: Observation[] = [];

export function resetObservations(): void {
  seen.length = 0;
}

/** Where this run's observations go: observations.jsonl in ALLURE_RESULTS_DIR or reports/allure-results. */
export function observationsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(resultsDirOf(env), 'observations.jsonl');
}

export function recordObservation(o: Observation): void {
  seen.push(o);
  const file = observationsFile();
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, JSON.stringify({ ...o, at: new Date().toISOString() }) + '\n');
}

/** One line per question: each reading observed and how often. Empty when nothing was observed. */
export function observationSummary(): string {
  if (seen.length === 0) return '';
  const byQuestion = new Map<string, Map<string, number>>();
  for (const o of seen) {
    const key = `${o.clause} ${o.question}`;
    const counts = byQuestion.get(key) ?? new Map<string, number>();
    counts.set(o.observed, (counts.get(o.observed) ?? 0) + 1);
    byQuestion.set(key, counts);
  }
  const lines = [...byQuestion].map(([q, counts]) => `  ${q}: ${[...counts].map(([v, n]) => `${v} (${n}×)`).join(', ')}`);
  return `Observations on documented ambiguities (${seen[0].mode} mode; these never fail the run):\n${lines.join('\n')}`;
}

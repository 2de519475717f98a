// Observations: where the docs allow several readings, what the platform actually did. They never
// fail a run; each is attached to its scenario and summarized at the end of the run, so a live run
// against FreeClimb answers the reference's [AMBIGUOUS] questions.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Observation {
  clause: string;
  question: string;
  observed: string;
  scenario: string;
  mode: string;
}

const FILE = join(process.cwd(), 'reports', 'observations.jsonl');
const seen: Observation[] = [];

export function recordObservation(o: Observation): void {
  seen.push(o);
  mkdirSync(dirname(FILE), { recursive: true });
  appendFileSync(FILE, JSON.stringify({ ...o, at: new Date().toISOString() }) + '\n');
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

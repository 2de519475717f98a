// Live observations: where the docs allow several readings, what FreeClimb actually did. Each run
// directory may hold its own observations.jsonl; the older reports/observations.jsonl mixes mock and
// live lines, so only its live lines count. Mock observations say what the simulator was told to
// do, which answers nothing about the platform.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CLAUSES } from '../../../features/clauses';
import { VARIANT_AXES } from '../../simulator/variants';
import { ObservationLine } from './schemas';

export interface Reading {
  axis: string;
  ref: string;
  doc: string;
  options: readonly string[];
}

export interface ObservedPoint {
  clause: string;
  question: string;
  /** Each value the platform showed, with how often. */
  counts: [string, number][];
  scenarios: number;
  sources: string[];
  /** What the docs allow here: the variant axes of the clause's ambiguous claims. */
  readings: Reading[];
}

export interface ObservationsRead {
  points: ObservedPoint[];
  /** Files read, relative to reportsDir. */
  files: string[];
  badLines: number;
}

function readLines(file: string): { lines: ObservationLine[]; bad: number } {
  const lines: ObservationLine[] = [];
  let bad = 0;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    if (!raw.trim()) continue;
    try {
      lines.push(ObservationLine.parse(JSON.parse(raw)));
    } catch {
      bad++;
    }
  }
  return { lines, bad };
}

/** Readings the docs allow for a clause (a clause id like `C07/C09` names several). */
export function readingsFor(clauseField: string): Reading[] {
  const ids = clauseField.split(/[/,\s]+/).filter(Boolean);
  const axes = new Set(CLAUSES.filter((c) => ids.includes(c.id)).flatMap((c) => c.claims.filter((cl) => cl.kind === 'ambiguous').flatMap((cl) => cl.axes ?? [])));
  return [...axes].flatMap((axis) => {
    const def = (VARIANT_AXES as Record<string, { ref: string; doc: string; options: readonly string[] }>)[axis];
    return def ? [{ axis, ref: def.ref, doc: def.doc, options: def.options }] : [];
  });
}

export function readObservations(reportsDir: string, runDirs: string[]): ObservationsRead {
  const candidates = [...runDirs.map((d) => join(d, 'observations.jsonl')), join(reportsDir, 'observations.jsonl')];
  const byPoint = new Map<string, { clause: string; question: string; counts: Map<string, number>; scenarios: Set<string>; sources: Set<string> }>();
  const files: string[] = [];
  let badLines = 0;
  for (const file of [...new Set(candidates)].filter((f) => existsSync(f))) {
    const rel = relative(reportsDir, file).split(sep).join('/');
    files.push(rel);
    const { lines, bad } = readLines(file);
    badLines += bad;
    for (const o of lines.filter((l) => l.mode === 'live')) {
      const key = `${o.clause}\u0000${o.question}`;
      const p = byPoint.get(key) ?? { clause: o.clause, question: o.question, counts: new Map(), scenarios: new Set(), sources: new Set() };
      byPoint.set(key, p);
      p.counts.set(o.observed, (p.counts.get(o.observed) ?? 0) + 1);
      p.scenarios.add(o.scenario);
      p.sources.add(rel);
    }
  }
  const points = [...byPoint.values()]
    .map((p) => ({
      clause: p.clause,
      question: p.question,
      counts: [...p.counts].sort((a, b) => b[1] - a[1]),
      scenarios: p.scenarios.size,
      sources: [...p.sources],
      readings: readingsFor(p.clause),
    }))
    .sort((a, b) => a.clause.localeCompare(b.clause) || a.question.localeCompare(b.question));
  return { points, files, badLines };
}

// Several results folders (one per shard, as CI downloads them) into one, for one report. Allure
// could read several folders itself, but then a folder given twice shows every scenario as a
// retry of itself, each gate shard's coverage result would be a retry of the others, and the
// JUnit files and the gate's runs.json would stay apart. So the folders are copied into one:
//   *-result.json, *-container.json   once per uuid (the file name carries it)
//   attachments                       once per file name (uuid-named, referenced by the results)
//   environment.properties            one key=value per key, the first folder's value
//   categories.json                   one category per name
//   observations.jsonl                every line, a folder given twice adds none
//   junit/*.xml, app-gate/runs.json   returned to the caller, which merges them
// The app gate's coverage results are left out; the caller writes one for the merged coverage (or,
// with no coverage files to merge, the first one stays).
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GATE_IN_RESULTS } from '../shard';

export const GATE_COVERAGE_HISTORY_ID = 'app-gate-coverage';

export interface MergedInputs {
  /** Result files copied, and result files left out because their uuid was already there. */
  results: number;
  duplicates: number;
  /** JUnit files found in the folders' junit/ subfolders. */
  junitFiles: string[];
  /** The gate's runs.json and coverage.json of each folder that has them. */
  gateRuns: { runs: string; coverage?: string }[];
  /** Coverage results of the gate seen (left out of the merged folder). */
  gateCoverageResults: number;
}

/** Lines of `text` not yet in `seen`, where the n-th copy of a line within one file is its own line. */
function newLines(text: string, seen: Set<string>): string[] {
  const nth = new Map<string, number>();
  const out: string[] = [];
  for (const line of text.split('\n').filter((l) => l.trim())) {
    const n = (nth.get(line) ?? 0) + 1;
    nth.set(line, n);
    if (!seen.has(`${n}\u0000${line}`)) (seen.add(`${n}\u0000${line}`), out.push(line));
  }
  return out;
}

/** Copies `dirs` into the empty folder `into` (which must not be one of them). */
export function mergeResultsDirs(dirs: readonly string[], into: string): MergedInputs {
  const out: MergedInputs = { results: 0, duplicates: 0, junitFiles: [], gateRuns: [], gateCoverageResults: 0 };
  const copied = new Set<string>();
  const env = new Map<string, string>();
  const categories = new Map<string, unknown>();
  const observations = new Set<string>();
  const observationLines: string[] = [];
  let firstCoverage: string | undefined;
  for (const dir of [...new Set(dirs.map((d) => resolve(d)))]) {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        // Allure's history is restored by the report itself; other folders are not Allure's.
        if (entry === 'junit') out.junitFiles.push(...readdirSync(path).filter((f) => f.endsWith('.xml')).map((f) => join(path, f)));
        if (entry === GATE_IN_RESULTS && existsSync(join(path, 'runs.json'))) {
          out.gateRuns.push({ runs: join(path, 'runs.json'), ...(existsSync(join(path, 'coverage.json')) ? { coverage: join(path, 'coverage.json') } : {}) });
        }
        continue;
      }
      if (entry === 'environment.properties') {
        for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
          const m = /^\s*([^#=\s][^=]*?)\s*=(.*)$/.exec(line);
          if (m && !env.has(m[1])) env.set(m[1], m[2]);
        }
      } else if (entry === 'categories.json') {
        for (const c of JSON.parse(readFileSync(path, 'utf8')) as { name?: string }[]) if (!categories.has(String(c.name))) categories.set(String(c.name), c);
      } else if (entry === 'observations.jsonl') {
        observationLines.push(...newLines(readFileSync(path, 'utf8'), observations));
      } else if (entry === 'executor.json' || entry.endsWith('.xml')) {
        // executor.json: the report's own build writes its own. A top-level *.xml would be read
        // by Allure as JUnit results, doubling scenarios; ours go in junit/.
      } else if (copied.has(entry)) {
        if (entry.endsWith('-result.json')) out.duplicates++;
      } else if (entry.endsWith('-result.json') && (JSON.parse(readFileSync(path, 'utf8')) as { historyId?: string }).historyId === GATE_COVERAGE_HISTORY_ID) {
        out.gateCoverageResults++;
        firstCoverage ??= path;
      } else {
        copied.add(entry);
        copyFileSync(path, join(into, entry));
        if (entry.endsWith('-result.json')) out.results++;
      }
    }
  }
  // Without the gate's coverage files (results of an unsharded gate) nothing can be merged: the first stays.
  if (firstCoverage && !out.gateRuns.some((g) => g.coverage)) {
    copyFileSync(firstCoverage, join(into, firstCoverage.split(/[\\/]/).pop()!));
    out.results++;
    out.gateCoverageResults--;
  }
  if (env.size) writeFileSync(join(into, 'environment.properties'), [...env].map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  if (categories.size) writeFileSync(join(into, 'categories.json'), JSON.stringify([...categories.values()], null, 2));
  if (observationLines.length) writeFileSync(join(into, 'observations.jsonl'), observationLines.join('\n') + '\n');
  return out;
}

// App gating (`fch app test`): an app's scenarios under each documented reading. The findings that
// matter most come first, as on the console (support/cli/app-test.ts `findings`): scenarios green
// under the default reading and red under another, i.e. the app relies on one reading of the docs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GateRuns, type GateScenario } from './schemas';

export interface GateFinding {
  name: string;
  uri: string;
  failsUnder: string[];
  /** First line of the first failure under a non-default reading. */
  error?: string;
}

export interface GateRead {
  /** Relative names of what was found; empty when app gating never ran. */
  found: string[];
  runs: GateRuns;
  findings: GateFinding[];
  /** Scenario rows in first-seen order. */
  rows: { id: string; name: string; uri: string }[];
  summaryText?: string;
  problem?: string;
}

export const shortUri = (uri: string) => (uri.includes('app-features/builtin.feature') ? 'built-in' : uri.replace(/^(\.\.\/)+/, ''));

export function readAppGate(reportsDir: string): GateRead {
  const dir = join(reportsDir, 'app-gate');
  const runsFile = join(dir, 'runs.json');
  const summaryFile = join(dir, 'summary.txt');
  const found: string[] = [];
  const summaryText = existsSync(summaryFile) ? (found.push('app-gate/summary.txt'), readFileSync(summaryFile, 'utf8')) : undefined;
  if (!existsSync(runsFile)) return { found, runs: [], findings: [], rows: [], summaryText };
  found.unshift('app-gate/runs.json');
  let runs: GateRuns;
  try {
    runs = GateRuns.parse(JSON.parse(readFileSync(runsFile, 'utf8')));
  } catch (e) {
    return { found, runs: [], findings: [], rows: [], summaryText, problem: `app-gate/runs.json is not what fch app test writes: ${(e as Error).message.split('\n')[0]}` };
  }
  const rows: GateRead['rows'] = [];
  const seen = new Set<string>();
  for (const r of runs) for (const s of r.scenarios) if (!seen.has(s.id)) (seen.add(s.id), rows.push({ id: s.id, name: s.name, uri: s.uri }));
  const base = runs.find((r) => r.label === 'default');
  const findings: GateFinding[] = [];
  if (base) {
    for (const s of base.scenarios.filter((x) => x.status === 'passed')) {
      const red = runs.filter((r) => r !== base).map((r) => [r.label, r.scenarios.find((x) => x.id === s.id)] as const).filter(([, x]) => x?.status === 'failed');
      if (red.length) findings.push({ name: s.name, uri: s.uri, failsUnder: red.map(([l]) => l), error: (red[0][1] as GateScenario).error?.split('\n').find((l) => l.trim()) });
    }
  }
  return { found, runs, findings, rows, summaryText };
}

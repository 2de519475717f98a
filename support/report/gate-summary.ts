// What an app-gate run says at the end, on the console and in reports/app-gate/summary.txt (also
// for shards merged by `fch report`): why scenarios failed, the scenario × reading table, the
// findings only a non-default reading shows, crashes, the quiet grace, and coverage as an Allure
// result of its own. Formatting only: the runs come from app-gate/readings.ts or from runs.json.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraceSummary } from '../schemas/conversation';
import type { GateScenarioResult } from './cucumber-results';
import { failureReasons } from './failure-reasons';
import { formatCoverage, type CoverageData } from './gate-coverage';
import { describeGrace } from './grace-text';

/** One reading of one gate run. */
export interface VariantRun {
  label: string;
  exitCode: number;
  wallMs: number;
  scenarios: GateScenarioResult[];
  coverage: CoverageData;
  timing: { scenario: string; wallMs: number; appMs: number; quietWaits?: number }[];
  /** Scenarios during which the app under test died; each time the gate restarted it. */
  crashes: string[];
  /** The quiet grace the run ended with (support/app-gate/quiet.ts). */
  grace?: GraceSummary;
  output: string;
}

/** What the console ends with and summary.txt holds (also for shards merged by `fch report`). */
export function gateSummary(runs: readonly VariantRun[], coverage: CoverageData): string {
  return [`coverage (what the scenarios exercised):\n${formatCoverage(coverage)}`, failureReasons(runs, shortUri), summaryTable(runs), findings(runs), crashSummary(runs), graceLines(runs)].filter(Boolean).join('\n\n');
}


/** How long the gate listened for the app after its answers, per reading. */
export function graceLines(runs: readonly VariantRun[]): string {
  const lines = runs.filter((r) => r.grace).map((r) => `  ${r.label}: ${describeGrace(r.grace!)}`);
  return lines.length ? `the app was judged only when quiet:\n${lines.join('\n')}` : '';
}

/** Scenario × variant, one column per run (numbered, with a legend, so the table stays narrow). */
export function summaryTable(runs: readonly VariantRun[]): string {
  const ids: string[] = [];
  const names = new Map<string, string>();
  for (const r of runs) for (const s of r.scenarios) if (!names.has(s.id)) (ids.push(s.id), names.set(s.id, `${s.name} (${shortUri(s.uri)})`));
  const cell = (r: VariantRun, id: string) => {
    const s = r.scenarios.find((x) => x.id === id);
    return !s ? '·' : s.status === 'passed' ? '✓' : s.status === 'failed' ? '✗' : '-';
  };
  const labelWidth = Math.min(90, Math.max(...ids.map((id) => names.get(id)!.length), 8));
  const head = `${'scenario'.padEnd(labelWidth)}  ${runs.map((_r, i) => `v${i}`.padStart(4)).join('')}`;
  const rows = ids.map((id) => `${clip(names.get(id)!, labelWidth).padEnd(labelWidth)}  ${runs.map((r) => cell(r, id).padStart(4)).join('')}`);
  const legend = runs.map((r, i) => `  v${i} ${r.label}`);
  return ['scenario × variant (✓ passed, ✗ failed, - skipped):', head, ...rows, 'variants:', ...legend].join('\n');
}

/** The most valuable findings: scenarios green under the default reading and red under another. */
export function findings(runs: readonly VariantRun[]): string {
  const base = runs.find((r) => r.label === 'default');
  if (!base || runs.length < 2) return '';
  const lines: string[] = [];
  for (const s of base.scenarios) {
    const failedUnder = runs.filter((r) => r !== base && r.scenarios.find((x) => x.id === s.id)?.status === 'failed').map((r) => r.label);
    if (s.status === 'passed' && failedUnder.length) lines.push(`"${s.name}" (${shortUri(s.uri)}) fails only under ${failedUnder.join(', ')}`);
  }
  return lines.length ? `findings that only a non-default reading shows:\n  ${lines.join('\n  ')}` : '';
}

/** How often the app died; each crash failed its own scenario and the gate restarted the app. */
export function crashSummary(runs: readonly VariantRun[]): string {
  const crashed = runs.filter((r) => r.crashes.length > 0);
  if (crashed.length === 0) return '';
  const total = crashed.reduce((n, r) => n + r.crashes.length, 0);
  return [`the app under test crashed in ${total} scenario run(s) and was restarted each time:`, ...crashed.map((r) => `  ${r.label}: ${r.crashes.map((s) => `"${s}"`).join(', ')}`)].join('\n');
}

/** Coverage as an Allure result of its own, so the report shows it next to the scenarios. */
export function writeAllureCoverage(dir: string, text: string, coverage: CoverageData): void {
  mkdirSync(dir, { recursive: true });
  const source = `${randomUUID()}-attachment.txt`;
  const json = `${randomUUID()}-attachment.json`;
  writeFileSync(join(dir, source), text);
  writeFileSync(join(dir, json), JSON.stringify(coverage, null, 2));
  const now = Date.now();
  const result = {
    uuid: randomUUID(),
    historyId: 'app-gate-coverage',
    name: 'app gate coverage',
    fullName: 'app gate coverage',
    status: 'passed',
    stage: 'finished',
    start: now,
    stop: now,
    labels: [{ name: 'epic', value: 'App gate' }, { name: 'feature', value: 'coverage' }],
    parameters: [],
    steps: [],
    attachments: [
      { name: 'coverage', source, type: 'text/plain' },
      { name: 'coverage.json', source: json, type: 'application/json' },
    ],
  };
  writeFileSync(join(dir, `${result.uuid}-result.json`), JSON.stringify(result));
}

const shortUri = (uri: string) => (uri.includes('app-features/builtin.feature') ? 'built-in' : uri);
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

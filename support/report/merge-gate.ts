// The app gate's shards back into one gate: each shard's runs.json holds the readings it touched,
// each with only its block's scenarios, so a reading split over two shards is one run again here
// (scenarios in shard order, which is the unsharded order when the folders come in shard order).
// The merged runs.json, coverage.json and summary.txt go to reports/app-gate/, where the
// conformance page reads them, and one coverage result goes into the merged Allure results.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { emptyCoverage, formatCoverage, mergeCoverage, type CoverageData } from './gate-coverage';
import { gateSummary, writeAllureCoverage, type VariantRun } from './gate-summary';
import { allVariantSettings } from '../simulator/variants';
import { GraceSummary } from '../schemas/conversation';

const Counts = z.record(z.string(), z.number());
// reports/app-gate/runs.json as `fch app test` writes it (VariantRun without its console output).
const GateRunFile = z.array(
  z.object({
    label: z.string(),
    exitCode: z.number(),
    wallMs: z.number(),
    scenarios: z.array(z.object({ id: z.string(), uri: z.string(), feature: z.string(), name: z.string(), status: z.enum(['passed', 'failed', 'skipped']), durationMs: z.number(), error: z.string().optional() })),
    coverage: z.object({ received: Counts, answered: Counts, commands: Counts, rest: Counts, routes: Counts, behaviours: Counts }).partial(),
    timing: z.array(z.object({ scenario: z.string(), wallMs: z.number(), appMs: z.number(), quietWaits: z.number().optional() })).default([]),
    crashes: z.array(z.string()).default([]),
    grace: GraceSummary.optional(),
  }),
);
type GateRunRecord = z.infer<typeof GateRunFile>[number];

/** Readings in the order `--all-variants` runs them; labels it does not know keep their first-seen order after them. */
function readingRank(label: string): number {
  const i = ['default', ...allVariantSettings()].indexOf(label);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

/** One run per reading: scenarios once each by id, times and crashes added up, the worst exit code. */
export function mergeGateRuns(shards: readonly (readonly GateRunRecord[])[]): VariantRun[] {
  const byLabel = new Map<string, VariantRun & { seen: Set<string> }>();
  for (const shard of shards) {
    for (const r of shard) {
      const m = byLabel.get(r.label) ?? { label: r.label, exitCode: 0, wallMs: 0, scenarios: [], coverage: emptyCoverage(), timing: [], crashes: [], output: '', seen: new Set<string>() };
      byLabel.set(r.label, m);
      const fresh = r.scenarios.filter((s) => !m.seen.has(s.id));
      // The same shard read twice adds nothing, not even its time.
      if (fresh.length === 0 && r.scenarios.length > 0) continue;
      for (const s of fresh) (m.seen.add(s.id), m.scenarios.push(s));
      m.exitCode = Math.max(m.exitCode, r.exitCode);
      m.wallMs += r.wallMs;
      m.coverage = mergeCoverage([m.coverage, r.coverage as CoverageData]);
      m.timing.push(...r.timing);
      m.crashes.push(...r.crashes);
      // Shards of one reading measure the same app; the longest grace says the most.
      if (r.grace && (!m.grace || r.grace.graceMs > m.grace.graceMs)) m.grace = r.grace;
    }
  }
  const order = [...byLabel.keys()];
  return [...byLabel.values()]
    .sort((a, b) => readingRank(a.label) - readingRank(b.label) || order.indexOf(a.label) - order.indexOf(b.label))
    .map(({ seen: _s, ...run }) => run);
}

/** Merges the shards' runs.json files into `<reports>/app-gate/` and one coverage result in `resultsDir`; returns the merged runs. */
export function writeMergedGate(runFiles: readonly string[], reportsDir: string, resultsDir: string): VariantRun[] {
  const runs = mergeGateRuns(runFiles.map((f) => GateRunFile.parse(JSON.parse(readFileSync(f, 'utf8')))));
  const coverage = mergeCoverage(runs.map((r) => r.coverage));
  const work = join(reportsDir, 'app-gate');
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'runs.json'), JSON.stringify(runs.map(({ output: _o, ...r }) => r), null, 2));
  writeFileSync(join(work, 'coverage.json'), JSON.stringify(coverage, null, 2));
  writeFileSync(join(work, 'summary.txt'), `${gateSummary(runs, coverage)}\n`);
  writeAllureCoverage(resultsDir, formatCoverage(coverage), coverage);
  return runs;
}

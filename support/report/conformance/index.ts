// reports/conformance.html: one self-contained page per run that a person or an auditor reads in a
// minute: every catalog clause against every run (default, variants, faults, live), what live runs
// observed where the docs allow several readings, and the app gate's findings. Every input is
// optional; the page says what it did not find instead of failing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLAUSES } from '../../../features/clauses';
import { readAppGate } from './app-gate';
import { cellFor } from './cells';
import { readClaimProofs } from './claims';
import { scrub } from './html';
import { readObservations } from './observations';
import { renderPage } from './render';
import { findRunDirs, readRuns } from './runs';

export interface ConformancePageOptions {
  /** usually <repo>/reports */
  reportsDir: string;
  /** usually <repo>/reports/conformance.html */
  outFile: string;
  /** Link target of one scenario in the Allure report, by the result's historyId; undefined = no link. */
  linkFor?: (historyId: string) => string | undefined;
  now?: Date;
  /** Results folders to leave out: shards' folders that `fch report` merged into one under reports/. */
  exclude?: readonly string[];
}

/** The harness's own version: the nearest package.json above this file (the sources, or dist/ in an installed package). */
function harnessVersion(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
      return String(pkg.version ?? 'unknown');
    } catch {
      // not here: one level up
    }
  }
  return 'unknown';
}

export function writeConformancePage(opts: ConformancePageOptions): { clauses: number; columns: string[]; file: string } {
  const { reportsDir, outFile } = opts;
  const runDirs = findRunDirs(reportsDir, opts.exclude);
  const runs = readRuns(reportsDir, opts.exclude);
  const cells = CLAUSES.map((clause) => runs.columns.map((column) => cellFor(column, clause)));
  const observations = readObservations(reportsDir, runDirs);
  const gate = readAppGate(reportsDir);
  const notFound = [
    existsSync(reportsDir) ? '' : `the reports directory ${reportsDir}`,
    runs.columns.length ? '' : 'Allure results (*-result.json) in any run directory',
    runs.columns.some((c) => c.group === 'default') || !runs.columns.length ? '' : 'a mock run with the default readings',
    runs.columns.some((c) => c.mode === 'live') ? '' : 'a live run',
    gate.found.length ? '' : 'app gating results (app-gate/runs.json)',
  ].filter(Boolean);
  const html = renderPage({
    now: opts.now ?? new Date(),
    version: harnessVersion(),
    clauses: CLAUSES,
    columns: runs.columns,
    cells,
    observations,
    claims: readClaimProofs(reportsDir),
    gate,
    notFound,
    unreadable: runs.unreadable,
    appGateResults: runs.appGateResults,
    linkFor: opts.linkFor,
  });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, scrub(html));
  return { clauses: CLAUSES.length, columns: runs.columns.map((c) => c.label), file: outFile };
}

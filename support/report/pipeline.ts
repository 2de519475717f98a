// `npm run report` and `fch report`: from the last run's Allure results to
//   reports/allure-report/        the report folder (serve it over HTTP: its pages load data by XHR),
//   reports/allure-report.html    the same report in one file that opens from disk by double-click,
//   reports/allure-history/       the history for the next report's trends (keep it between CI runs),
//   reports/conformance.html      clause × run matrix, live observations, app gating (self-contained),
// plus executor.json in the results dir when running in CI. Exits 1 with one line when there are no
// results or no Java. Given results folders (one per shard), it first merges them into
// reports/allure-results-merged (support/report/merge-results.ts), their JUnit files into
// reports/junit.xml and the app gate's runs into reports/app-gate/, and reports on the merge.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { testCaseLinks } from './allure-links';
import { executorFromEnv } from './allure-executor';
import { restoreHistory, saveHistory } from './allure-history';
import { writeConformancePage } from './conformance';
import { junitCounts, mergeJunitSuites, parseJunit, writeJunit } from './junit-merge';
import { writeMergedGate } from './merge-gate';
import { liveVsMockLine, writeLiveVsMock } from './live-vs-mock';
import { mergeResultsDirs } from './merge-results';
import { resultsDirOf, startResults } from '../results-dir';

export const JAVA_INSTALL = 'apt-get install -y default-jre-headless';
// The Allure CLI of our own dependency, found the same way in the repository and in an installed package.
const ALLURE = join(dirname(require.resolve('allure-commandline/package.json')), 'dist', 'bin', 'allure');

/** A report could not be made; the message says why in one line. */
export class ReportError extends Error {}

function countResults(dir: string): number {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('-result.json')).length : 0;
}

/** The Allure CLI runs on Java; it finds it through JAVA_HOME or PATH, and so do we. */
function javaMissing(env: NodeJS.ProcessEnv): boolean {
  const java = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
  return spawnSync(java, ['-version'], { stdio: 'ignore' }).status !== 0;
}

function allure(args: string[]): void {
  // No usage statistics leave the machine (Allure 2.x asks for them otherwise).
  const r = spawnSync(ALLURE, ['generate', ...args], { encoding: 'utf8', env: { ...process.env, ALLURE_NO_ANALYTICS: 'true' } });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}`.trim().split('\n').slice(-5).join(' | ');
    throw new ReportError(`allure generate ${args.join(' ')} failed (exit ${r.status}): ${tail}`);
  }
}

function sizeOf(path: string): number {
  const s = statSync(path);
  return s.isDirectory() ? readdirSync(path).reduce((sum, f) => sum + sizeOf(join(path, f)), 0) : s.size;
}
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
/** Paths in messages: relative inside the project, absolute outside it. */
const rel = (p: string) => {
  const r = relative(process.cwd(), p);
  return r.startsWith('..') ? p : r || '.';
};

/** Writes everything under `<project>/reports`; returns the one-line summary. */
export function report(env: NodeJS.ProcessEnv = process.env, project: string = process.cwd(), warn: (text: string) => void = () => undefined, inputs: readonly string[] = []): string {
  const reports = join(project, 'reports');
  const reportDir = join(reports, 'allure-report');
  const singleFile = join(reports, 'allure-report.html');
  const historyDir = join(reports, 'allure-history');
  const conformancePage = join(reports, 'conformance.html');
  mkdirSync(reports, { recursive: true });
  const written: string[] = [];
  const folders = [...new Set(inputs.map((d) => resolve(project, d)))];
  for (const d of folders) if (countResults(d) === 0) throw new ReportError(`no Allure results in ${rel(d)}${existsSync(d) ? '' : ' (no such folder)'}`);
  if (javaMissing(env)) throw new ReportError(`java is missing (the Allure CLI needs Java 17 or later): install it with \`${JAVA_INSTALL}\``);
  const resultsDir = folders.length ? mergeShards(folders, reports, written) : resultsDirOf(env, project);
  if (countResults(resultsDir) === 0) throw new ReportError(`no Allure results in ${rel(resultsDir)}: run npm test first`);

  const executor = executorFromEnv(env);
  if (executor) {
    writeFileSync(join(resultsDir, 'executor.json'), JSON.stringify(executor, null, 2));
    written.push(rel(join(resultsDir, 'executor.json')));
  }
  // The app gate run live and in mock mode (merged here or kept in one folder): where the account and the simulator differ.
  const diff = writeLiveVsMock(resultsDir, reports);
  if (diff) written.push(`${rel(diff.file)} (${liveVsMockLine(diff.report)})`);
  const hadHistory = restoreHistory(historyDir, resultsDir);

  allure([resultsDir, '--clean', '-o', reportDir]);
  written.push(rel(reportDir));

  // --single-file (Allure 2.24+) embeds every data file in index.html, so the report opens from
  // disk without a server. It is generated into a temporary dir under reports/ (same filesystem,
  // so the move is a rename) because `-o` names a folder and --clean would empty it.
  const tmp = mkdtempSync(join(reports, '.single-file-'));
  try {
    allure([resultsDir, '--clean', '--single-file', '-o', tmp]);
    renameSync(join(tmp, 'index.html'), singleFile);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  written.push(rel(singleFile));

  if (saveHistory(reportDir, historyDir)) written.push(`${rel(historyDir)}${hadHistory ? '' : ' (new)'}`);

  // Test-case uids are random per generation (see support/report/allure-links.ts), so links into
  // the single file come from the single file itself.
  const links = testCaseLinks(singleFile, resultsDir);
  const cases = readdirSync(join(reportDir, 'data', 'test-cases')).length;

  // The conformance page sits next to the single file and links each scenario into it.
  const page = writeConformancePage({
    reportsDir: reports,
    outFile: conformancePage,
    // The shards' own folders, when they sit under reports/, are in the merged one already.
    exclude: folders,
    linkFor: (historyId) => (links.has(historyId) ? `allure-report.html#testresult/${links.get(historyId)}` : undefined),
  });
  written.push(`${rel(page.file)} (${page.clauses} clauses × ${page.columns.length} runs)`);
  // Not fatal: the reports are fine, only links into the single file would be missing.
  if (links.size !== cases) warn(`links into ${rel(singleFile)} found for ${links.size} of ${cases} test cases (has Allure changed how it keys history? see support/report/allure-links.ts)`);

  return `report: ${written.join(', ')}; ${cases} test cases; folder ${mb(sizeOf(reportDir))}, single file ${mb(sizeOf(singleFile))}`;
}

/** The shards' folders into reports/allure-results-merged, their JUnit into reports/junit.xml, the gate's runs into reports/app-gate/. */
function mergeShards(folders: string[], reports: string, written: string[]): string {
  const merged = join(reports, 'allure-results-merged');
  if (folders.includes(merged)) throw new ReportError(`${rel(merged)} is where the folders are merged; give the shards' own folders`);
  startResults(merged, { root: dirname(reports), env: {} });
  const m = mergeResultsDirs(folders, merged);
  written.push(`${rel(merged)} (${folders.length} folders, ${m.results} results${m.duplicates ? `, ${m.duplicates} duplicate(s) left out` : ''})`);
  if (m.gateRuns.length) {
    const runs = writeMergedGate(m.gateRuns.map((g) => g.runs), reports, merged);
    written.push(`${rel(join(reports, 'app-gate'))} (${runs.length} readings, ${runs.reduce((n, r) => n + r.scenarios.length, 0)} scenario runs)`);
  }
  if (m.junitFiles.length) {
    const { suites, duplicates } = mergeJunitSuites(m.junitFiles.map((f) => parseJunit(readFileSync(f, 'utf8'))));
    writeFileSync(join(reports, 'junit.xml'), writeJunit(suites));
    const c = junitCounts(suites);
    written.push(`${rel(join(reports, 'junit.xml'))} (${m.junitFiles.length} files, ${c.tests} tests, ${c.failures} failed${duplicates ? `, ${duplicates} duplicate(s) left out` : ''})`);
  }
  return merged;
}

export const REPORT_USAGE = `usage: fch report [RESULTS_DIR…]   (none: reports/allure-results or ALLURE_RESULTS_DIR; several: one folder per shard, merged)
       fch report --mock DIR --live DIR   (the app gate's mock and live results, merged and compared scenario by scenario)`;

/** The command's body: one line on stdout, or one line on stderr and exit 1 (2 for an unknown option). */
export function runReport(io: { stdout: { write(text: string): unknown }; stderr: { write(text: string): unknown } }, prefix = 'npm run report', args: readonly string[] = []): number {
  // --mock DIR and --live DIR are two more folders to merge: the comparison finds each run by its variant.
  const folders: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--mock' || a === '--live') {
      const dir = args[++i];
      if (!dir || dir.startsWith('-')) {
        io.stderr.write(`${prefix}: ${a} needs a results folder\n${REPORT_USAGE}\n`);
        return 2;
      }
      folders.push(dir);
    } else if (a.startsWith('-')) {
      io.stderr.write(`${prefix}: unknown option ${a}\n${REPORT_USAGE}\n`);
      return 2;
    } else folders.push(a);
  }
  try {
    io.stdout.write(`${report(process.env, process.cwd(), (text) => io.stderr.write(`${prefix}: warning: ${text}\n`), folders)}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof ReportError)) throw e;
    io.stderr.write(`${prefix}: ${e.message}\n`);
    return 1;
  }
}

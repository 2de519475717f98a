// Write reports/conformance.html from whatever reports/ holds (see support/report/conformance/).
//   node -r ts-node/register/transpile-only scripts/conformance.ts [--reports <dir>] [--out <file>] [--allure-report <dir>]
// --allure-report: link each cell to its scenario in a generated Allure report (relative to the page).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { writeConformancePage } from '../support/report/conformance';

function main(argv: string[]): number {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--(reports|out|allure-report)(?:=(.*))?$/.exec(a);
    if (!m) {
      process.stderr.write(`conformance: unknown argument ${a}\nusage: scripts/conformance.ts [--reports <dir>] [--out <file>] [--allure-report <dir>]\n`);
      return 2;
    }
    const value = m[2] ?? argv[++i];
    if (!value) {
      process.stderr.write(`conformance: --${m[1]} needs a value\n`);
      return 2;
    }
    args.set(m[1], value);
  }
  const reportsDir = resolve(args.get('reports') ?? 'reports');
  const outFile = resolve(args.get('out') ?? `${reportsDir}/conformance.html`);
  const allure = resolve(args.get('allure-report') ?? `${reportsDir}/allure-report`);
  const linkFor = allureLinks(allure, dirname(outFile));
  const { clauses, columns, file } = writeConformancePage({ reportsDir, outFile, linkFor });
  process.stdout.write(`conformance page: ${file} (${clauses} clauses × ${columns.length} columns)\n`);
  return 0;
}

/**
 * A generated Allure 2 report opens a test result by the uid it gave it (#testresult/<uid>), which
 * its data/test-cases/<uid>.json pairs with the result's historyId. No generated report (`npm run
 * report` not run): no links. The report shows reports/allure-results only, so other columns' cells
 * link to the same scenario's result there.
 */
function allureLinks(reportDir: string, pageDir: string): ((historyId: string) => string | undefined) | undefined {
  const cases = join(reportDir, 'data', 'test-cases');
  if (!existsSync(cases)) return undefined;
  const uidByHistory = new Map<string, string>();
  for (const file of readdirSync(cases).filter((f) => f.endsWith('.json'))) {
    try {
      const tc = JSON.parse(readFileSync(join(cases, file), 'utf8')) as { uid?: string; historyId?: string };
      if (tc.uid && tc.historyId) uidByHistory.set(tc.historyId, tc.uid);
    } catch {
      // not a test case: no link for it
    }
  }
  const base = relative(pageDir, reportDir).split('\\').join('/') || '.';
  return (historyId) => {
    const uid = uidByHistory.get(historyId);
    return uid ? `${base}/index.html#testresult/${uid}` : undefined;
  };
}

process.exitCode = main(process.argv.slice(2));

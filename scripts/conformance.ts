// Write reports/conformance.html from whatever reports/ holds (see support/report/conformance/).
//   node -r ts-node/register/transpile-only scripts/conformance.ts [--reports <dir>] [--out <file>] [--allure-report <dir>]
// --allure-report: link each cell to its scenario in a generated Allure report (relative to the page).
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
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
  // Allure 2 opens a test case by its uuid only; without a generated report there is nothing to link
  // to, so cells link only when the report exists (its search by historyId is the stable handle).
  const linkFor = existsSync(allure) ? (historyId: string) => `${relative(dirname(outFile), allure).split('\\').join('/')}/index.html#search=${encodeURIComponent(historyId)}` : undefined;
  const { clauses, columns, file } = writeConformancePage({ reportsDir, outFile, linkFor });
  process.stdout.write(`conformance page: ${file} (${clauses} clauses × ${columns.length} columns)\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));

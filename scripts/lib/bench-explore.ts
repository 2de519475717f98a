// `npm run bench`'s explorer rows (issue 23, item 7): sequences per second of `fch app explore` on
// each correct example (default reading, so that it compares with the gate's cost per scenario
// measured in the same bench run), and the wall time to the first finding of each seeded bug its
// bugs.json declares with `explore`. Run from the sources, as the gate rows are.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FindingsFile } from '../../support/schemas/explore';
import { freePort } from '../../support/free-port';
import { BugsFile } from './bug-proof';
import { ROOT } from './cucumber-run';
import { copyExample, EXAMPLES, exampleAppEnv, type Example } from './example-app';
import { runProcess } from './exec';

export interface ExploreBench {
  example: string;
  sequences: number;
  wallMs: number;
  perSecond: number;
  /** App processes started: sequences share one, and one that broke something runs again on a fresh app. */
  appStarts?: number;
}

export interface FirstFinding {
  example: string;
  bug: string;
  code: string;
  /** undefined: not found within the budget. */
  foundAfterMs?: number;
  /** The whole exploration, shrinking included (the bench runs it with --verify off). */
  wallMs?: number;
}

const BUDGET = ['--seed', '1', '--verify', 'off'];
const extra = (e: Example) => (e.name === 'conference-line' ? ['--check', 'caller-left-alone=off'] : []);

async function explore(dir: string, example: Example, args: string[], env: NodeJS.ProcessEnv = {}) {
  copyExample(dir, example);
  const port = await freePort();
  const started = performance.now();
  const { code, output } = await runProcess(process.execPath, [join(ROOT, 'bin', 'fch.js'), 'app', 'explore', ...extra(example), ...args], { ...process.env, ...exampleAppEnv(port, example), ...env }, dir);
  const file = join(dir, 'reports', 'app-explore', 'findings.json');
  const findings = existsSync(file) ? FindingsFile.parse(JSON.parse(readFileSync(file, 'utf8'))) : undefined;
  return { code, output, findings, wallMs: performance.now() - started };
}

export async function exploreBench(work: string): Promise<{ rates: ExploreBench[]; first: FirstFinding[]; failures: string[] }> {
  const rates: ExploreBench[] = [];
  const first: FirstFinding[] = [];
  const failures: string[] = [];
  for (const example of EXAMPLES) {
    const r = await explore(join(work, `explore-${example.name}`), example, ['--runs', '20', '--time', '120', ...BUDGET]);
    if (r.code !== 0 || !r.findings) failures.push(`explore ${example.name} (correct): exit ${r.code}: ${r.output.trim().split('\n').slice(-3).join(' | ')}`);
    // The exploration's own clock (findings.json), without the process's start.
    else rates.push({ example: example.name, sequences: r.findings.sequences, wallMs: r.findings.wallMs, perSecond: r.findings.sequences / (r.findings.wallMs / 1000), appStarts: r.findings.appStarts });
    const bugsFile = join(example.dir, 'bugs.json');
    if (!existsSync(bugsFile)) continue;
    for (const bug of BugsFile.parse(JSON.parse(readFileSync(bugsFile, 'utf8'))).bugs) {
      if (!bug.explore) continue;
      const b = await explore(join(work, `explore-${example.name}-${bug.name}`), example, ['--runs', '60', '--time', '60', '--exit-first', ...BUDGET], { APP_BUG: bug.name });
      const hit = b.findings?.findings.find((f) => f.code === bug.explore!.code);
      first.push({ example: example.name, bug: bug.name, code: bug.explore.code, foundAfterMs: hit?.foundAfterMs, wallMs: b.findings?.wallMs });
      if (!hit) failures.push(`explore ${example.name} APP_BUG=${bug.name}: not found as ${bug.explore.code}`);
    }
  }
  return { rates, first, failures };
}

/** The bench's rows for the explorer, against the gate's cost per scenario measured in the same run. */
export function exploreRows(explore: { rates: ExploreBench[]; first: FirstFinding[] }, gateMsPerScenario: number): [string, string][] {
  return [
    ...explore.rates.map((r): [string, string] => [
      `fch app explore on ${r.example}: sequences per second (default reading, ${r.sequences} sequences${r.appStarts === undefined ? '' : `, ${r.appStarts} app starts`})`,
      `${r.perSecond.toFixed(2)} /s (${(1000 / r.perSecond).toFixed(0)} ms each; a gate scenario of conference-line: ${gateMsPerScenario.toFixed(0)} ms)`,
    ]),
    ...explore.first.map((f): [string, string] => [
      `  time to the first finding: ${f.example} APP_BUG=${f.bug} (${f.code})`,
      f.foundAfterMs === undefined ? 'not found' : `${(f.foundAfterMs / 1000).toFixed(1)} s${f.wallMs === undefined ? '' : ` (the whole run, shrinking included, no gate check: ${(f.wallMs / 1000).toFixed(1)} s)`}`,
    ]),
  ];
}

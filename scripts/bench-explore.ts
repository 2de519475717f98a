// The explorer's part of `npm run bench` on its own (issue 23, item 7), for measuring it without the
// suite's and the gate's other rows: the gate's cost per scenario on conference-line (default
// reading, median of 3, the same measure as the full bench), then the explorer's rows against it.
// Run: node -r ts-node/register/transpile-only scripts/bench-explore.ts. Exits 1 if something failed to run.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gateBench } from './lib/bench-app-gate';
import { median } from './lib/bench-baseline';
import { exploreBench, exploreRows } from './lib/bench-explore';
import { ROOT } from './lib/cucumber-run';

const WORK = join(ROOT, 'reports', 'bench-explore');

async function main(): Promise<number> {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const gate = [];
  for (let i = 1; i <= 3; i++) gate.push(await gateBench(join(WORK, `gate-default-${i}`), []));
  const failures = gate.filter((g) => !g.ok).map((g) => `app gate did not pass: ${g.output.split('\n').slice(-5).join(' | ')}`);
  const gateMsPerScenario = median(gate.map((g) => g.wallMs)) / Math.max(1, gate[0]?.scenarios ?? 1);
  const explore = await exploreBench(WORK);
  failures.push(...explore.failures);
  for (const [what, value] of exploreRows(explore, gateMsPerScenario)) console.log(`${what}: ${value}`);
  for (const f of failures) console.error(`FAILED: ${f}`);
  return failures.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});

// The `imports` stage of `npm run check`: imports run downhill (issue 25, item 5). It reads the
// project's import graph with its own TypeScript compiler and fails on an upward import or an
// import cycle (rules and the allow-list in scripts/lib/import-rules.ts), one line each.
// Run alone it prints the same lines: node -r ts-node/register/transpile-only scripts/import-graph.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importGraph } from './lib/import-graph';
import { ALLOWED_CYCLE_EDGES, cycles, importProblems } from './lib/import-rules';
import type { StageResult } from './lib/stage';

const ROOT = join(__dirname, '..');

export async function importsStage(workDir: string): Promise<StageResult> {
  // check.ts starts its clock when this call returns its promise: the work must come after that.
  await new Promise((resolve) => setImmediate(resolve));
  const graph = importGraph(ROOT);
  const problems = importProblems(graph);
  const edges = [...graph.values()].reduce((n, targets) => n + targets.size, 0);
  writeFileSync(join(workDir, 'imports-check.txt'), `${problems.join('\n')}\n`);
  return {
    stage: 'imports',
    ok: problems.length === 0,
    detail: [`${graph.size} files, ${edges} imports between them; ${cycles(graph).length} cycle(s), ${ALLOWED_CYCLE_EDGES.length} allowed edge(s)`, ...problems],
  };
}

if (require.main === module) {
  const problems = importProblems(importGraph(ROOT));
  console.log(problems.length ? problems.join('\n') : 'imports run downhill');
  process.exit(problems.length ? 1 : 0);
}

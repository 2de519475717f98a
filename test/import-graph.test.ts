// The `imports` stage (scripts/import-graph.ts) must be able to fail: each rule is given a graph
// that breaks it and must name the offending import; the graph reader must see every import form.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { moduleNames, type ImportGraph } from '../scripts/lib/import-graph';
import { cycles, cycleProblems, importProblems, upwardImports } from '../scripts/lib/import-rules';

const graphOf = (edges: Record<string, string[]>): ImportGraph => {
  const graph: ImportGraph = new Map();
  for (const [from, to] of Object.entries(edges)) {
    graph.set(from, new Set(to));
    for (const t of to) if (!graph.has(t)) graph.set(t, new Set());
  }
  return graph;
};

describe('reading imports', () => {
  it('counts import type, re-exports, require, import() and typeof import()', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from './b';",
      "export { c } from './c';",
      "export * from './d';",
      "const e = require('./e');",
      "const f = () => import('./f');",
      "type G = typeof import('./g');",
      "import h = require('./h');",
    ].join('\n');
    const names = moduleNames(ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true));
    assert.deepEqual(names.sort(), ['./a', './b', './c', './d', './e', './f', './g', './h']);
  });
});

describe('the layer rules', () => {
  it('a bottom layer importing report/ is an upward import', () => {
    const problems = upwardImports(graphOf({ 'support/runner/in-process.ts': ['support/report/allure-writer.ts', 'support/runner/protocol.ts', 'support/shard.ts'] }));
    assert.deepEqual(problems, ['upward import: support/runner/in-process.ts -> support/report/allure-writer.ts (a bottom layer imports only bottom layers)']);
  });

  it('report/ importing cli/, the simulator core importing report/ and the World importing app-gate/ are upward imports', () => {
    const problems = upwardImports(graphOf({
      'support/report/merge-gate.ts': ['support/cli/app-test.ts'],
      'support/simulator/engine.ts': ['support/report/observations.ts'],
      'support/simulator/server-cli.ts': ['support/cli/main.ts'],
      'support/world.ts': ['support/app-gate/gated-scenario.ts'],
    }));
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0], /merge-gate\.ts -> support\/cli\/app-test\.ts \(report\/ imports nothing of cli\/\)/);
    assert.match(problems[1], /engine\.ts -> support\/report\/observations\.ts \(the simulator core/);
    assert.match(problems[2], /world\.ts -> support\/app-gate\/gated-scenario\.ts \(the suite core/);
  });

  it('only a command imports cli/: the live tools may not, fch live and fch mock may', () => {
    const problems = upwardImports(graphOf({
      'support/live/doctor.ts': ['support/cli/percl-validate.ts'],
      'support/app-gate/live/sweep.ts': ['support/cli/percl-validate.ts'],
      'support/live/cli.ts': ['support/cli/percl-validate.ts'],
      'support/simulator/server-cli.ts': ['support/cli/main.ts'],
    }));
    assert.deepEqual(problems, [
      'upward import: support/live/doctor.ts -> support/cli/percl-validate.ts (nothing below the commands imports cli/)',
      'upward import: support/app-gate/live/sweep.ts -> support/cli/percl-validate.ts (nothing below the commands imports cli/)',
    ]);
  });

  it('a downhill graph has no problem', () => {
    assert.deepEqual(importProblems(graphOf({ 'support/cli/app-test.ts': ['support/report/gate-summary.ts'], 'support/report/gate-summary.ts': ['support/schemas/common.ts'] }), undefined, []), []);
  });
});

describe('cycles', () => {
  it('two files importing each other, and a longer loop, are each one cycle', () => {
    const graph = graphOf({ 'a.ts': ['b.ts'], 'b.ts': ['a.ts'], 'c.ts': ['d.ts'], 'd.ts': ['e.ts'], 'e.ts': ['c.ts'], 'f.ts': ['a.ts'] });
    assert.deepEqual(cycles(graph), [['a.ts', 'b.ts'], ['c.ts', 'd.ts', 'e.ts']]);
    assert.deepEqual(cycleProblems(graph, []), [
      'import cycle through a.ts, b.ts: a.ts -> b.ts; b.ts -> a.ts',
      'import cycle through c.ts, d.ts, e.ts: c.ts -> d.ts; d.ts -> e.ts; e.ts -> c.ts',
    ]);
  });

  it('an allowed cycle passes, and an allowed edge no longer on a cycle fails', () => {
    const graph = graphOf({ 'a.ts': ['b.ts'], 'b.ts': ['a.ts'] });
    assert.deepEqual(cycleProblems(graph, ['a.ts -> b.ts', 'b.ts -> a.ts']), []);
    assert.deepEqual(cycleProblems(graphOf({ 'a.ts': ['b.ts'] }), ['a.ts -> b.ts']), [
      'allowed cycle edge a.ts -> b.ts is no longer on a cycle: remove it from ALLOWED_CYCLE_EDGES in scripts/lib/import-rules.ts',
    ]);
  });
});

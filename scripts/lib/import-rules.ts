// Which way imports may run (issue 25, item 5), judged on the graph of scripts/lib/import-graph.ts:
//  - the bottom layers (schemas, runner, shard, free-port, signature, and what the runner needs:
//    package-paths, results-dir, allure-writer) import nothing but each other: everything else
//    builds on them;
//  - the platform suite's core (world, harness, hooks, config, backend/, callbacks/, client/, app/)
//    imports nothing of app-gate/: the gate builds on the suite, not the other way;
//  - report/ imports nothing of cli/: a command uses the report, the report does not know commands;
//  - more widely, nothing outside cli/ imports cli/: the commands are the top layer;
//  - the simulator core imports nothing of app-gate/, live/, cli/ or report/;
//  - no import cycle: no two files import each other, directly or through others.
import type { ImportGraph } from './import-graph';

export interface LayerRule {
  /** What the rule says, as a problem line names it. */
  name: string;
  from: (file: string) => boolean;
  /** The targets `from` may not import. */
  forbidden: (target: string) => boolean;
}

const under = (...dirs: string[]) => (file: string) => dirs.some((d) => file.startsWith(`${d}/`));
const oneOf = (...files: string[]) => (file: string) => files.includes(file);
const either = (...tests: ((file: string) => boolean)[]) => (file: string) => tests.some((t) => t(file));

const BOTTOM = either(under('support/schemas', 'support/runner'), oneOf('support/shard.ts', 'support/free-port.ts', 'support/signature.ts', 'support/package-paths.ts', 'support/results-dir.ts', 'support/allure-writer.ts'));
// The commands: cli/, and the two that live beside what they drive (`fch mock`, `fch live`).
const COMMAND = either(under('support/cli'), oneOf('support/simulator/server-cli.ts', 'support/live/cli.ts'));
// The simulator's own code; its command-line adapter (`fch mock`) is a command, not the core.
const SIMULATOR_CORE = (file: string) => under('support/simulator')(file) && file !== 'support/simulator/server-cli.ts';

export const LAYER_RULES: LayerRule[] = [
  { name: 'a bottom layer imports only bottom layers', from: BOTTOM, forbidden: (t) => t.startsWith('support/') && !BOTTOM(t) },
  { name: 'the suite core imports nothing of app-gate/', from: either(oneOf('support/world.ts', 'support/harness.ts', 'support/hooks.ts', 'support/config.ts'), under('support/backend', 'support/callbacks', 'support/client', 'support/app')), forbidden: under('support/app-gate') },
  { name: 'report/ imports nothing of cli/', from: under('support/report'), forbidden: under('support/cli') },
  { name: 'nothing below the commands imports cli/', from: (f) => f.startsWith('support/') && !COMMAND(f) && !under('support/report')(f), forbidden: under('support/cli') },
  { name: 'the simulator core imports nothing of app-gate/, live/, cli/ or report/', from: SIMULATOR_CORE, forbidden: under('support/app-gate', 'support/live', 'support/cli', 'support/report') },
];

/**
 * Import edges that close a cycle and are let through, `from -> to`. None today: the simulator's
 * engine and its parts, and its REST router and the queue and message routes, imported each other
 * until the parts took the engine as engine-api.ts's interface and the routes their Route type from
 * rest-helpers.ts. An entry whose edge no longer lies on a cycle fails, so the list only shrinks.
 */
export const ALLOWED_CYCLE_EDGES: string[] = [];

/** Problems of a graph, one line each: upward imports, then cycles; empty when it runs downhill. */
export function importProblems(graph: ImportGraph, rules = LAYER_RULES, allowed = ALLOWED_CYCLE_EDGES): string[] {
  return [...upwardImports(graph, rules), ...cycleProblems(graph, allowed)];
}

export function upwardImports(graph: ImportGraph, rules = LAYER_RULES): string[] {
  const problems: string[] = [];
  for (const [from, targets] of graph) {
    for (const rule of rules) {
      if (!rule.from(from)) continue;
      for (const to of targets) if (rule.forbidden(to)) problems.push(`upward import: ${from} -> ${to} (${rule.name})`);
    }
  }
  return problems;
}

/** Each cycle as its strongly connected files, and the edges inside them not allowed (or allowed but gone). */
export function cycleProblems(graph: ImportGraph, allowed = ALLOWED_CYCLE_EDGES): string[] {
  const problems: string[] = [];
  const onCycle = new Set<string>();
  for (const component of cycles(graph)) {
    const inside = new Set(component);
    const edges = component.flatMap((from) => [...(graph.get(from) ?? [])].filter((to) => inside.has(to)).map((to) => `${from} -> ${to}`));
    edges.forEach((e) => onCycle.add(e));
    const refused = edges.filter((e) => !allowed.includes(e));
    if (refused.length) problems.push(`import cycle through ${component.join(', ')}: ${refused.join('; ')}`);
  }
  for (const edge of allowed) if (!onCycle.has(edge)) problems.push(`allowed cycle edge ${edge} is no longer on a cycle: remove it from ALLOWED_CYCLE_EDGES in scripts/lib/import-rules.ts`);
  return problems;
}

/** The graph's cycles: its strongly connected components of two or more files, or one that imports itself (Tarjan). */
export function cycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}

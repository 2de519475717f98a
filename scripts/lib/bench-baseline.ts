// The benchmark's baseline: cucumber-js running N empty scenarios with the suite's loader
// (ts-node/register/transpile-only), under its own config so cucumber.js's requires and paths stay
// out. What remains is cucumber's and the loader's fixed cost per run and per scenario.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the empty suite into `dir` and returns the path of its config, for `--config`. */
export function writeEmptySuite(dir: string, scenarios: number): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const feature = join(dir, 'empty.feature');
  const steps = join(dir, 'empty.steps.ts');
  const config = join(dir, 'cucumber.baseline.js');
  const body = Array.from({ length: scenarios }, (_, i) => `  Scenario: empty ${i + 1}\n    Given nothing\n`).join('\n');
  writeFileSync(feature, `Feature: ${scenarios} empty scenarios (benchmark baseline)\n\n${body}`);
  writeFileSync(steps, `import { Given } from '@cucumber/cucumber';\n\nGiven('nothing', () => undefined);\n`);
  const profile = { requireModule: ['ts-node/register/transpile-only'], require: [steps], paths: [feature], format: ['progress'] };
  writeFileSync(config, `module.exports = { default: ${JSON.stringify(profile, null, 2)} };\n`);
  return config;
}

interface JsonStep {
  result?: { duration?: number };
}
interface JsonElement {
  type: string;
  before?: JsonStep[];
  steps?: JsonStep[];
  after?: JsonStep[];
}

/** Per scenario, the sum of its steps' and hooks' durations (cucumber's JSON gives ns), in ms. */
export function scenarioDurationsMs(jsonFile: string): number[] {
  const features = JSON.parse(readFileSync(jsonFile, 'utf8')) as { elements?: JsonElement[] }[];
  return features.flatMap((f) =>
    (f.elements ?? [])
      .filter((e) => e.type === 'scenario')
      .map((e) => [...(e.before ?? []), ...(e.steps ?? []), ...(e.after ?? [])].reduce((ns, s) => ns + (s.result?.duration ?? 0), 0) / 1e6),
  );
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

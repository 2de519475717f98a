// The example app's gate for `npm run bench`: wall time under the default reading and under every
// reading, the ratio all-variants / (default × settings) (the per-reading cost should be the app's
// start and the scenarios, nothing else), and the harness's own time per scenario: a scenario's
// wall time minus the time the app took to answer its webhooks.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cucumber-run';
import { runProcess } from './exec';
import { CONFERENCE_LINE, copyExample, exampleAppEnv, type Example } from './example-app';
import { freePort } from '../../support/free-port';

export interface GateBench {
  wallMs: number;
  runs: number;
  scenarios: number;
  /** Per scenario: wall time minus the app's answer time. */
  harnessMsPerScenario: number[];
  /** Per scenario: its wall time, and how many times the gate listened for the app to be quiet. */
  scenarioMs: number[];
  quietWaits: number[];
  ok: boolean;
  output: string;
  /** The app's REST requests by how they reached the simulator (direct, preload, proxy). */
  routes: Record<string, number>;
}

/** `quiet: false` gates as before issue 21: no quiet probe, a grace of 1 ms (the bench's "before"). */
export async function gateBench(dir: string, args: string[], example: Example = CONFERENCE_LINE, opts: { quiet?: boolean; appEnv?: string } = {}): Promise<GateBench> {
  rmSync(dir, { recursive: true, force: true });
  copyExample(dir, example);
  const env: NodeJS.ProcessEnv = { ...process.env, ...exampleAppEnv(await freePort(), example) };
  // Variables for the app itself go in front of its command (the command sets some of its own).
  const prefix = [opts.quiet === false ? 'FCH_QUIET_ADDRESS=' : '', opts.appEnv ?? ''].filter(Boolean).join(' ');
  if (prefix) env.HARNESS_APP_COMMAND = `${prefix} ${env.HARNESS_APP_COMMAND}`;
  if (opts.quiet === false) Object.assign(env, { HARNESS_APP_GRACE_FLOOR_MS: '1', HARNESS_APP_GRACE_CEILING_MS: '1' });
  const started = performance.now();
  const { code, output } = await runProcess(process.execPath, [join(ROOT, 'bin', 'fch.js'), 'app', 'test', ...example.gateArgs, ...args], env, dir);
  const wallMs = performance.now() - started;
  const runs = JSON.parse(readFileSync(join(dir, 'reports', 'app-gate', 'runs.json'), 'utf8')) as { scenarios: unknown[]; timing: { wallMs: number; appMs: number; quietWaits?: number }[] }[];
  return {
    wallMs,
    runs: runs.length,
    scenarios: runs.reduce((n, r) => n + r.scenarios.length, 0),
    harnessMsPerScenario: runs.flatMap((r) => r.timing.map((t) => t.wallMs - t.appMs)),
    scenarioMs: runs.flatMap((r) => r.timing.map((t) => t.wallMs)),
    quietWaits: runs.flatMap((r) => r.timing.map((t) => t.quietWaits ?? 0)),
    ok: code === 0,
    output,
    routes: restRoutes(join(dir, 'reports', 'app-gate', 'coverage.json')),
  };
}

/** The app's REST requests by route, as the gate's coverage counted them (support/report/gate-coverage.ts). */
function restRoutes(file: string): Record<string, number> {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { routes?: Record<string, number> }).routes ?? {};
  } catch {
    return {};
  }
}

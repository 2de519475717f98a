// The example apps under test, as the app-gate check stage and the benchmark run them: each gate run
// in a fresh copy (its own reports/), on a free port. Each example says how the gate starts it,
// with the variables it reads mapped from the gate's, as a team would write HARNESS_APP_COMMAND.
import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cucumber-run';
import { runProcess } from './exec';

export interface Example {
  name: string;
  dir: string;
  /** What a copy needs; node_modules, when the example has dependencies, is linked rather than copied. */
  files: string[];
  /** The example has its own dependencies (npm ci before the first gate run). */
  npm: boolean;
  /** Arguments of `fch app test` after the subcommand. */
  gateArgs: string[];
  env(port: number): NodeJS.ProcessEnv;
  /** bugs.json with seeded bugs to prove caught. */
  bugs: boolean;
  /** Also gated from the packed tarball installed into a temporary project. */
  packaged: boolean;
  /**
   * REST_TIMING modes the correct app is also gated in, under every reading: its REST requests go
   * right after its answer, or from a timer, instead of before it; the verdicts must not change.
   */
  restTimings?: ('after-answer' | 'deferred')[];
}

export const JOIN_DIGITS = '1234#';

export const CONFERENCE_LINE: Example = {
  name: 'conference-line',
  dir: join(ROOT, 'examples', 'conference-line'),
  files: ['server.js', 'lib', 'features', 'package.json'],
  npm: false,
  gateArgs: ['features/'],
  env: (port) => ({ HARNESS_APP_COMMAND: 'node server.js', HARNESS_APP_URL: `http://127.0.0.1:${port}`, HARNESS_APP_JOIN_DIGITS: JOIN_DIGITS }),
  bugs: true,
  packaged: true,
};

// Written as the how-to guides write apps: the official SDK at its default URL (the gate routes it),
// its own variable names, an agent dialled in with OutDial, click-to-call from a web form.
export const AGENT_LINE: Example = {
  name: 'agent-line',
  dir: join(ROOT, 'examples', 'agent-line'),
  files: ['server.js', 'lib', 'features', 'package.json'],
  npm: true,
  gateArgs: ['features/', '--no-builtin'],
  env: (port) => ({
    HARNESS_APP_URL: `http://127.0.0.1:${port}`,
    HARNESS_APP_COMMAND:
      'ACCOUNT_ID=$FREECLIMB_ACCOUNT_ID API_KEY=$FREECLIMB_API_KEY SIGNING_SECRET=$FREECLIMB_SIGNING_SECRET HOST=$HARNESS_APP_URL APPLICATION_ID=$FREECLIMB_APPLICATION_ID AGENT_NUMBER=+15550107777 node server.js',
  }),
  bugs: true,
  packaged: true,
  restTimings: ['after-answer', 'deferred'],
};

// Another language: the gate starts any command.
export const PYTHON_LINE: Example = {
  name: 'python-line',
  dir: join(ROOT, 'examples', 'python-line'),
  files: ['app.py', 'features'],
  npm: false,
  gateArgs: ['features/'],
  env: (port) => ({ HARNESS_APP_COMMAND: 'python3 app.py', HARNESS_APP_URL: `http://127.0.0.1:${port}`, HARNESS_APP_JOIN_DIGITS: JOIN_DIGITS }),
  bugs: false,
  packaged: false,
};

export const EXAMPLES = [CONFERENCE_LINE, AGENT_LINE, PYTHON_LINE];

/** Kept for the benchmark, which gates the first example. */
export const EXAMPLE = CONFERENCE_LINE.dir;

export function copyExample(dir: string, example: Example = CONFERENCE_LINE): void {
  mkdirSync(dir, { recursive: true });
  for (const entry of example.files) cpSync(join(example.dir, entry), join(dir, entry), { recursive: true });
  const modules = join(example.dir, 'node_modules');
  if (example.npm && existsSync(modules) && !existsSync(join(dir, 'node_modules'))) symlinkSync(modules, join(dir, 'node_modules'), 'dir');
}

/** The gate's settings for the example app on `port` (Allure results stay in the copy). */
export function exampleAppEnv(port: number, example: Example = CONFERENCE_LINE): NodeJS.ProcessEnv {
  return { ...example.env(port), ALLURE_RESULTS_DIR: '' };
}

const installs = new Map<string, Promise<{ ok: boolean; output: string }>>();

/**
 * npm ci in an example with dependencies, once per check: a fresh clone has no node_modules, and
 * the stages that gate the examples run side by side in one process (app-live beside app-gate),
 * so they share one install instead of racing two into the same folder.
 */
export function installExample(example: Example): Promise<{ ok: boolean; output: string }> {
  if (!example.npm || existsSync(join(example.dir, 'node_modules'))) return installs.get(example.dir) ?? Promise.resolve({ ok: true, output: '' });
  let install = installs.get(example.dir);
  if (!install) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    install = runProcess(npm, ['ci', '--no-audit', '--no-fund', '--prefer-offline'], process.env, example.dir).then(({ code, output }) => ({ ok: code === 0, output }));
    installs.set(example.dir, install);
  }
  return install;
}

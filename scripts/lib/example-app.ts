// The example app under test (examples/conference-line), as the app-gate check stage and the
// benchmark run it: each gate run in a fresh copy (its own reports/), on a free port.
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cucumber-run';

export const EXAMPLE = join(ROOT, 'examples', 'conference-line');
export const JOIN_DIGITS = '1234#';

export function copyExample(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const entry of ['server.js', 'lib', 'features', 'package.json']) cpSync(join(EXAMPLE, entry), join(dir, entry), { recursive: true });
}

/** The gate's settings for the example app on `port` (Allure results stay in the copy). */
export function exampleAppEnv(port: number): NodeJS.ProcessEnv {
  return { HARNESS_APP_COMMAND: 'node server.js', HARNESS_APP_URL: `http://127.0.0.1:${port}`, HARNESS_APP_JOIN_DIGITS: JOIN_DIGITS, ALLURE_RESULTS_DIR: '' };
}

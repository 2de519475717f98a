// Where the harness's own files are, in the repository (TypeScript run by ts-node) and when
// installed in another project (compiled JavaScript under dist/, since ts-node ignores
// node_modules). The app gate loads its steps and hooks from here into the team's Cucumber run.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** True when this file runs compiled (installed package), false under ts-node (the repository). */
export const COMPILED = __filename.endsWith('.js');
export const PACKAGE_ROOT = packageRoot(__dirname);
/** The root of the code tree: the repository itself, or its compiled copy in dist/. */
export const CODE_ROOT = COMPILED ? join(PACKAGE_ROOT, 'dist') : PACKAGE_ROOT;
export const CODE_EXT = COMPILED ? 'js' : 'ts';
export const BUILTIN_FEATURE = join(PACKAGE_ROOT, 'app-features', 'builtin.feature');

/**
 * The support code an app-gate Cucumber run loads: the World, the app-gate hooks, the app-gating
 * steps, and the two platform step files whose phrases app gating shares ("hangs up", "30 seconds
 * pass"). The other platform steps drive the harness's scripted app and would only load the REST
 * client for nothing.
 */
export function supportFiles(): string[] {
  const code = (...parts: string[]) => join(CODE_ROOT, ...parts);
  return [
    code('support', `world.${CODE_EXT}`),
    code('support', 'app-gate', `hooks.${CODE_EXT}`),
    code('steps', 'app', `*.${CODE_EXT}`),
    code('steps', `participant.steps.${CODE_EXT}`),
    code('steps', `time.steps.${CODE_EXT}`),
  ];
}

/** How to start a Node process that runs `script` of this package (ts-node in the repository). */
export function nodeArgs(script: string): string[] {
  const file = join(CODE_ROOT, `${script}.${CODE_EXT}`);
  // Resolved here, not by the child: its working directory is the team's project, not ours.
  return COMPILED ? [file] : ['--require', require.resolve('ts-node/register/transpile-only'), file];
}

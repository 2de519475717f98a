// Compile once: the self-check's gate runs (stages app-gate and shards) start `fch` dozens of
// times, and each start under ts-node transpiles the CLI, then each of its Cucumber workers
// transpiles the steps and support code again. Measured here: a one-reading gate run of the
// example took 5.1 s from the TypeScript sources and 2.4 s from compiled JavaScript.
//
// So the check emits support/ and steps/ once, with the package's own build settings, into a
// folder laid out as the package is when installed (bin/, dist/, app-features/, package.json),
// and runs that `fch`. Type errors are not this build's concern (--noCheck): the typecheck stage
// reports them, and the emitted JavaScript is the same either way. The packed tarball is still
// built and installed for real by the app-gate stage; this copy only saves start-up time.
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cucumber-run';
import { runProcess } from './exec';

export interface CompiledFch {
  ok: boolean;
  /** The command that runs this package's compiled `fch` (node and the script). */
  command: string[];
  /** tsc's output when the build failed. */
  output: string;
  wallMs: number;
}

let building: Promise<CompiledFch> | undefined;

/** Builds the compiled copy under `workDir` the first time it is asked for; later calls share it. */
export function compiledFch(workDir: string): Promise<CompiledFch> {
  building ??= build(join(workDir, 'compiled'));
  return building;
}

async function build(dir: string): Promise<CompiledFch> {
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const { code, output } = await runProcess(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(dir, 'dist'), '--noCheck']);
  // What the installed package holds besides dist/ (package.json "files"), and its dependencies,
  // linked: requires from dist/ resolve to the repository's node_modules, so there is still
  // exactly one Cucumber.
  cpSync(join(ROOT, 'bin', 'fch.js'), join(dir, 'bin', 'fch.js'));
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  writeFileSync(join(dir, 'README.md'), 'The self-check\'s compiled copy of this package (scripts/lib/compiled.ts).\n');
  symlinkSync(join(ROOT, 'app-features'), join(dir, 'app-features'), 'dir');
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { ok: code === 0, command: [process.execPath, join(dir, 'bin', 'fch.js')], output, wallMs: Date.now() - started };
}

// The packed tarball, installed into a project outside the repository as a team installs it, once
// per check: the app-gate stage gates examples from it and the explore stage explores one. npm pack
// (which runs the build) and npm install take longer than either stage's use of them, so the first
// stage to ask does both and the other waits for the same promise. The project lives in the system's
// temporary folder (inside the repository, Node would find the repository's node_modules and prove
// nothing) and is removed when the check's process exits.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from './exec';

export interface PackedInstall {
  ok: boolean;
  /** What went wrong, in one line, when not ok. */
  problem?: string;
  /** The end of npm's output when a step failed. */
  output: string;
  tarball: string;
  /** The temporary project that installed it. */
  project: string;
  /** node_modules/.bin/fch of that project. */
  fchBin: string;
  /** How many @cucumber/cucumber the project holds: the team's features and the harness's steps need exactly one. */
  cucumbers: string[];
  wallMs: number;
}

let installing: Promise<PackedInstall> | undefined;

/** Packs into `packDir` and installs, the first time it is asked for; later calls share that install. */
export function packedInstall(packDir: string): Promise<PackedInstall> {
  installing ??= install(packDir);
  return installing;
}

async function install(packDir: string): Promise<PackedInstall> {
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  const project = mkdtempSync(join(tmpdir(), 'fch-packed-'));
  process.once('exit', () => rmSync(project, { recursive: true, force: true }));
  const result = (fields: Partial<PackedInstall>): PackedInstall => ({ ok: false, output: '', tarball: '', project, fchBin: join(project, 'node_modules', '.bin', 'fch'), cucumbers: [], wallMs: Date.now() - started, ...fields });
  const pack = await runProcess(npm, ['pack', '--pack-destination', packDir]);
  const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  if (pack.code !== 0 || !tarball) return result({ problem: 'npm pack failed', output: pack.output });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'gate-probe', version: '1.0.0', private: true }));
  const installed = await runProcess(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', join(packDir, tarball)], process.env, project);
  if (installed.code !== 0) return result({ tarball, problem: 'npm install of the tarball failed', output: installed.output });
  const ls = await runProcess(npm, ['ls', '@cucumber/cucumber', '--all', '--parseable'], process.env, project);
  const cucumbers = [...new Set(ls.output.split('\n').filter((l) => l.trim().endsWith(join('@cucumber', 'cucumber'))))];
  return result({ ok: true, tarball, cucumbers });
}

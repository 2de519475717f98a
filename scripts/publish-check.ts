// The `publish` stage of `npm run check`: `npm publish --dry-run` passes and the package holds only
// what a user needs (scripts/lib/package-files.ts). Nothing is published, and nothing leaves the
// machine: npm is pointed at a registry stand-in on 127.0.0.1 that knows no package, so the name
// reads as free and npm's own checks run without the network.
//
// It runs on a copy of the repository's files (those git tracks or would track), with the compiled
// dist/ the gate stages share (scripts/lib/compiled.ts: the same emit as `npm run build`), so a
// concurrent build in the checkout cannot change what it sees. The copy also gets what a working
// checkout has and the package must leave out: an example's node_modules, a results folder, a .env.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { compiledFch } from './lib/compiled';
import { ROOT } from './lib/cucumber-run';
import { packageFileProblems, packageSummary, parsePublishJson } from './lib/package-files';
import type { StageResult } from './lib/stage';

const stage = 'publish';
const DECOYS = ['examples/conference-line/node_modules/decoy/index.js', 'reports/allure-results/decoy-result.json', '.env'];

export async function publishStage(workDir: string): Promise<StageResult> {
  const compiled = await compiledFch(workDir);
  if (!compiled.ok) return { stage, ok: false, detail: ['the compiled copy of the package did not build:', tail(compiled.output)] };
  const copy = join(workDir, 'publish', 'package');
  rmSync(copy, { recursive: true, force: true });
  // Tracked files and new ones not ignored: what a clone would hold once they are committed.
  const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT);
  if (listed.code !== 0) return { stage, ok: false, detail: [`git ls-files failed in ${ROOT}: ${tail(listed.stderr)}`] };
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    // A tracked file deleted in the working tree (a move not yet committed) is not there to copy.
    if (!existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  cpSync(join(dirname(compiled.command[1]), '..', 'dist'), join(copy, 'dist'), { recursive: true });
  for (const decoy of DECOYS) {
    mkdirSync(dirname(join(copy, decoy)), { recursive: true });
    writeFileSync(join(copy, decoy), decoy === '.env' ? 'HARNESS_MODE=mock\n' : '{}\n');
  }

  const registry = await emptyRegistry();
  try {
    // --ignore-scripts: dist/ is in place already (prepack would build it again); the app-gate
    // stage's npm pack runs prepack for real.
    const args = ['publish', '--dry-run', '--json', '--ignore-scripts', '--registry', registry.url, '--no-update-notifier'];
    const published = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, copy);
    if (published.code !== 0) return { stage, ok: false, detail: [`npm publish --dry-run failed (exit ${published.code}):`, tail(published.stderr || published.stdout)] };
    const packed = parsePublishJson(published.stdout);
    const problems = packageFileProblems(packed.files.map((f) => f.path), (ts) => existsSync(join(ROOT, ts)));
    // npm rewrites a package.json field it finds malformed, and says so only as a warning.
    if (/auto-corrected/i.test(published.stderr)) problems.push(`package.json: npm corrected fields of it: ${tail(published.stderr)}`);
    if (!registry.asked.size) problems.push('npm did not look the name up in the registry stand-in: the dry run did not go through npm\'s publish path');
    return { stage, ok: problems.length === 0, detail: [packageSummary(packed), `left out: test/, examples/ (with a node_modules), reports/, .env, the TypeScript sources`, ...problems] };
  } catch (e) {
    return { stage, ok: false, detail: [(e as Error).message] };
  } finally {
    await registry.close();
  }
}

/** A registry on 127.0.0.1 that has no package: every name is free, nothing is stored. */
async function emptyRegistry(): Promise<{ url: string; asked: Set<string>; close: () => Promise<void> }> {
  const asked = new Set<string>();
  const server: Server = createServer((req, res) => {
    asked.add(`${req.method} ${req.url}`);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, asked, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

// npm's messages name registries and its own web pages; only loopback addresses are printed.
const tail = (text: string, n = 12) =>
  text.replace(/\bhttps?:\/\/(?!127\.0\.0\.1[:/])\S+/g, '<url>').trim().split('\n').slice(-n).join('\n     ');

if (require.main === module) {
  publishStage(join(ROOT, 'reports')).then((r) => {
    console.log(r.detail.join('\n'));
    process.exit(r.ok ? 0 : 1);
  });
}

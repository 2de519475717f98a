// One way to run a child process for the scripts: output captured (stdout and stderr interleaved),
// never throwing, so a stage can report a failing command instead of crashing.
import { spawn } from 'node:child_process';
import { ROOT } from './cucumber-run';

export function runProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd: string = ROOT): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e) => resolve({ code: 127, output: `${output}${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

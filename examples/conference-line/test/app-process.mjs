// Starts an app under test and waits for its "listening on http://127.0.0.1:<port>" line, so no
// test sleeps. An early exit or a silent app fails with the exit code and the last output lines.
import { spawn } from 'node:child_process';

const START_TIMEOUT_MS = 15000;

/**
 * @param {{ command: string, args: string[], cwd: string, env: Record<string,string> }} opts
 * @returns {Promise<{ url: string, output: string[], exited: Promise<{code:number|null, signal:string|null}>, stop: () => Promise<void> }>}
 */
export function startApp({ command, args, cwd, env }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  let exitInfo;
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    }),
  );

  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(deadline);
      child.kill('SIGKILL');
      reject(new Error(`${why}; last output:\n  ${output.slice(-10).join('\n  ')}`));
    };
    const deadline = setTimeout(() => fail(`the app printed no "listening on" line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const onLine = (stream) => (chunk) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        output.push(`${stream}: ${line}`);
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (m) {
          clearTimeout(deadline);
          resolve({
            url: m[1],
            output,
            exited,
            stop: async () => {
              if (!exitInfo) child.kill('SIGTERM');
              await exited;
            },
          });
        }
      }
    };
    child.stdout.on('data', onLine('out'));
    child.stderr.on('data', onLine('err'));
    child.on('error', (e) => fail(`cannot start ${command}: ${e.message}`));
    exited.then(({ code, signal }) => fail(`the app exited (code ${code}, signal ${signal}) before listening`));
  });
}

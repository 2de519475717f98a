// The app-under-test runner: every way a start can go wrong ends in a clear error, never a hang.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { AppProcess, AppProcessError } from '../support/app-gate/app-process';
import { freePort } from '../support/free-port';

const node = JSON.stringify(process.execPath);
// The line is printed before listen(): the port accepts connections as soon as listen() binds it,
// before the listen callback runs, so a line printed in the callback could still be unwritten when
// the test stops the app (this raced once in 50 runs). A pipe write is synchronous on Linux, so a
// line printed first is in the pipe before the port opens.
const listener = (extra = '') =>
  `${node} -e "console.log('listening on '+process.env.PORT);require('http').createServer((q,s)=>s.end('ok')).listen(Number(process.env.PORT),'127.0.0.1');${extra}"`;

test('ready as soon as the port accepts connections; output lines are kept', async () => {
  const port = await freePort();
  const app = await AppProcess.start({ command: listener(), url: `http://127.0.0.1:${port}`, env: { PORT: String(port) }, startTimeoutMs: 10_000 });
  try {
    assert.equal(app.alive, true);
  } finally {
    await app.stop();
  }
  assert.ok(app.lines.some((l) => l.text === `listening on ${port}`), JSON.stringify(app.lines));
  assert.equal(app.alive, false);
});

test('a command that exits early: its exit code and last output lines', async () => {
  const port = await freePort();
  const started = Date.now();
  await assert.rejects(
    AppProcess.start({ command: `${node} -e "console.error('cannot find module express');process.exit(3)"`, url: `http://127.0.0.1:${port}`, env: {}, startTimeoutMs: 20_000 }),
    (e: Error) => e instanceof AppProcessError && /exited before accepting connections/.test(e.message) && /exit code 3/.test(e.message) && /cannot find module express/.test(e.message),
  );
  assert.ok(Date.now() - started < 10_000, 'the exit stops the wait at once, not at the timeout');
});

test('a port that never opens: the URL and the timeout', async () => {
  const port = await freePort();
  await assert.rejects(
    AppProcess.start({ command: `${node} -e "setInterval(()=>{},1000)"`, url: `http://127.0.0.1:${port}`, env: {}, startTimeoutMs: 300 }),
    (e: Error) => e instanceof AppProcessError && e.message.includes(`http://127.0.0.1:${port}`) && /HARNESS_APP_START_TIMEOUT_MS=300/.test(e.message),
  );
});

test('dying mid-run is reported to the exit listeners with the last lines', async () => {
  const port = await freePort();
  const app = await AppProcess.start({
    // It dies on the first request it gets, which the test sends once it is up: a timer in the app
    // could fire before the harness saw the port open on a loaded machine (it did, once in 50 runs).
    command: `${node} -e "console.log('listening on '+process.env.PORT);require('http').createServer(()=>{console.error('TypeError: boom');process.exit(1)}).listen(Number(process.env.PORT),'127.0.0.1')"`,
    url: `http://127.0.0.1:${port}`,
    env: { PORT: String(port) },
    startTimeoutMs: 10_000,
  });
  const exited = new Promise((resolve) => app.onExit(resolve));
  http.get(`http://127.0.0.1:${port}/`).on('error', () => undefined);
  const exit = await exited;
  assert.deepEqual(exit, { code: 1, signal: null });
  assert.equal(app.stopping, false);
  assert.match(app.tail(), /TypeError: boom/);
});

test('an app expected to be running already: a clear error when nothing listens', async () => {
  const port = await freePort();
  await assert.rejects(AppProcess.expectRunning(`http://127.0.0.1:${port}`), /nothing accepts connections at HARNESS_APP_URL=.*HARNESS_APP_COMMAND is unset/);
});

test('secrets in the output are redacted before they are kept', async () => {
  const port = await freePort();
  await assert.rejects(
    AppProcess.start({ command: `${node} -e "console.log('key=' + process.env.K);process.exit(1)"`, url: `http://127.0.0.1:${port}`, env: { K: 'sekrit-value' }, startTimeoutMs: 5_000, redact: (t) => t.replace('sekrit-value', '[redacted]') }),
    (e: Error) => /key=\[redacted\]/.test(e.message) && !e.message.includes('sekrit-value'),
  );
});

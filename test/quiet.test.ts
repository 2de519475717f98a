// The quiet grace and the quiet probe (support/app-gate/quiet.ts, routing/quiet-preload.ts): a real
// Node process with the preload answers a request, then sends its own request from a timer, and
// the probe says "quiet" only after that request arrived.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GraceMeter, QuietProbe } from '../support/app-gate/quiet';
import { CEILING_ENV, QUIET_ENV } from '../support/app-gate/routing/names';
import { nodeOptionsWith, preloadFile } from '../support/app-gate/routing/preload-file';

test('the grace is twice the longest gap seen, within the floor and the ceiling; the floor defaults by probe', () => {
  const unprobed = new GraceMeter({ floorMs: undefined, ceilingMs: 1000 });
  assert.equal(unprobed.graceMs, 50);
  const probed = new GraceMeter({ floorMs: undefined, ceilingMs: 1000 }, () => true);
  assert.equal(probed.graceMs, 5);
  probed.sample(12.4);
  assert.equal(probed.graceMs, 25);
  probed.sample(5_000); // not about that answer: beyond the ceiling
  probed.sample(-1);
  assert.equal(probed.graceMs, 25);
  probed.sample(700);
  assert.equal(probed.graceMs, 1000);
  assert.deepEqual(probed.summary(1), { floorMs: 5, ceilingMs: 1000, graceMs: 1000, samples: 2, probed: 1, longestGapMs: 700 });
  assert.equal(new GraceMeter({ floorMs: 80, ceilingMs: 60 }).graceMs, 60, 'never above the ceiling');
});

// The app: answers at once, then does what its mode says.
const APP = `
const http = require('node:http');
const target = process.env.TARGET;
setInterval(() => {}, 20); // work of its own, started outside any request: never counted
const server = http.createServer((req, res) => {
  res.end('ok');
  if (req.url === '/defer') setTimeout(() => http.get(target + '/terminate', (r) => r.resume()), 60);
  if (req.url === '/promise') require('node:timers/promises').setTimeout(40).then(() => fetch(target + '/terminate'));
  if (req.url === '/long') setTimeout(() => http.get(target + '/late', (r) => r.resume()), 60_000).unref();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

async function startApp(probe: QuietProbe, target: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-e', APP], {
    env: { ...process.env, NODE_OPTIONS: nodeOptionsWith(preloadFile('quiet-preload'), ''), [QUIET_ENV]: probe.address, [CEILING_ENV]: '1000', TARGET: target },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  // The preload connects as the process starts; the first probe may come before it did.
  while (probe.connected === 0) await new Promise((r) => setImmediate(r));
  return { child, port: Number(line.toString().trim()) };
}

// How long a probe that must come back quiet may take. A quiet answer resolves the probe at once, so
// this costs nothing when the test passes; it is long because on a loaded machine the app's first
// fetch (loading undici) alone took over a second, and a 1 s deadline failed the test now and then.
const QUIET_DEADLINE_MS = 10_000;

async function get(port: number, path: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  await res.text();
}

test('the probe waits for a request the app sends from a timer after answering, and only for that', async () => {
  const arrivals: string[] = [];
  const simulator = http.createServer((req, res) => (arrivals.push(req.url ?? ''), res.end('{}')));
  await new Promise<void>((r) => simulator.listen(0, '127.0.0.1', r));
  const probe = await QuietProbe.open();
  const { child, port } = await startApp(probe, `http://127.0.0.1:${(simulator.address() as { port: number }).port}`);
  try {
    await get(port, '/defer');
    assert.deepEqual(arrivals, [], 'answered before the request was sent');
    assert.equal(await probe.probe(QUIET_DEADLINE_MS), true);
    assert.deepEqual(arrivals, ['/terminate'], 'quiet only once the deferred request arrived');

    await get(port, '/promise');
    assert.equal(await probe.probe(QUIET_DEADLINE_MS), true);
    assert.deepEqual(arrivals, ['/terminate', '/terminate'], 'timers/promises and fetch are followed too');

    // A timer beyond the ceiling is not "right after the answer"; the start-up interval never counts:
    // counted, either would keep the probe from saying quiet before its deadline (false).
    await get(port, '/long');
    assert.equal(await probe.probe(QUIET_DEADLINE_MS), true);
  } finally {
    child.kill();
    await probe.close();
    simulator.close();
  }
});

test('a probe nobody answers in time says so; a process that exits counts as quiet', async () => {
  const probe = await QuietProbe.open();
  assert.equal(await probe.probe(50), true, 'no process connected: nothing to wait for');
  const { child, port } = await startApp(probe, 'http://127.0.0.1:9');
  try {
    await get(port, '/long');
    assert.equal(await probe.probe(QUIET_DEADLINE_MS), true);
  } finally {
    child.kill();
  }
  await once(child, 'exit');
  while (probe.connected > 0) await new Promise((r) => setImmediate(r));
  assert.equal(await probe.probe(50), true);
  // A process that never answers (busy, or stuck) is given up on at the deadline.
  const mute = net.connect(Number(probe.address.split(':')[1]), '127.0.0.1');
  await once(mute, 'connect');
  while (probe.connected === 0) await new Promise((r) => setImmediate(r));
  assert.equal(await probe.probe(50), false);
  mute.destroy();
  await probe.close();
});

test('the preload repeats the names the gate gives it (it may import nothing of the harness)', () => {
  const source = readFileSync(join(__dirname, '..', 'support', 'app-gate', 'routing', 'quiet-preload.ts'), 'utf8');
  assert.match(source, new RegExp(`QUIET_ENV = '${QUIET_ENV}'`));
  assert.match(source, new RegExp(`CEILING_ENV = '${CEILING_ENV}'`));
  assert.doesNotMatch(source, /from '\.\.?\//, 'no import of the harness');
});

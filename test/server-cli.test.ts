// `fch mock` end to end: a real process, a real port, a real REST call with the printed
// credentials, and a signed webhook arriving at a local server.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { verifySignature } from '../support/signature';

const FCH = join(__dirname, '..', 'bin', 'fch.js');
const children = new Set<ChildProcess>();
const servers = new Set<http.Server>();

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

interface Mock {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
}

function startMock(args: string[]): Mock {
  const child = spawn(process.execPath, [FCH, 'mock', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exit };
}

/** The first stdout line, or a rejection with stderr if the process exits first. */
function firstLine(mock: Mock): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    mock.child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    void mock.exit.then((code) => reject(new Error(`fch mock exited (${code}) before printing: ${mock.stderr()}`)));
  });
}

interface Received {
  raw: Buffer;
  signature: string | undefined;
}

async function webhookSink(): Promise<{ url: string; received: Promise<Received> }> {
  let deliver!: (r: Received) => void;
  const received = new Promise<Received>((resolve) => (deliver = resolve));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(204).end();
      deliver({ raw: Buffer.concat(chunks), signature: req.headers['freeclimb-signature'] as string | undefined });
    });
  });
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/status`, received };
}

// Backstops against a hang, not time limits: each waits on an event (a line, an exit, a webhook).
// Starting `fch mock` loads ts-node and the simulator; on a loaded two-core machine that took over
// 20 s once in 50 runs of the unit tests, so the waits that include a start allow a minute.
const START_MS = 60_000;
const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms).unref())]);

test('fch mock serves the REST API with the printed credentials and sends signed webhooks', async () => {
  const mock = startMock(['--port', '0']);
  const banner = JSON.parse(await within(firstLine(mock), START_MS, 'the JSON line')) as Record<string, unknown>;
  assert.match(String(banner.apiBaseUrl), /^http:\/\/127\.0\.0\.1:\d+\/apiserver$/);
  assert.match(String(banner.accountId), /^AC/);
  assert.deepEqual(banner.numbers, ['+15550100001', '+15550100002']);
  assert.equal(banner.variants, 'default');
  assert.equal(banner.fault, null);

  const sink = await webhookSink();
  const auth = Buffer.from(`${banner.accountId}:${banner.apiKey}`).toString('base64');
  const res = await fetch(`${banner.apiBaseUrl}/Accounts/${banner.accountId}/Conferences`, {
    method: 'POST',
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: JSON.stringify({ statusCallbackUrl: sink.url }),
  });
  assert.equal(res.status, 200);
  const conference = (await res.json()) as { conferenceId: string };
  assert.match(conference.conferenceId, /^CF/);

  const webhook = await within(sink.received, 10_000, 'the creation webhook');
  const body = JSON.parse(webhook.raw.toString('utf8')) as { requestType: string; conferenceId: string };
  assert.equal(body.requestType, 'createConference');
  assert.equal(body.conferenceId, conference.conferenceId);
  const check = verifySignature(webhook.raw, webhook.signature, String(banner.signingSecret), { toleranceSec: 300, nowSec: Math.floor(Date.now() / 1000) });
  assert.ok(check.ok, check.ok ? '' : check.message);

  mock.child.kill('SIGINT');
  assert.equal(await within(mock.exit, 10_000, 'exit after SIGINT'), 0);
  assert.match(mock.stderr(), /POST \/apiserver\/Accounts\/AC\w+\/Conferences 200/);
  assert.match(mock.stderr(), /webhook #1 createConference → http:\/\/127\.0\.0\.1:\d+\/status 204/);
});

test('fch mock rejects an unknown variant axis with exit code 2, naming it', async () => {
  const mock = startMock(['--variant', 'nope=x']);
  assert.equal(await within(mock.exit, START_MS, 'exit'), 2);
  assert.match(mock.stderr(), /unknown variant axis "nope"/);
  assert.match(mock.stderr(), /creationCallback/); // lists what exists
});

test('fch mock rejects an account id live mode would refuse, with exit code 2', async () => {
  const mock = startMock(['--account-id', 'ACnothex']);
  assert.equal(await within(mock.exit, START_MS, 'exit'), 2);
  assert.match(mock.stderr(), /--account-id "ACnothex" must be AC followed by 40 hex digits/);
});

test('fch mock reports a port in use with exit code 1', async () => {
  const busy = http.createServer();
  servers.add(busy);
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as { port: number }).port;
  const mock = startMock(['--port', String(port)]);
  assert.equal(await within(mock.exit, START_MS, 'exit'), 1);
  assert.match(mock.stderr(), new RegExp(`port ${port} .*already in use`));
});

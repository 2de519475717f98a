// The routing of an app's requests to FreeClimb's default URL: real child processes (Node through
// the preload, Python through the HTTPS proxy) against a plain loopback server standing in for the
// simulator, so what arrives is exactly what the routes forward.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { after, before, test } from 'node:test';
import { startRouting, type Routing } from '../support/app-gate/routing';
import { ROUTE_HEADER } from '../support/app-gate/routing/names';
import { nodeOptionsWith } from '../support/app-gate/routing/preload-file';
import { conversationProblems } from '../support/app-gate/scenario-checks';
import { tempDir } from './helpers/temp-dir';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const API = 'https://www.freeclimb.com/apiserver/Accounts/AC1/Calls';
const AUTH = 'Basic QUMxOmtleQ==';

async function fakeSimulator(): Promise<{ base: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ callId: 'CA1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}/apiserver`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function run(file: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: stdout.trim(), stderr: stderr.trim() });
    });
  });
}

const node = (script: string, env: Record<string, string>) => run(process.execPath, ['-e', script], env);
const python = (script: string, env: Record<string, string>) => run('python3', ['-c', script], env);

const PY_POST = `
import sys, urllib.request
req = urllib.request.Request(sys.argv[1] if len(sys.argv) > 1 else ${JSON.stringify(API)}, data=b'{"to":"+15550100001"}', method='POST',
  headers={'Authorization': ${JSON.stringify(AUTH)}, 'Content-Type': 'application/json'})
with urllib.request.urlopen(req, timeout=20) as r: print(r.status, r.read().decode())
`;

let sim: Awaited<ReturnType<typeof fakeSimulator>>;
let routing: Routing;

before(async () => {
  sim = await fakeSimulator();
  routing = await startRouting({ simApiBaseUrl: sim.base, dir: tempDir('fch-routing'), enabled: true });
});

after(async () => {
  await routing.close();
  await sim.close();
});

/** The one request the sim saw with query t=`marker` (each test tags its own). */
function seenFor(marker: string): Seen {
  const found = sim.seen.filter((s) => new URLSearchParams(s.url.split('?')[1] ?? '').get('t') === marker);
  assert.equal(found.length, 1, `the simulator saw ${found.length} requests for ${marker}: ${JSON.stringify(sim.seen.map((s) => s.url))}`);
  return found[0]!;
}

test('https.request with its own agent, as the SDK sends it, reaches the simulator through the preload', async () => {
  const result = await node(
    `const https = require('https');
     const req = https.request(${JSON.stringify(`${API}?t=https`)}, { method: 'POST', agent: new https.Agent({ rejectUnauthorized: false }),
       headers: { Authorization: ${JSON.stringify(AUTH)}, 'Content-Type': 'application/json' } }, (res) => {
       let body = ''; res.on('data', (d) => (body += d)); res.on('end', () => console.log(res.statusCode, body));
     });
     req.end('{"to":"+15550100001"}');`,
    routing.env,
  );
  assert.equal(result.stdout, '201 {"callId":"CA1"}', result.stderr);
  assert.equal(result.stderr, '', 'the preload prints nothing when all goes well');
  const seen = seenFor('https');
  assert.equal(seen.method, 'POST');
  assert.equal(seen.url, '/apiserver/Accounts/AC1/Calls?t=https');
  assert.equal(seen.body, '{"to":"+15550100001"}');
  assert.equal(seen.headers.authorization, AUTH);
  assert.equal(seen.headers['content-type'], 'application/json');
  assert.equal(seen.headers[ROUTE_HEADER], 'preload');
});

test('http.get to the plain-http default URL is routed too', async () => {
  const result = await node(
    `require('http').get('http://www.freeclimb.com/apiserver/Accounts/AC1/Calls?t=http', { headers: { Authorization: ${JSON.stringify(AUTH)} } }, (res) => {
       res.resume(); res.on('end', () => console.log(res.statusCode));
     });`,
    routing.env,
  );
  assert.equal(result.stdout, '201', result.stderr);
  const seen = seenFor('http');
  assert.equal(seen.method, 'GET');
  assert.equal(seen.headers.authorization, AUTH);
  assert.equal(seen.headers[ROUTE_HEADER], 'preload');
});

test('global fetch (undici) is routed', async () => {
  const result = await node(
    `fetch(${JSON.stringify(`${API}?t=fetch`)}, { method: 'POST', headers: { Authorization: ${JSON.stringify(AUTH)}, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'To=%2B1555' })
       .then(async (r) => console.log(r.status, await r.text()));`,
    routing.env,
  );
  assert.equal(result.stdout, '201 {"callId":"CA1"}', result.stderr);
  const seen = seenFor('fetch');
  assert.equal(seen.body, 'To=%2B1555');
  assert.equal(seen.headers.authorization, AUTH);
  assert.equal(seen.headers[ROUTE_HEADER], 'preload');
});

test('another host is not routed: it fails with its own DNS error, and the simulator sees nothing', async () => {
  const before = sim.seen.length;
  const result = await node(
    `require('https').get('https://other.invalid/apiserver/Accounts/AC1/Calls', (res) => console.log('answered', res.statusCode))
       .on('error', (e) => console.log(e.code, e.hostname));`,
    routing.env,
  );
  assert.match(result.stdout, /^(ENOTFOUND|EAI_AGAIN) other\.invalid$/, result.stderr);
  assert.equal(sim.seen.length, before);
});

test('Python (urllib, stdlib) reaches the simulator through the HTTPS proxy, trusting the run CA', async () => {
  const result = await python(PY_POST.replace('Calls', 'Calls?t=python'), routing.env);
  assert.equal(result.stdout, '201 {"callId":"CA1"}', result.stderr);
  const seen = seenFor('python');
  assert.equal(seen.method, 'POST');
  assert.equal(seen.url, '/apiserver/Accounts/AC1/Calls?t=python');
  assert.equal(seen.body, '{"to":"+15550100001"}');
  assert.equal(seen.headers.authorization, AUTH);
  assert.equal(seen.headers[ROUTE_HEADER], 'proxy');
});

test('through the proxy, another host is passed on, not answered by the simulator', async () => {
  const before = sim.seen.length;
  const other = await run('python3', ['-c', PY_POST, 'https://other.invalid/apiserver/Accounts/AC1/Calls'], routing.env);
  assert.notEqual(other.code, 0, `other.invalid does not exist, so only a made-up answer could succeed: ${other.stdout}`);
  assert.equal(sim.seen.length, before);
  assert.deepEqual(routing.failures(), [], 'another host failing is not a routing failure');
});

test('a request that cannot be forwarded is a network error for the app and a failure for the harness', async () => {
  const gone = await fakeSimulator();
  await gone.close();
  const broken = await startRouting({ simApiBaseUrl: gone.base, dir: tempDir('fch-routing'), enabled: true });
  try {
    const viaPreload = await node(`fetch(${JSON.stringify(`${API}?t=gone`)}).then((r) => console.log('answered', r.status), (e) => console.log('failed'));`, broken.env);
    assert.equal(viaPreload.stdout, 'failed', viaPreload.stderr);
    const viaProxy = await python(PY_POST, broken.env);
    assert.notEqual(viaProxy.code, 0, viaProxy.stdout);
    const failures = broken.failures();
    assert.deepEqual(
      failures.map((f) => [f.route, f.url]),
      [
        ['preload', `${API}?t=gone`],
        ['proxy', API],
      ],
    );
    for (const f of failures) assert.match(f.error, /ECONNREFUSED/);
  } finally {
    await broken.close();
  }
});

test('a client that does not trust the run CA is a failure for the harness, not a silent miss', async () => {
  const before = routing.failures().length;
  const result = await python(PY_POST, { ...routing.env, SSL_CERT_FILE: join(tmpdir(), 'no-such-bundle.pem') });
  assert.notEqual(result.code, 0, result.stdout);
  const failures = routing.failures().slice(before);
  assert.equal(failures.length, 1, JSON.stringify(failures));
  assert.equal(failures[0]!.route, 'proxy');
  assert.match(failures[0]!.error, /TLS handshake/);
});

test('after a restart, both routes go to the new simulator', async () => {
  const second = await fakeSimulator();
  routing.retarget(second.base);
  try {
    const viaPreload = await node(`fetch(${JSON.stringify(`${API}?t=moved`)}).then((r) => console.log(r.status));`, routing.env);
    assert.equal(viaPreload.stdout, '201', viaPreload.stderr);
    const viaProxy = await python(PY_POST, routing.env);
    assert.equal(viaProxy.code, 0, viaProxy.stderr);
    assert.deepEqual(
      second.seen.map((s) => s.headers[ROUTE_HEADER]),
      ['preload', 'proxy'],
    );
  } finally {
    routing.retarget(sim.base);
    await second.close();
  }
});

test('disabled routing adds nothing to the environment and starts no server', async () => {
  const off = await startRouting({ simApiBaseUrl: 'http://127.0.0.1:9/apiserver', dir: tmpdir(), enabled: false });
  assert.deepEqual(off.env, {});
  assert.deepEqual(off.failures(), []);
  await off.close();
});

test('NODE_OPTIONS keeps what the app had, and a preload path with spaces survives', async () => {
  const dir = join(tempDir('fch-routing'), 'with space');
  mkdirSync(dir);
  const file = join(dir, 'preload.js');
  writeFileSync(file, 'globalThis.preloaded = true;');
  const options = nodeOptionsWith(file, '--max-old-space-size=200');
  assert.equal(options, `--max-old-space-size=200 --require "${file}"`);
  const result = await node('console.log(globalThis.preloaded === true)', { NODE_OPTIONS: options });
  assert.equal(result.stdout, 'true', result.stderr);
});

test('a routing failure is a problem of the scenario, with its URL and error', () => {
  const problems = conversationProblems([], undefined, [{ url: API, error: 'connect ECONNREFUSED 127.0.0.1:9' }]);
  assert.deepEqual(
    problems.map((p) => p.message),
    [`a request to FreeClimb's default URL failed: ${API}: connect ECONNREFUSED 127.0.0.1:9`],
  );
});

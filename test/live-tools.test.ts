// `fch live setup|doctor|sweep` against the simulator served over real HTTP, with the doctor's own
// receiver on a real port: the same wire path as against FreeClimb, minus the phone network.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { freePort } from '../support/free-port';
import { loadConfig, type HarnessConfig } from '../support/config';
import { FreeClimbClient } from '../support/client/freeclimb-client';
import { createSimulator, type Simulator } from '../support/simulator';
import { listen, type ServerHandle } from '../support/simulator/adapters/http-server';
import type { CliIo } from '../support/cli/percl-validate';
import { main } from '../support/cli/main';
import { HARNESS_APP_ALIAS, exactNumberPattern, runLiveSetup } from '../support/live/setup';
import { runLiveDoctor, SETUP_FIX } from '../support/live/doctor';
import { runLiveSweep } from '../support/live/sweep';
import { parseLiveArgs, runLiveCli } from '../support/live/cli';

const A = '+15550100001';
const B = '+15550100002';
const TIMEOUT_MS = 3000;
const FAST_RETRY = { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 };

let sim: Simulator;
let server: ServerHandle;
let port: number;
let publicUrl: string;
const clients: FreeClimbClient[] = [];
/** Answers 204 to the status callbacks of conferences the tests create themselves. */
let sink: http.Server;
let sinkUrl: string;

before(async () => {
  sim = createSimulator({ numbers: [A, B] });
  server = await listen(sim);
  port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  sink = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  sinkUrl = `http://127.0.0.1:${(sink.address() as net.AddressInfo).port}/status`;
});

after(async () => {
  for (const client of clients) await client.dispose();
  await server.close();
  sink.closeAllConnections();
  await new Promise((resolve) => sink.close(resolve));
});

function env(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { accountId, apiKey, signingSecret } = sim.credentials();
  return {
    HARNESS_MODE: 'live',
    FREECLIMB_ACCOUNT_ID: accountId,
    FREECLIMB_API_KEY: apiKey,
    FREECLIMB_SIGNING_SECRET: signingSecret,
    FREECLIMB_API_BASE_URL: server.apiBaseUrl,
    HARNESS_PUBLIC_URL: publicUrl,
    HARNESS_PORT: String(port),
    FREECLIMB_NUMBER_A: A,
    FREECLIMB_NUMBER_B: B,
    HARNESS_TIMEOUT_MS: String(TIMEOUT_MS),
    ...overrides,
  };
}

const config = (overrides: Record<string, string> = {}): HarnessConfig => loadConfig(env(overrides));

interface Captured {
  io: CliIo;
  out(): string;
  err(): string;
}

function capture(): Captured {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (chunk: string) => (out += chunk) },
      stderr: { write: (chunk: string) => (err += chunk) },
      stdin: (async function* () {})(),
      readFile: async () => '',
    },
    out: () => out,
    err: () => err,
  };
}

async function client(cfg: HarnessConfig): Promise<FreeClimbClient> {
  const c = await FreeClimbClient.create({ apiBaseUrl: cfg.apiBaseUrl, accountId: cfg.accountId, apiKey: cfg.apiKey, timeoutMs: cfg.requestTimeoutMs, retry: FAST_RETRY });
  clients.push(c);
  return c;
}

/** The row of `check` in the doctor's table: [status, text]. */
function row(output: string, check: string): [string, string] {
  const line = output.split('\n').find((l) => l.startsWith(`${check} `));
  assert.ok(line, `no row for ${check} in:\n${output}`);
  const m = /^\S+\s+(PASS|FAIL|SKIP)\s+(.*)$/.exec(line);
  assert.ok(m, `malformed row: ${line}`);
  return [m[1], m[2]];
}

function assertNoSecrets(text: string, ...secrets: string[]): void {
  const { accountId } = sim.credentials();
  for (const secret of secrets) {
    assert.ok(!text.includes(secret), `a secret leaked into:\n${text}`);
    assert.ok(!text.includes(Buffer.from(`${accountId}:${secret}`).toString('base64')), `encoded credentials leaked into:\n${text}`);
  }
}

const doctorConferences = () => sim.conferences.filter((c) => c.alias?.endsWith('-doctor'));
const numberB = () => [...sim.engine.state.numbers.values()].find((n) => n.phoneNumber === B)!;
const harnessApps = () => [...sim.engine.state.applications.values()].filter((a) => a.alias === HARNESS_APP_ALIAS);

describe('helpers', () => {
  test('the number filter is an anchored regex with + escaped', () => {
    assert.equal(exactNumberPattern('+15550100002'), '^\\+15550100002$');
    assert.ok(new RegExp(exactNumberPattern(B)).test(B));
    assert.ok(!new RegExp(exactNumberPattern(B)).test(`${B}9`));
  });

  test('sweep arguments', () => {
    assert.deepEqual(parseLiveArgs(['sweep']), { command: 'sweep', opts: { yes: false } });
    assert.deepEqual(parseLiveArgs(['sweep', '--yes', '--prefix', 'fch-x']), { command: 'sweep', opts: { yes: true, prefix: 'fch-x' } });
    assert.deepEqual(parseLiveArgs(['sweep', '--prefix=abc']), { command: 'sweep', opts: { yes: false, prefix: 'abc' } });
    assert.ok('error' in parseLiveArgs(['sweep', '--prefix']));
    assert.ok('error' in parseLiveArgs(['sweep', '--force']));
    assert.ok('error' in parseLiveArgs(['doctor', 'extra']));
    assert.ok('error' in parseLiveArgs(['bogus']));
  });
});

// The tests below share one simulated account and run in order: setup, then doctors, then sweep.
describe('live tools against the simulator', () => {
  test('doctor before setup: routing fails with the setup fix, the rest passes', async () => {
    const cfg = config();
    const out = capture();
    assert.equal(await runLiveDoctor(cfg, out.io), 1);
    assert.deepEqual(row(out.out(), 'credentials')[0], 'PASS');
    assert.deepEqual(row(out.out(), 'numbers')[0], 'PASS');
    const [status, text] = row(out.out(), 'routing');
    assert.equal(status, 'FAIL');
    assert.match(text, /not routed to any application/);
    assert.ok(text.includes(SETUP_FIX), text);
    assert.equal(row(out.out(), 'public-url')[0], 'PASS');
    assert.equal(row(out.out(), 'signing-secret')[0], 'PASS');
  });

  test('setup exits 1 without changing anything when number B is not on the account', async () => {
    const cfg = config({ FREECLIMB_NUMBER_B: '+15550199999' });
    const out = capture();
    assert.equal(await runLiveSetup(cfg, out.io), 1);
    assert.match(out.err(), /number B \+15550199999 \(FREECLIMB_NUMBER_B\) is not an incoming number on account/);
    assert.equal(out.out(), '');
    assert.equal(harnessApps().length, 0, 'no application was created');
  });

  test('setup creates the application and assigns number B, then is idempotent (no POST)', async () => {
    const cfg = config();
    const c = await client(cfg);

    const first = capture();
    assert.equal(await runLiveSetup(cfg, first.io, { client: c }), 0, first.err());
    const [app] = harnessApps();
    assert.ok(app, 'the application exists');
    assert.equal(harnessApps().length, 1);
    assert.equal(app.voiceUrl, `${publicUrl}/app/voice`);
    assert.equal(app.callConnectUrl, `${publicUrl}/app/connect`);
    assert.equal(app.statusCallbackUrl, `${publicUrl}/app/status`);
    assert.equal(numberB().applicationId, app.applicationId);
    assert.equal(first.out(), `application fch-harness ${app.applicationId}: created\nnumber ${B} ${numberB().phoneNumberId}: assigned\n`);

    // The filter sent for number B is the escaped, anchored regex.
    const lookup = c.exchanges.find((e) => e.method === 'GET' && e.url.includes('/IncomingPhoneNumbers'));
    assert.ok(lookup);
    assert.equal(new URL(lookup.url).searchParams.get('phoneNumber'), '^\\+15550100002$');

    const mark = c.mark();
    const second = capture();
    assert.equal(await runLiveSetup(cfg, second.io, { client: c }), 0, second.err());
    assert.equal(second.out(), `application fch-harness ${app.applicationId}: unchanged\nnumber ${B} ${numberB().phoneNumberId}: unchanged\n`);
    const posts = c.exchangesSince(mark).filter((e) => e.method !== 'GET');
    assert.deepEqual(posts, [], 'the second run changes nothing');
    assert.ok(c.exchangesSince(mark).length > 0, 'the second run did look');
  });

  test('setup updates only the differing URLs, and leaves a correctly routed number alone', async () => {
    const [app] = harnessApps();
    app.callConnectUrl = 'https://stale.example/app/connect';
    const cfg = config();
    const c = await client(cfg);
    const out = capture();
    assert.equal(await runLiveSetup(cfg, out.io, { client: c }), 0, out.err());
    assert.equal(out.out(), `application fch-harness ${app.applicationId}: updated (callConnectUrl)\nnumber ${B} ${numberB().phoneNumberId}: unchanged\n`);
    assert.equal(harnessApps()[0].callConnectUrl, `${publicUrl}/app/connect`);
    assert.equal(c.exchanges.filter((e) => e.method === 'POST').length, 1, 'one POST: the application update');
  });

  test('doctor passes every check after setup and cleans up its conference', async () => {
    const cfg = config();
    const out = capture();
    const code = await runLiveDoctor(cfg, out.io);
    assert.equal(code, 0, out.out() + out.err());
    for (const check of ['credentials', 'numbers', 'routing', 'public-url', 'signing-secret']) assert.equal(row(out.out(), check)[0], 'PASS', check);
    assert.match(out.out(), /doctor: all 5 checks passed/);
    const mine = doctorConferences().filter((c) => c.alias === `${cfg.runPrefix}-doctor`);
    assert.equal(mine.length, 1);
    assert.equal(mine[0].status, 'terminated');
    assert.equal(mine[0].statusCallbackUrl, `${publicUrl}/doctor/status`);
    assertNoSecrets(out.out() + out.err(), cfg.apiKey, cfg.signingSecret);
  });

  test('doctor with a wrong API key fails credentials fast, with the fix, and never prints the key', async () => {
    const wrongKey = 'wrong-api-key-5f1e2d3c4b5a69788796a5b4';
    const cfg = config({ FREECLIMB_API_KEY: wrongKey });
    const out = capture();
    const started = Date.now();
    assert.equal(await runLiveDoctor(cfg, out.io), 1);
    const elapsed = Date.now() - started;
    assert.ok(elapsed < TIMEOUT_MS, `took ${elapsed} ms`);
    const [status, text] = row(out.out(), 'credentials');
    assert.equal(status, 'FAIL');
    assert.match(text, /FREECLIMB_API_KEY or FREECLIMB_ACCOUNT_ID is wrong/);
    assert.deepEqual(row(out.out(), 'numbers'), ['SKIP', 'needs credentials to pass']);
    assert.equal(row(out.out(), 'routing')[0], 'SKIP');
    assert.equal(row(out.out(), 'public-url')[0], 'PASS', 'reachability does not need the API');
    assert.deepEqual(row(out.out(), 'signing-secret'), ['SKIP', 'needs credentials to pass']);
    assertNoSecrets(out.out() + out.err(), wrongKey, sim.credentials().apiKey, cfg.signingSecret);
  });

  test('doctor names the base URL when the API cannot be reached', async () => {
    const deadPort = await freePort();
    const cfg = config({ FREECLIMB_API_BASE_URL: `http://127.0.0.1:${deadPort}/apiserver` });
    const out = capture();
    assert.equal(await runLiveDoctor(cfg, out.io), 1);
    const [status, text] = row(out.out(), 'credentials');
    assert.equal(status, 'FAIL');
    assert.ok(text.includes(`cannot connect to the FreeClimb API at http://127.0.0.1:${deadPort}/apiserver`), text);
  });

  test('doctor with a wrong signing secret fails the signing-secret check and still terminates its conference', async () => {
    const wrongSecret = 'sigsec_0123456789abcdef0123456789abcdef01234567';
    const cfg = config({ FREECLIMB_SIGNING_SECRET: wrongSecret });
    const out = capture();
    assert.equal(await runLiveDoctor(cfg, out.io), 1);
    for (const check of ['credentials', 'numbers', 'routing', 'public-url']) assert.equal(row(out.out(), check)[0], 'PASS', check);
    const [status, text] = row(out.out(), 'signing-secret');
    assert.equal(status, 'FAIL');
    assert.ok(text.includes("FREECLIMB_SIGNING_SECRET does not match the account's signing secret"), text);
    const mine = doctorConferences().filter((c) => c.alias === `${cfg.runPrefix}-doctor`);
    assert.equal(mine.length, 1);
    assert.equal(mine[0].status, 'terminated');
    assertNoSecrets(out.out() + out.err(), wrongSecret, sim.credentials().signingSecret, cfg.apiKey);
  });

  test('doctor with HARNESS_PUBLIC_URL on an unused port fails public-url within the timeout', async () => {
    const unused = await freePort();
    const cfg = config({ HARNESS_PUBLIC_URL: `http://127.0.0.1:${unused}` });
    const before = sim.conferences.length;
    const out = capture();
    const started = Date.now();
    assert.equal(await runLiveDoctor(cfg, out.io), 1);
    assert.ok(Date.now() - started < TIMEOUT_MS + 1000, `took ${Date.now() - started} ms`);
    const [status, text] = row(out.out(), 'public-url');
    assert.equal(status, 'FAIL');
    assert.ok(text.includes(`http://127.0.0.1:${unused}/doctor/ping`), text);
    assert.match(text, /HARNESS_PUBLIC_URL/);
    assert.match(text, /HARNESS_PORT/);
    // setup pointed the application at the other URL, so routing says so too
    assert.equal(row(out.out(), 'routing')[0], 'FAIL');
    assert.deepEqual(row(out.out(), 'signing-secret'), ['SKIP', 'needs public-url to pass']);
    assert.equal(sim.conferences.length, before, 'no conference is created when callbacks cannot arrive');
  });

  test('doctor reports a busy HARNESS_PORT', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as net.AddressInfo).port;
    try {
      const out = capture();
      assert.equal(await runLiveDoctor(config({ HARNESS_PORT: String(busy) }), out.io), 1);
      const [status, text] = row(out.out(), 'public-url');
      assert.equal(status, 'FAIL');
      assert.match(text, new RegExp(`HARNESS_PORT ${busy} is in use`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  test('sweep lists prefixed conferences, terminates nothing without --yes, exactly those with --yes', async () => {
    const cfg = config();
    const c = await client(cfg);
    const one = await c.createConference({ alias: 'fch-test-one', statusCallbackUrl: sinkUrl });
    const two = await c.createConference({ alias: 'fch-test-two', statusCallbackUrl: sinkUrl });
    const other = await c.createConference({ alias: 'other-three', statusCallbackUrl: sinkUrl });
    const done = await c.createConference({ alias: 'fch-test-done', statusCallbackUrl: sinkUrl });
    await c.terminateConference(done.conferenceId);
    const statusOf = (id: string) => sim.conference(id)!.status;

    const mark = c.mark();
    const dry = capture();
    assert.equal(await runLiveSweep(cfg, dry.io, { yes: false, prefix: 'fch-test-', client: c }), 0, dry.err());
    assert.ok(dry.out().includes(one.conferenceId) && dry.out().includes(two.conferenceId), dry.out());
    assert.ok(!dry.out().includes(other.conferenceId) && !dry.out().includes(done.conferenceId), dry.out());
    assert.match(dry.out(), /fch-test-one {2}empty {2}\w{3}, /);
    assert.match(dry.out(), /dry run: pass --yes to terminate 2 conference\(s\)/);
    assert.deepEqual(c.exchangesSince(mark).filter((e) => e.method !== 'GET'), []);
    assert.deepEqual([one, two, other].map((x) => statusOf(x.conferenceId)), ['empty', 'empty', 'empty']);
    // every non-terminated status is queried
    const statuses = c.exchangesSince(mark).map((e) => new URL(e.url).searchParams.get('status'));
    assert.deepEqual(statuses.sort(), ['empty', 'inProgress', 'populated']);

    const wet = capture();
    assert.equal(await runLiveSweep(cfg, wet.io, { yes: true, prefix: 'fch-test-', client: c }), 0, wet.err());
    assert.ok(wet.out().includes(`${one.conferenceId} fch-test-one: terminated`), wet.out());
    assert.ok(wet.out().includes(`${two.conferenceId} fch-test-two: terminated`), wet.out());
    assert.deepEqual([one, two, other].map((x) => statusOf(x.conferenceId)), ['terminated', 'terminated', 'empty']);

    const again = capture();
    assert.equal(await runLiveSweep(cfg, again.io, { yes: true, prefix: 'fch-test-', client: c }), 0);
    assert.match(again.out(), /^no conferences with an alias starting with "fch-test-"/);
    assert.equal(statusOf(other.conferenceId), 'empty', 'never touched');
  });

  test('sweep refuses a prefix too short to be safe', async () => {
    const out = capture();
    assert.equal(await runLiveSweep(config(), out.io, { yes: true, prefix: 'f' }), 2);
    assert.match(out.err(), /too short/);
  });
});

describe('fch live', () => {
  test('a bad configuration lists every problem, hides secrets and exits 2', async () => {
    const secretLooking = 'sk_live_this-is-a-pasted-key 0123';
    const out = capture();
    const code = await runLiveCli(['sweep'], out.io, { FREECLIMB_API_KEY: secretLooking, HARNESS_MODE: 'mock' });
    assert.equal(code, 2);
    for (const v of ['FREECLIMB_ACCOUNT_ID', 'FREECLIMB_API_KEY', 'FREECLIMB_SIGNING_SECRET', 'HARNESS_PUBLIC_URL', 'FREECLIMB_NUMBER_A', 'FREECLIMB_NUMBER_B']) {
      assert.ok(out.err().includes(v), `${v} missing from:\n${out.err()}`);
    }
    assert.match(out.err(), /HARNESS_MODE=live/, 'live commands are always live');
    assert.ok(!out.err().includes(secretLooking));
  });

  test('runs a command with the configuration from the environment', async () => {
    const out = capture();
    assert.equal(await runLiveCli(['sweep', '--prefix', 'fch-none-'], out.io, env()), 0, out.err());
    assert.match(out.out(), /no conferences with an alias starting with "fch-none-"/);
  });

  test('usage errors exit 2; fch routes `live` and lists it in its usage', async () => {
    const out = capture();
    assert.equal(await runLiveCli(['bogus'], out.io), 2);
    assert.match(out.err(), /unknown live command "bogus"/);
    const help = capture();
    assert.equal(await main(['help'], help.io), 0);
    assert.match(help.out(), /live doctor\|setup\|sweep/);
    const viaMain = capture();
    assert.equal(await main(['live', 'help'], viaMain.io), 0);
    assert.match(viaMain.out(), /usage: fch live/);
  });
});

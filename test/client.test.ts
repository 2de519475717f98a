import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { inspect } from 'node:util';
import {
  ApiError,
  FreeClimbClient,
  RequestSchemaError,
  ResponseSchemaError,
  TransportError,
  errorBodyOf,
  isSafeToRepeat,
  type Exchange,
} from '../support/client/freeclimb-client';
import { backoffDelay, parseRetryAfter } from '../support/client/retry';
import { createSimulator, type Simulator } from '../support/simulator';
import { installNock } from '../support/simulator/adapters/nock';
import { listen } from '../support/simulator/adapters/http-server';

const FAST_RETRY = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };
const ACCOUNT = 'AC' + 'f'.repeat(40);
const KEY = 'local-test-api-key-0123456789';

// ---------------------------------------------------------------- helpers

interface Local {
  url: string;
  apiBaseUrl: string;
  close(): Promise<void>;
}

async function localServer(handler: http.RequestListener): Promise<Local> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    apiBaseUrl: `${url}/apiserver`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Receives the simulator's webhooks (status callbacks) and answers 204. */
let sink: Local;
before(async () => {
  sink = await localServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
});
after(async () => {
  await sink.close();
});

/** Neither a key nor the Basic credentials built from it appear in `haystack`. */
function assertNoCredentials(haystack: string, accountId: string, ...keys: string[]): void {
  for (const key of keys) {
    assert.ok(!haystack.includes(key), `found an API key in: ${haystack.slice(0, 300)}`);
    assert.ok(!haystack.includes(Buffer.from(`${accountId}:${key}`).toString('base64')), 'found the encoded credentials');
  }
}

function conferenceJson(id: string, status: string) {
  return {
    uri: `/Accounts/${ACCOUNT}/Conferences/${id}`,
    dateCreated: 'Mon, 15 Jun 2009 20:45:30 GMT',
    dateUpdated: 'Mon, 15 Jun 2009 20:45:30 GMT',
    revision: 1,
    conferenceId: id,
    accountId: ACCOUNT,
    alias: null,
    playBeep: 'always',
    record: false,
    status,
    waitUrl: null,
    actionUrl: null,
    statusCallbackUrl: null,
    subresourceUris: null,
  };
}

/** The lifecycle both backends must serve identically. */
async function conferenceLifecycle(client: FreeClimbClient, sim: Simulator): Promise<void> {
  const mark = client.mark();
  const created = await client.createConference({ alias: 'client-test', statusCallbackUrl: `${sink.url}/status` });
  assert.match(created.conferenceId, /^CF/);
  assert.equal(created.alias, 'client-test');

  const got = await client.getConference(created.conferenceId);
  assert.equal(got.conferenceId, created.conferenceId);
  assert.equal(got.accountId, sim.accountId);

  const listed = await client.listConferences({ alias: 'client-test' });
  assert.deepEqual(listed.map((c) => c.conferenceId), [created.conferenceId]);
  const byStatus = await client.listConferences({ status: got.status });
  assert.ok(byStatus.some((c) => c.conferenceId === created.conferenceId));

  await client.terminateConference(created.conferenceId);
  assert.equal((await client.getConference(created.conferenceId)).status, 'terminated');
  assert.equal(await client.listParticipants(created.conferenceId).then((p) => p.length), 0);

  // A 409 on a first attempt is an error: only a retry after a lost response may read it as success.
  const again = await client.terminateConference(created.conferenceId).then(
    () => assert.fail('terminating twice must fail'),
    (e: unknown) => e,
  );
  assert.ok(again instanceof ApiError);
  assert.equal(again.status, 409);
  assert.match(again.message, /^POST \S+\/Conferences\/CF\S+ → 409 \(expected 204\): \{"code"/);
  const body = errorBodyOf(again);
  assert.ok(body.ok, body.ok ? '' : body.problem);

  const mine = client.exchangesSince(mark);
  assert.deepEqual(mine.map((e) => [e.method, e.status]), [
    ['POST', mine[0].status],
    ['GET', 200],
    ['GET', 200],
    ['GET', 200],
    ['POST', 204],
    ['GET', 200],
    ['GET', 200],
    ['POST', 409],
  ]);
  assert.ok([200, 201, 202].includes(mine[0].status as number));
  const post = mine[0];
  assert.equal(post.url, `${client.apiBaseUrl}/Accounts/${sim.accountId}/Conferences`);
  assert.equal(post.requestHeaders.Authorization, 'Basic [redacted]');
  assert.equal(post.requestHeaders['Content-Type'], 'application/json');
  assert.equal(post.requestHeaders.Accept, 'application/json');
  assert.deepEqual(post.requestBody, { alias: 'client-test', statusCallbackUrl: `${sink.url}/status` });
  assert.equal((post.responseBody as { conferenceId: string }).conferenceId, created.conferenceId);
  assert.match(post.responseHeaders['content-type'], /application\/json/);
  assert.equal(post.attempt, 1);
  assert.ok(!Number.isNaN(Date.parse(post.startedAt)));
  assert.ok(post.durationMs >= 0);
  assert.equal(mine[1].requestHeaders['Content-Type'], undefined, 'no Content-Type without a body');
  assert.equal(mine[3].url, `${client.apiBaseUrl}/Accounts/${sim.accountId}/Conferences?status=${got.status}`);
  for (let i = 1; i < mine.length; i++) assert.ok(mine[i].seq > mine[i - 1].seq);
  assertNoCredentials(JSON.stringify(client.exchanges) + inspect(client, { depth: 4 }), sim.accountId, sim.credentials().apiKey);
}

// ---------------------------------------------------------------- against the simulator

describe('against the simulator through nock', () => {
  test('creates, reads, lists and terminates a conference', async () => {
    const sim = createSimulator();
    const uninstall = installNock(sim);
    const client = await FreeClimbClient.create({ apiBaseUrl: sim.apiBaseUrl, ...sim.credentials(), timeoutMs: 5000, retry: FAST_RETRY });
    try {
      assert.equal(client.apiBaseUrl, 'https://www.freeclimb.com/apiserver');
      await conferenceLifecycle(client, sim);
    } finally {
      await client.dispose();
      uninstall();
      sim.close();
    }
  });

  test('a wrong API key gives ApiError 401, and neither key appears in the error or the exchanges', async () => {
    const sim = createSimulator();
    const uninstall = installNock(sim);
    const { accountId, apiKey } = sim.credentials();
    const wrongKey = `${apiKey}-wrong`;
    const client = await FreeClimbClient.create({ apiBaseUrl: sim.apiBaseUrl, accountId, apiKey: wrongKey, timeoutMs: 5000, retry: FAST_RETRY });
    try {
      const err = await client.listConferences().then(
        () => assert.fail('must be refused'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ApiError, String(err));
      assert.equal(err.status, 401);
      assert.equal(err.method, 'GET');
      assert.match(err.message, /^GET https:\/\/www\.freeclimb\.com\/apiserver\/Accounts\/AC\w+\/Conferences → 401 \(expected 200\)/);
      assert.equal(client.exchanges.length, 1, '401 is not retried');
      assert.equal(client.exchanges[0].requestHeaders.Authorization, 'Basic [redacted]');
      const raw = await client.request('GET', '/Conferences');
      assert.equal(raw.status, 401, 'without expect, request() returns any status');
      const body = errorBodyOf(raw);
      assert.ok(body.ok && body.body.code === 50, JSON.stringify(body));
      assertNoCredentials(`${err.message}\n${err.stack}\n${inspect(err, { depth: 10 })}\n${JSON.stringify(client.exchanges)}\n${inspect(client, { depth: 4 })}`, accountId, wrongKey, apiKey);
    } finally {
      await client.dispose();
      uninstall();
      sim.close();
    }
  });

  test('a response that breaks the schema names the URL and the field by JSON pointer', async () => {
    const sim = createSimulator({ fault: 'create-returns-no-id' });
    const uninstall = installNock(sim);
    const client = await FreeClimbClient.create({ apiBaseUrl: sim.apiBaseUrl, ...sim.credentials(), timeoutMs: 5000 });
    try {
      const err = await client.createConference({ statusCallbackUrl: `${sink.url}/status` }).then(
        () => assert.fail('must fail schema validation'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ResponseSchemaError, String(err));
      assert.match(err.message, new RegExp(`^POST https://www\\.freeclimb\\.com/apiserver/Accounts/${sim.accountId}/Conferences returned a ConferenceResult that does not match the schema: /conferenceId: .*expected string`));
      assert.deepEqual(err.problems.map((p) => p.pointer), ['/conferenceId']);
      assert.equal(client.exchanges.length, 1);
    } finally {
      await client.dispose();
      uninstall();
      sim.close();
    }
  });

  test('follows nextPageUri and concatenates every page', async () => {
    const sim = createSimulator();
    const uninstall = installNock(sim);
    const client = await FreeClimbClient.create({ apiBaseUrl: sim.apiBaseUrl, ...sim.credentials(), timeoutMs: 5000 });
    try {
      for (let i = 0; i < 105; i++) sim.engine.createConference({ alias: `page-${i}`, statusCallbackUrl: `${sink.url}/status` });
      const mark = client.mark();
      const all = await client.listConferences();
      assert.equal(all.length, 105);
      assert.equal(new Set(all.map((c) => c.conferenceId)).size, 105);
      const pages = client.exchangesSince(mark);
      assert.equal(pages.length, 2);
      assert.match(pages[1].url, /^https:\/\/www\.freeclimb\.com\/apiserver\/Accounts\/AC\w+\/Conferences\?page=1$/);
    } finally {
      await client.dispose();
      uninstall();
      await sim.settle();
      sim.close();
    }
  });
});

test('against the simulator HTTP server: the same lifecycle over a real port', async () => {
  const sim = createSimulator();
  const server = await listen(sim);
  const client = await FreeClimbClient.create({ apiBaseUrl: server.apiBaseUrl, ...sim.credentials(), timeoutMs: 5000, retry: FAST_RETRY });
  try {
    assert.match(client.apiBaseUrl, /^http:\/\/127\.0\.0\.1:\d+\/apiserver$/);
    await conferenceLifecycle(client, sim);
  } finally {
    await client.dispose();
    await server.close();
  }
});

// ---------------------------------------------------------------- request validation

test('an invalid request body is refused before sending, naming the field by pointer', async () => {
  const client = await FreeClimbClient.create({ apiBaseUrl: 'http://127.0.0.1:9/apiserver', accountId: ACCOUNT, apiKey: KEY, timeoutMs: 1000 });
  try {
    await assert.rejects(client.createConference({ statusCallbackUrl: 'not a url' }), (e: unknown) => {
      assert.ok(e instanceof RequestSchemaError);
      assert.match(e.message, /^createConference: the request body is not a valid CreateConferenceRequest, nothing was sent: \/statusCallbackUrl: must be an absolute http\(s\) URL/);
      return true;
    });
    await assert.rejects(client.updateParticipant('CF1', 'CA1', { talk: 'no' as unknown as boolean }), /\/talk: /);
    assert.equal(client.exchanges.length, 0);
  } finally {
    await client.dispose();
  }
});

// ---------------------------------------------------------------- retries

describe('retries', () => {
  let server: Local;
  let hits: Record<string, number>;
  before(async () => {
    hits = {};
    server = await localServer((req, res) => {
      req.resume();
      const key = `${req.method} ${req.url}`;
      const n = (hits[key] = (hits[key] ?? 0) + 1);
      const path = (req.url ?? '').replace(`/apiserver/Accounts/${ACCOUNT}`, '');
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      if (req.method === 'GET' && path === '/Conferences/CFflaky') return n <= 2 ? json(503, { code: 0, call: 'Internal Failure' }) : json(200, conferenceJson('CFflaky', 'empty'));
      if (req.method === 'POST' && path === '/Conferences') return json(503, { code: 0, call: 'Internal Failure' });
      if (req.method === 'GET' && path === '/Conferences/CFbusy') return n === 1 ? json(429, { code: 9429, call: 'Too Many' }, { 'retry-after': '1' }) : json(200, conferenceJson('CFbusy', 'empty'));
      if (req.method === 'POST' && path === '/Conferences/CFlost') {
        // The first terminate is applied but its response is lost; the retry finds it terminated.
        if (n === 1) return req.socket.destroy();
        return json(409, { code: 9409, call: 'Conflict' });
      }
      if (req.method === 'GET' && path === '/Conferences/CFlost') return json(200, conferenceJson('CFlost', 'terminated'));
      if (req.method === 'POST' && path === '/Calls/CAlost') return n === 1 ? json(502, { code: 0, call: 'Bad Gateway' }) : json(404, { code: 9404, call: 'Not Found' });
      if (req.method === 'GET' && path === '/Calls/CAlost') return json(404, { code: 9404, call: 'Not Found' });
      json(404, { code: 9404, call: 'Not Found' });
    });
  });
  after(() => server.close());

  const client = () => FreeClimbClient.create({ apiBaseUrl: server.apiBaseUrl, accountId: ACCOUNT, apiKey: KEY, timeoutMs: 2000, retry: FAST_RETRY });

  test('a GET is retried on 503 and every attempt is recorded', async () => {
    const c = await client();
    try {
      const conf = await c.getConference('CFflaky');
      assert.equal(conf.conferenceId, 'CFflaky');
      assert.deepEqual(c.exchanges.map((e) => [e.attempt, e.status]), [[1, 503], [2, 503], [3, 200]]);
      assert.ok(c.exchanges[0].retryInMs! >= 0 && c.exchanges[0].retryInMs! <= 5);
      assert.ok(c.exchanges[1].retryInMs! >= 0 && c.exchanges[1].retryInMs! <= 10);
      assert.equal(c.exchanges[2].retryInMs, undefined);
    } finally {
      await c.dispose();
    }
  });

  test('POST /Conferences (a create) is never retried', async () => {
    const c = await client();
    try {
      await assert.rejects(c.createConference({ statusCallbackUrl: 'https://example.com/status' }), (e: unknown) => {
        assert.ok(e instanceof ApiError);
        assert.equal(e.status, 503);
        assert.match(e.message, /^POST http:\/\/127\.0\.0\.1:\d+\/apiserver\/Accounts\/AC\w+\/Conferences → 503 \(expected 200\/201\/202\): \{"code":0/);
        return true;
      });
      assert.equal(c.exchanges.length, 1);
      assert.equal(hits['POST /apiserver/Accounts/' + ACCOUNT + '/Conferences'], 1);
    } finally {
      await c.dispose();
    }
  });

  test('Retry-After is honoured, capped by maxDelayMs', async () => {
    const c = await client();
    try {
      await c.getConference('CFbusy');
      assert.deepEqual(c.exchanges.map((e) => e.status), [429, 200]);
      assert.equal(c.exchanges[0].retryInMs, FAST_RETRY.maxDelayMs, 'Retry-After: 1 (1000 ms) capped at 20 ms');
    } finally {
      await c.dispose();
    }
  });

  test('a terminate retried after a lost response that gets 409 succeeds once GET confirms terminated', async () => {
    const c = await client();
    try {
      await c.terminateConference('CFlost');
      const [first, second, confirm] = c.exchanges;
      assert.equal(first.status, undefined);
      assert.ok(first.error, 'the lost response is recorded as an error');
      assert.equal(second.status, 409);
      assert.equal(second.attempt, 2);
      assert.deepEqual(second.requestBody, { status: 'terminated' });
      assert.deepEqual([confirm.method, confirm.status], ['GET', 200]);
    } finally {
      await c.dispose();
    }
  });

  test('a hang-up retried after a 502 whose GET does not confirm the call ended fails with the 404', async () => {
    const c = await client();
    try {
      await assert.rejects(c.updateCall('CAlost', 'completed'), (e: unknown) => e instanceof ApiError && e.status === 404);
      assert.deepEqual(c.exchanges.map((e) => [e.method, e.status]), [['POST', 502], ['POST', 404], ['GET', 404]]);
    } finally {
      await c.dispose();
    }
  });
});

test('retry policy: which requests are safe to repeat, and the backoff', () => {
  assert.ok(isSafeToRepeat('GET', '/Conferences', undefined));
  assert.ok(isSafeToRepeat('DELETE', '/Conferences/CF1/Participants/CA1', undefined));
  assert.ok(isSafeToRepeat('POST', '/Conferences/CF1', { status: 'terminated' }));
  assert.ok(isSafeToRepeat('POST', '/Calls/CA1', { status: 'completed' }));
  assert.ok(isSafeToRepeat('POST', '/Calls/CA1', { status: 'canceled' }));
  assert.ok(!isSafeToRepeat('POST', '/Conferences', { statusCallbackUrl: 'https://x' }));
  assert.ok(!isSafeToRepeat('POST', '/Calls', { from: '+1', to: '+2' }));
  assert.ok(!isSafeToRepeat('POST', '/Applications', {}));
  assert.ok(!isSafeToRepeat('POST', '/Conferences/CF1', { alias: 'x' }));
  assert.ok(!isSafeToRepeat('POST', '/Conferences/CF1/Participants/CA1', { talk: false }));
  assert.ok(!isSafeToRepeat('POST', '/IncomingPhoneNumbers/PN1', { applicationId: null }));
  const retry = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(backoffDelay(1, retry, undefined, () => 0.999), 99);
  assert.equal(backoffDelay(3, retry, undefined, () => 0.5), 200);
  assert.equal(backoffDelay(10, retry, undefined, () => 0.999), 999, 'capped by maxDelayMs');
  assert.equal(backoffDelay(1, retry, '0', () => 0.9), 0, 'Retry-After: 0 is honoured');
  assert.equal(backoffDelay(1, retry, '30', () => 0.9), 1000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 5_000), 5_000);
});

// ---------------------------------------------------------------- timeouts and connection errors

test('a GET nobody answers fails within the timeout, naming the URL, without leaking the key', async () => {
  const server = await localServer(() => undefined); // never answers
  const c = await FreeClimbClient.create({ apiBaseUrl: server.apiBaseUrl, accountId: ACCOUNT, apiKey: KEY, timeoutMs: 300, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
  try {
    const started = Date.now();
    const err = await c.getConference('CFsilent').then(
      () => assert.fail('must time out'),
      (e: unknown) => e,
    );
    const elapsed = Date.now() - started;
    assert.ok(err instanceof TransportError, String(err));
    assert.equal(err.kind, 'timeout');
    assert.ok(elapsed < 1500, `took ${elapsed} ms`);
    assert.ok(err.message.includes(`${server.apiBaseUrl}/Accounts/${ACCOUNT}/Conferences/CFsilent`), err.message);
    assert.match(err.message, /no response within 300 ms \(timeout\) \(1 attempt\)/);
    const [ex] = c.exchanges as Exchange[];
    assert.equal(ex.status, undefined);
    assert.match(ex.error ?? '', /timeout/);
    assertNoCredentials(`${err.message}\n${err.stack}\n${inspect(err, { depth: 10 })}\n${JSON.stringify(c.exchanges)}`, ACCOUNT, KEY);
  } finally {
    await c.dispose();
    await server.close();
  }
});

test('a timed-out GET is retried; a refused connection on a create is not', async () => {
  const server = await localServer(() => undefined);
  const c = await FreeClimbClient.create({ apiBaseUrl: server.apiBaseUrl, accountId: ACCOUNT, apiKey: KEY, timeoutMs: 150, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
  const closed = await localServer(() => undefined);
  await closed.close();
  const refused = await FreeClimbClient.create({ apiBaseUrl: closed.apiBaseUrl, accountId: ACCOUNT, apiKey: KEY, timeoutMs: 1000, retry: FAST_RETRY });
  try {
    await assert.rejects(c.request('GET', '/Calls/CA1'), (e: unknown) => e instanceof TransportError && e.attempts === 2);
    assert.deepEqual(c.exchanges.map((e) => e.attempt), [1, 2]);

    await assert.rejects(refused.makeCall({ from: '+15550100001', to: '+15550100002', callConnectUrl: 'https://example.com/connect' }), (e: unknown) => {
      assert.ok(e instanceof TransportError);
      assert.equal(e.kind, 'connection');
      assert.match(e.message, /ECONNREFUSED/);
      assertNoCredentials(`${e.message}\n${inspect(e, { depth: 10 })}`, ACCOUNT, KEY);
      return true;
    });
    assert.equal(refused.exchanges.length, 1);
  } finally {
    await c.dispose();
    await refused.dispose();
    await server.close();
  }
});

test('errorBodyOf explains bodies that are not ErrorBody', () => {
  const res = (status: number, text: string) => ({ status, headers: {}, text, json: text ? (JSON.parse(text) as unknown) : undefined, url: 'http://x' });
  assert.deepEqual(errorBodyOf(res(404, '{"code":9404,"message":"Not Found"}')), { ok: true, body: { code: 9404, message: 'Not Found' } });
  const noName = errorBodyOf(res(500, '{"code":0}'));
  assert.ok(!noName.ok && /`call` \(SPEC\) or `message`/.test(noName.problem), JSON.stringify(noName));
  const wrongType = errorBodyOf(res(400, '{"code":"x","call":"Bad"}'));
  assert.ok(!wrongType.ok && wrongType.problem.includes('/code:'), JSON.stringify(wrongType));
  const empty = errorBodyOf(res(502, ''));
  assert.ok(!empty.ok && /no body/.test(empty.problem));
  assert.ok(!errorBodyOf(res(200, '{}')).ok);
  const html = errorBodyOf({ status: 503, headers: {}, text: '<html>down</html>', json: undefined, url: 'http://x' });
  assert.ok(!html.ok && /not JSON: <html>down/.test(html.problem));
});

test('create() rejects bad options without echoing the key', async () => {
  await assert.rejects(FreeClimbClient.create({ apiBaseUrl: 'ftp://x', accountId: ACCOUNT, apiKey: KEY, timeoutMs: 1 }), /must be http\(s\)/);
  await assert.rejects(FreeClimbClient.create({ apiBaseUrl: 'http://x', accountId: ACCOUNT, apiKey: '', timeoutMs: 1 }), /apiKey is empty/);
  await assert.rejects(FreeClimbClient.create({ apiBaseUrl: 'http://x', accountId: ACCOUNT, apiKey: KEY, timeoutMs: 0 }), (e: Error) => !e.message.includes(KEY));
});

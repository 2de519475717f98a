// Kept-alive connections closed by the other side while idle. A request written just as that
// happens was never read, so the REST client and the simulator's webhooks send it once more on a new
// connection; any other failure is reported, not repeated. Also the REST client's HTTP basics.
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import zlib from 'node:zlib';
import { test } from 'node:test';
import { HttpSender } from '../support/client/http-send';
import { post } from '../support/simulator/dispatcher';

interface Served {
  url: string;
  acted: string[];
  close(): Promise<void>;
}

/**
 * A server that acts on a request (records it, answers 201) unless `drop(n, socketRequests)` says
 * to destroy the connection instead: what a server does when its keep-alive timer fires just as a
 * request arrives.
 */
async function server(drop: (n: number, onThisSocket: number) => boolean): Promise<Served> {
  const acted: string[] = [];
  const perSocket = new WeakMap<net.Socket, number>();
  let n = 0;
  const s = http.createServer((req, res) => {
    n += 1;
    const onThisSocket = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, onThisSocket);
    if (drop(n, onThisSocket)) {
      req.socket.destroy();
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      acted.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(s.address() as net.AddressInfo).port}`,
    acted,
    close: () => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve()))),
  };
}

test('a POST that meets a reset on a reused connection is sent once more on a new one, and acted on once', async () => {
  const srv = await server((_n, onThisSocket) => onThisSocket === 2);
  const sender = new HttpSender();
  try {
    const first = await sender.send('POST', `${srv.url}/Calls`, { 'Content-Type': 'application/json' }, '{"to":"a"}', 2000);
    assert.equal(first.status, 201);
    const second = await sender.send('POST', `${srv.url}/Calls`, { 'Content-Type': 'application/json' }, '{"to":"b"}', 2000);
    assert.equal(second.status, 201);
    assert.deepEqual(second.headers['content-type'], 'application/json');
    assert.deepEqual(srv.acted, ['POST /Calls {"to":"a"}', 'POST /Calls {"to":"b"}']);
  } finally {
    sender.destroy();
    await srv.close();
  }
});

test('a webhook that meets a reset on a reused connection reaches the app on a new one; a reset on a new one is the app\'s failure', async () => {
  const srv = await server((_n, onThisSocket) => onThisSocket === 2);
  try {
    for (const to of ['a', 'b']) assert.deepEqual(await post(`${srv.url}/voice`, `{"to":"${to}"}`, { 'content-type': 'application/json' }, 2000), { ok: true, status: 201, text: '{"ok":true}' });
    assert.deepEqual(srv.acted, ['POST /voice {"to":"a"}', 'POST /voice {"to":"b"}']);
  } finally {
    await srv.close();
  }
  const rude = await server(() => true);
  try {
    const answer = await post(`${rude.url}/voice`, '{}', {}, 2000);
    assert.equal(answer.ok, false);
    assert.match(answer.ok ? '' : answer.error, /socket hang up|reset/);
  } finally {
    await rude.close();
  }
});

test('a reset on a new connection is reported with its code, not sent again', async () => {
  const srv = await server(() => true);
  const sender = new HttpSender();
  try {
    await assert.rejects(sender.send('POST', `${srv.url}/Calls`, {}, '{}', 2000), /socket hang up \(ECONNRESET\)/);
    assert.deepEqual(srv.acted, []);
  } finally {
    sender.destroy();
    await srv.close();
  }
});

/** A loopback server with `handler`, and a sender, for the length of `use`. */
async function withServer(handler: http.RequestListener, use: (base: string, sender: HttpSender) => Promise<void>): Promise<void> {
  const s = http.createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const sender = new HttpSender();
  try {
    await use(`http://127.0.0.1:${(s.address() as net.AddressInfo).port}`, sender);
  } finally {
    sender.destroy();
    s.closeAllConnections();
    s.close();
  }
}

test('a server that never answers is a TimeoutError naming the limit', () =>
  withServer(
    () => undefined,
    async (base, sender) => {
      await assert.rejects(sender.send('GET', `${base}/x`, {}, undefined, 200), (e: Error) => e.name === 'TimeoutError' && /200ms/.test(e.message));
    },
  ));

test('a compressed body is read as text; a redirect is returned, not followed', () =>
  withServer(
    (req, res) => {
      if (req.url === '/moved') return void res.writeHead(302, { Location: '/elsewhere' }).end();
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' }).end(zlib.gzipSync('{"status":"empty"}'));
    },
    async (base, sender) => {
      assert.equal((await sender.send('GET', `${base}/c`, {}, undefined, 2000)).text, '{"status":"empty"}');
      const moved = await sender.send('GET', `${base}/moved`, {}, undefined, 2000);
      assert.equal(moved.status, 302);
      assert.equal(moved.headers.location, '/elsewhere');
    },
  ));

test('a compressed answer cut off mid-body fails the request instead of leaving it waiting', () =>
  withServer(
    (_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': '1000' });
      res.write(zlib.gzipSync('{"status":"empty"}').subarray(0, 8), () => res.socket?.destroy());
    },
    async (base, sender) => {
      await assert.rejects(sender.send('GET', `${base}/c`, {}, undefined, 5000), (e: Error) => e.name !== 'TimeoutError');
    },
  ));

test('an answer that starts and then stalls is a TimeoutError at the limit', () =>
  withServer(
    (_req, res) => {
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write('{"sta');
    },
    async (base, sender) => {
      await assert.rejects(sender.send('GET', `${base}/c`, {}, undefined, 300), (e: Error) => e.name === 'TimeoutError');
    },
  ));

// The front of a parallel live app gate: which worker gets which request FreeClimb sends the one
// public URL, the dial lock that ties an inbound call to the worker whose caller it is, the people
// numbers a scenario holds, the shared call cap; then the same over HTTP with two stand-in workers.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppRouteTable } from '../support/app-gate/live/parallel/app-routes';
import { startAppFront, type AppFront } from '../support/app-gate/live/parallel/app-front';
import { AppFrontLink } from '../support/app-gate/live/parallel/app-link';
import { FrontRefusal } from '../support/live/parallel/link';

const A = '+15550100001';
const APP = '+15550100003';
const AGENT = '+15550107777';
const OTHER = '+15550108888';
const OPTS = { maxCalls: 3, appNumber: APP, callerNumber: A, personPath: '/_fch/person' };
const call = (c: string) => 'CA' + c.repeat(40);

function table(maxCalls = 3): AppRouteTable {
  const t = new AppRouteTable({ ...OPTS, maxCalls });
  t.addWorker('1', 'http://127.0.0.1:1');
  t.addWorker('2', 'http://127.0.0.1:2');
  return t;
}

describe('AppRouteTable: which worker gets which request', () => {
  it('routes a worker URL by its /w/<worker> prefix, stripped, and learns the calls and conferences it names', () => {
    const t = table();
    assert.deepEqual(t.decide('/w/2/conference/joined', { callId: call('a'), conferenceId: 'CF1' }), { kind: 'worker', worker: '2', path: '/conference/joined' });
    // The application's shared statusCallbackUrl carries no worker: the call's owner decides.
    assert.deepEqual(t.decide('/status', { callId: call('a') }), { kind: 'worker', worker: '2', path: '/status' });
    assert.deepEqual(t.decide('/status', { conferenceId: 'CF1' }), { kind: 'worker', worker: '2', path: '/status' });
    assert.equal(t.decide('/w/9/x', {}).kind, 'none');
    assert.equal(t.decide('/status', { callId: call('z') }).kind, 'none');
  });

  it('gives a caller\'s inbound call to the worker holding the dial lock, then lets the next worker dial', async () => {
    const t = table();
    const first = await t.dial('1', 1000);
    assert.equal(first.ok, true);
    let secondGranted = false;
    const second = t.dial('2', 1000).then((g) => ((secondGranted = true), g));
    await Promise.resolve();
    assert.equal(secondGranted, false, 'a second caller waits while the first is on its way');
    assert.deepEqual(t.decide('/voice', { requestType: 'inboundCall', callId: call('b'), from: A, to: APP }), { kind: 'worker', worker: '1', path: '/voice' });
    assert.equal((await second).ok, true);
    assert.deepEqual(t.decide('/voice', { requestType: 'inboundCall', callId: call('c'), from: A, to: APP }), { kind: 'worker', worker: '2', path: '/voice' });
    // Each inbound leg stays with its worker.
    assert.deepEqual(t.decide('/status', { callId: call('b') }), { kind: 'worker', worker: '1', path: '/status' });
    // Nobody is dialling now: a call to the app's number is nobody's, and so is one from another number.
    assert.equal(t.decide('/voice', { requestType: 'inboundCall', callId: call('d'), from: A, to: APP }).kind, 'none');
    assert.match((t.decide('/voice', { requestType: 'inboundCall', callId: call('e'), from: '+15550000000', to: APP }) as { reason: string }).reason, /not from the callers' number/);
  });

  it('counts every caller against one HARNESS_MAX_CALLS for all workers', async () => {
    const t = table(2);
    for (const w of ['1', '2']) {
      const g = await t.dial(w, 1000);
      assert.equal(g.ok, true);
      if (g.ok) t.releaseDial(w, g.grant);
    }
    const third = await t.dial('1', 1000);
    assert.equal(third.ok, false);
    assert.match(!third.ok ? third.message : '', /HARNESS_MAX_CALLS \(2\) reached across all workers/);
    assert.equal(t.callsPlaced, 2);
  });

  it('releases the dial lock only for the grant that holds it, and times out a wait with what blocked it', async () => {
    const t = table();
    const g = await t.dial('1', 1000);
    assert.ok(g.ok);
    t.releaseDial('2', g.grant);
    t.releaseDial('1', g.grant + 1);
    const waited = await t.dial('2', 30);
    assert.equal(waited.ok, false);
    assert.match(!waited.ok ? waited.message : '', /waited 30 ms with nothing let go: worker 1's caller has not reached the app/);
  });

  it('holds a scenario\'s people numbers all at once, routes their calls, and frees them when it ends', async () => {
    const t = table();
    assert.equal((await t.hold('1', [AGENT, OTHER], 1000)).ok, true);
    let other = false;
    const waiting = t.hold('2', [AGENT], 1000).then((g) => ((other = true), g));
    await Promise.resolve();
    assert.equal(other, false);
    // The person's phone rings (the harness's shared voiceUrl) and the app's leg to it connects (the app's shared callConnectUrl).
    assert.deepEqual(t.decide('/_fch/person', { callId: call('p'), to: AGENT }), { kind: 'worker', worker: '1', path: '/_fch/person' });
    assert.deepEqual(t.decide('/connect', { requestType: 'outDialApiConnect', callId: call('q'), to: OTHER }), { kind: 'worker', worker: '1', path: '/connect' });
    t.release('1');
    assert.equal((await waiting).ok, true);
    assert.deepEqual(t.decide('/_fch/person', { callId: call('r'), to: AGENT }), { kind: 'worker', worker: '2', path: '/_fch/person' });
    assert.match((t.decide('/_fch/person', { callId: call('s'), to: OTHER }) as { reason: string }).reason, /nobody of a running scenario is at \+15550108888/);
  });

  it('serves holds first come first served: a later hold never takes a number an earlier one waits for', async () => {
    const t = table();
    t.addWorker('3', 'http://127.0.0.1:3');
    assert.equal((await t.hold('1', [AGENT], 1000)).ok, true);
    const order: string[] = [];
    // Worker 2 needs both numbers and waits for AGENT; worker 3 needs only OTHER, which is free, but worker 2 asked first.
    const both = t.hold('2', [AGENT, OTHER], 1000).then((g) => (order.push('2'), g));
    const one = t.hold('3', [OTHER], 1000).then((g) => (order.push('3'), g));
    await Promise.resolve();
    assert.deepEqual(order, []);
    t.release('1');
    assert.equal((await both).ok, true);
    t.release('2');
    assert.equal((await one).ok, true);
    assert.deepEqual(order, ['2', '3']);
  });

  it('bounds a wait on progress: each number let go starts the bound again, and it fails only after that long with nothing let go', async () => {
    const t = table();
    t.addWorker('3', 'http://127.0.0.1:3');
    assert.equal((await t.hold('1', [AGENT], 1000)).ok, true);
    // Worker 3 waits behind worker 1, then behind worker 2: longer than its bound in all.
    const second = t.hold('2', [AGENT], 1000);
    const third = t.hold('3', [AGENT], 150);
    await new Promise((r) => setImmediate(r));
    t.release('1');
    assert.equal((await second).ok, true);
    const stillWaiting = await Promise.race([third.then(() => 'settled'), new Promise((r) => setTimeout(r, 100, 'waiting'))]);
    assert.equal(stillWaiting, 'waiting');
    const failed = await third;
    assert.equal(failed.ok, false);
    assert.match(!failed.ok ? failed.message : '', /waited 150 ms with nothing let go: \+15550107777 is held by worker 2/);
  });

  it('lets go of what a worker held when it ends, however it ends: the dial lock and its people numbers', async () => {
    const t = table();
    const g = await t.dial('1', 1000);
    assert.ok(g.ok);
    assert.equal((await t.hold('1', [AGENT], 1000)).ok, true);
    const dial2 = t.dial('2', 1000);
    const hold2 = t.hold('2', [AGENT], 1000);
    // A number a worker holds stays its own to ask for again, though worker 2 waits for it.
    assert.equal((await t.hold('1', [OTHER, AGENT], 1000)).ok, true);
    t.addWorker('3', 'http://127.0.0.1:3');
    const ownWait = t.hold('3', [OTHER], 1000);
    // Worker 1's process ends (a crash) before its caller reached the app.
    t.finish('1');
    assert.equal((await dial2).ok, true);
    assert.equal((await hold2).ok, true);
    assert.equal((await ownWait).ok, true);
    const later = await t.dial('1', 1000);
    assert.deepEqual(later, { ok: false, reason: 'unknown-worker', message: 'worker 1 has finished its scenarios' });
  });

  it('gives a status of the caller being placed to the worker placing it, before it knows the call', async () => {
    const t = table();
    const g = await t.dial('2', 1000);
    assert.ok(g.ok);
    assert.deepEqual(t.decide('/_fch/status', { callId: call('k'), from: A, to: APP, callStatus: 'queued' }), { kind: 'worker', worker: '2', path: '/_fch/status' });
    t.releaseDial('2', g.grant);
    assert.equal(t.decide('/_fch/status', { callId: call('m'), from: A, to: APP, callStatus: 'queued' }).kind, 'none');
  });

  it('answers for a worker that has finished, and counts those requests apart', () => {
    const t = table();
    t.decide('/w/1/conference/status', { conferenceId: 'CF3' });
    t.finish('1');
    assert.deepEqual(t.decide('/w/1/conference/status', { conferenceId: 'CF3', status: 'terminated' }), { kind: 'none', reason: 'worker 1 has finished its scenarios', late: true });
    assert.deepEqual(t.decide('/status', { conferenceId: 'CF3' }), { kind: 'none', reason: 'worker 1 has finished its scenarios', late: true });
    // A conference the app created just before its worker stopped is first named late: the front's cleanup must still know it.
    t.decide('/w/1/conference/created', { conferenceId: 'CF4', callId: call('f') });
    assert.ok(t.seen().conferences.includes('CF4'));
    assert.ok(t.seen().calls.includes(call('f')));
  });

  it('refuses waiting and later requests once the run closes (Ctrl-C), and lists what it routed for the cleanup', async () => {
    const t = table();
    await t.dial('1', 1000);
    const waiting = t.dial('2', 1000);
    t.decide('/w/1/x', { callId: call('a'), conferenceId: 'CF9' });
    t.close('the run was interrupted');
    assert.deepEqual(await waiting, { ok: false, reason: 'closed', message: 'the run was interrupted' });
    assert.equal((await t.hold('2', [AGENT], 1000)).ok, false);
    assert.deepEqual(t.seen(), { calls: [call('a')], conferences: ['CF9'] });
  });
});

describe('the front over HTTP, with two stand-in workers', () => {
  let front: AppFront;
  const servers: http.Server[] = [];
  after(async () => {
    await front?.close();
    for (const s of servers) s.close();
  });

  /** A worker's face: answers with its name, the path and the signature header it got. */
  async function worker(name: string): Promise<string> {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ worker: name, path: req.url, signature: req.headers['freeclimb-signature'], body })));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('relays each request to its worker with the exact bytes and signature, and answers nobody\'s calls with a Hangup', async () => {
    front = await startAppFront({ ...OPTS, port: 0, waitMs: 2000 });
    const links = [new AppFrontLink(front.controlUrl, '1'), new AppFrontLink(front.controlUrl, '2')];
    await links[0].register(await worker('one'));
    await links[1].register(await worker('two'));
    const post = async (path: string, body: object) => {
      const raw = JSON.stringify(body);
      const res = await fetch(front.localUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', 'freeclimb-signature': 't=1,v1=abc' }, body: raw });
      return { status: res.status, text: await res.text(), raw };
    };
    const grant = await links[1].dial();
    const inbound = await post('/voice?x=1', { requestType: 'inboundCall', callId: call('i'), from: A, to: APP });
    const seen = JSON.parse(inbound.text);
    assert.equal(seen.worker, 'two');
    assert.equal(seen.path, '/voice?x=1');
    assert.equal(seen.signature, 't=1,v1=abc');
    assert.equal(seen.body, inbound.raw);
    await links[1].releaseDial(grant);
    assert.equal(JSON.parse((await post('/w/1/conference/status', { conferenceId: 'CF2' })).text).worker, 'one');
    const stray = await post('/voice', { requestType: 'inboundCall', callId: call('j'), from: A, to: APP });
    assert.match(JSON.parse(stray.text)[0].Hangup.reason, /while no worker was placing a caller/);
    assert.deepEqual(front.table.answeredItself, ['inboundCall to /voice: a call to the app\'s number while no worker was placing a caller']);
    assert.deepEqual([...front.table.forwards], [['1', 1], ['2', 1]]);
  });

  it('tells a worker why it may not dial, as a FrontRefusal', async () => {
    front.table.close('interrupted for the test');
    await assert.rejects(new AppFrontLink(front.controlUrl, '1').dial(), (e: unknown) => e instanceof FrontRefusal && e.reason === 'closed' && /interrupted for the test/.test(e.message));
  });
});

// The front of a parallel live run: which worker gets which webhook, how an inbound leg finds its
// worker, the one call budget, and the cleanup list; then the same over HTTP with two stand-in workers.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RouteTable } from '../support/live/parallel/routing';
import { startFront, type Front } from '../support/live/parallel/front';
import { FrontLink, FrontRefusal } from '../support/live/parallel/link';

const OUT = 'CA' + 'a'.repeat(40);
const IN = 'CA' + 'b'.repeat(40);

function table(maxCalls = 10): RouteTable {
  const t = new RouteTable(maxCalls);
  t.addWorker('0', 'http://127.0.0.1:1');
  t.addWorker('1', 'http://127.0.0.1:2');
  return t;
}

describe('RouteTable: which worker gets which webhook', () => {
  it('routes a worker URL by its /w/<worker> prefix, with the prefix stripped', () => {
    const t = table();
    assert.deepEqual(t.decide('/w/1/s/ab12/status', {}), { kind: 'worker', worker: '1', path: '/s/ab12/status' });
    assert.deepEqual(t.decide('/w/0/app/farend', { callId: IN }), { kind: 'worker', worker: '0', path: '/app/farend' });
    assert.equal(t.decide('/w/7/s/x/status', {}).kind, 'none');
    assert.equal(t.decide('/elsewhere', {}).kind, 'none');
  });

  it('hands an inbound leg to any worker, then to the worker that claimed its token', () => {
    const t = table();
    assert.equal(t.claimToken('1', '123456').ok, true);
    t.placed('1', '123456', OUT);
    assert.deepEqual(t.decide('/app/voice', { callId: IN }), { kind: 'any', path: '/app/voice' });
    assert.deepEqual(t.decide('/app/identify', { callId: IN, digits: '123456' }), { kind: 'worker', worker: '1', path: '/app/identify' });
    // Learned from the digits: the inbound leg's callStatus goes to the same worker.
    assert.deepEqual(t.decide('/app/status', { callId: IN }), { kind: 'worker', worker: '1', path: '/app/status' });
    assert.deepEqual(t.decide('/app/status', { callId: OUT }), { kind: 'worker', worker: '1', path: '/app/status' });
    // A token nobody claimed: any worker answers it (each hangs up on tokens it did not issue).
    assert.equal(t.decide('/app/identify', { callId: 'CA' + 'c'.repeat(40), digits: '999999' }).kind, 'any');
  });

  it('spreads requests any worker may answer round robin', () => {
    const t = table();
    assert.deepEqual([t.anyWorkers()[0], t.anyWorkers()[0], t.anyWorkers()[0]], ['0', '1', '0']);
    assert.deepEqual(new RouteTable(1).anyWorkers(), []);
  });

  it('holds a callStatus whose call is still being placed, and releases it to the owner', async () => {
    const t = table();
    t.claimToken('0', '111111');
    assert.deepEqual(t.decide('/app/status', { callId: OUT }), { kind: 'await-call', callId: OUT, path: '/app/status' });
    const owner = t.waitForOwner(OUT, 5_000);
    t.placed('0', '111111', OUT);
    assert.equal(await owner, '0');
    // Nothing being placed and not an inbound leg: nobody will claim it, so nothing waits.
    assert.equal(t.decide('/app/status', { callId: 'CA' + 'd'.repeat(40) }).kind, 'any');
    assert.equal(await t.waitForOwner('CA' + 'e'.repeat(40), 20), undefined);
  });

  it('does not hold the status of an inbound leg that never sent its digits: nobody will claim it', () => {
    // With the simulator, which delivers one webhook at a time, such a hold stalled every worker
    // for the whole hold (a participant of another worker then timed out joining).
    const t = table();
    t.claimToken('0', '111111'); // another call being placed meanwhile
    t.decide('/app/voice', { callId: IN });
    assert.equal(t.decide('/app/status', { callId: IN }).kind, 'any');
  });
});

describe('RouteTable: one HARNESS_MAX_CALLS for all workers', () => {
  it('counts every worker\'s calls against one budget', () => {
    const t = table(3);
    assert.equal(t.claimToken('0', '100001').ok, true);
    assert.equal(t.claimToken('1', '100002').ok, true);
    assert.equal(t.claimToken('0', '100003').ok, true);
    const refused = t.claimToken('1', '100004');
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.message : '', /HARNESS_MAX_CALLS \(3\) reached across all workers/);
    assert.equal(t.callsPlaced, 3);
  });

  it('refuses a token another worker holds, an unregistered worker, and any claim after close', () => {
    const t = table();
    t.claimToken('0', '222222');
    const dup = t.claimToken('1', '222222');
    assert.equal(!dup.ok && dup.reason, 'duplicate');
    const stranger = t.claimToken('9', '333333');
    assert.equal(!stranger.ok && stranger.reason, 'unknown-worker');
    t.close('interrupted');
    const closed = t.claimToken('0', '444444');
    assert.equal(!closed.ok && closed.reason, 'closed');
    assert.equal(t.callsPlaced, 1, 'refused claims cost nothing');
  });

  it('keeps what workers created and did not end, for the one cleanup', async () => {
    const t = table();
    t.claimToken('0', '555555');
    t.claimToken('1', '666666');
    const settled = t.whenPlaced(5_000);
    t.placed('0', '555555', OUT);
    assert.equal(t.placingCount, 1);
    t.placed('1', '666666'); // POST /Calls failed: no call
    assert.equal(await settled, true);
    t.conferenceCreated('1', 'CF1');
    t.conferenceCreated('0', 'CF2');
    t.ended('CF2');
    assert.deepEqual(t.leftovers(), { calls: [OUT], conferences: ['CF1'] });
    t.claimToken('0', '777777');
    assert.equal(await t.whenPlaced(20), false);
  });

  it('waits for a conference being created when Ctrl-C arrives, and refuses new ones after', async () => {
    const t = table();
    assert.equal(t.creatingConference('0', 'k1').ok, true);
    t.close('interrupted');
    const late = t.creatingConference('1', 'k2');
    assert.equal(!late.ok && late.reason, 'closed');
    const settled = t.whenPlaced(5_000);
    assert.equal(t.placingCount, 1, 'the creation under way is awaited');
    t.conferenceCreated('0', 'CF9', 'k1');
    assert.equal(await settled, true);
    assert.deepEqual(t.leftovers().conferences, ['CF9'], 'the conference created as Ctrl-C arrived is cleaned up');
    assert.equal(t.creatingConference('0', 'k3').ok, false);
    t.conferenceCreated('0', undefined, 'k3'); // a failed creation settles too
    assert.equal(t.placingCount, 0);
  });

  it('learns conferences from the webhooks it forwards, and forgets terminated ones', () => {
    const t = table();
    t.sawWebhook('1', { requestType: 'createConference', conferenceId: 'CF7', callId: 'CA1' });
    t.sawWebhook('1', { requestType: 'callStatus', callId: 'CA1' });
    t.sawWebhook('0', { requestType: 'conferenceStatus', conferenceId: 'CF8', status: 'empty' });
    assert.deepEqual(t.leftovers().conferences.sort(), ['CF7', 'CF8']);
    t.sawWebhook('0', { requestType: 'conferenceStatus', conferenceId: 'CF8', status: 'terminated' });
    t.ended('CF7');
    t.sawWebhook('1', { requestType: 'leaveConference', conferenceId: 'CF7', callId: 'CA1' });
    assert.deepEqual(t.leftovers().conferences, [], 'an ended conference is not learned again from a late webhook');
  });
});

describe('the front over HTTP', () => {
  let front: Front;
  const servers: http.Server[] = [];
  after(async () => {
    await front?.close();
    for (const s of servers) s.closeAllConnections(), s.close();
  });

  /** A stand-in worker receiver: records what reached it and answers with its own name. */
  async function worker(name: string, seen: { path: string; body: string; signature?: string }[]): Promise<string> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString(), signature: req.headers['freeclimb-signature'] as string | undefined });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ Say: { text: name } }]));
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function post(path: string, body: unknown): Promise<{ status: number; text: string }> {
    const res = await fetch(`${front.localUrl}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'freeclimb-signature': 't=1,v1=abc' } });
    return { status: res.status, text: await res.text() };
  }

  it('routes by path, token and call id to the right worker, bytes and signature intact', async () => {
    front = await startFront({ port: 0, maxCalls: 2, holdMs: 5_000 });
    const seen0: { path: string; body: string; signature?: string }[] = [];
    const seen1: typeof seen0 = [];
    const link0 = new FrontLink(front.controlUrl, '0');
    const link1 = new FrontLink(front.controlUrl, '1');
    await link0.register(await worker('w0', seen0));
    await link1.register(await worker('w1', seen1));
    assert.equal(link1.publicBase('https://x.example/'), 'https://x.example/w/1');

    const inbox = await post('/w/1/s/k1/status?x=1', { requestType: 'conferenceStatus', n: 1 });
    assert.equal(inbox.text, JSON.stringify([{ Say: { text: 'w1' } }]));
    assert.deepEqual(seen1[0], { path: '/s/k1/status?x=1', body: JSON.stringify({ requestType: 'conferenceStatus', n: 1 }), signature: 't=1,v1=abc' });

    await link0.claimToken('424242');
    // The callStatus arrives before worker 0 knows its call id: held, then delivered to worker 0.
    const held = post('/app/status', { requestType: 'callStatus', callId: OUT });
    await link0.placed('424242', OUT);
    assert.equal((await held).text, JSON.stringify([{ Say: { text: 'w0' } }]));
    const identify = await post('/app/identify', { requestType: 'getDigits', callId: IN, digits: '424242' });
    assert.equal(identify.text, JSON.stringify([{ Say: { text: 'w0' } }]));
    assert.equal(seen0.map((s) => s.path).join(' '), '/app/status /app/identify');

    // The budget is the run's: worker 1's claim after worker 0's second call is refused.
    await link1.claimToken('434343');
    await assert.rejects(link1.claimToken('444444'), (e: unknown) => e instanceof FrontRefusal && e.reason === 'budget');
    assert.equal(front.table.callsPlaced, 2);
    assert.equal((await post('/nowhere', {})).status, 404);
  });

  it('passes a shared request on to the next worker when one has no route for it yet', async () => {
    const front2 = await startFront({ port: 0, maxCalls: 2, holdMs: 5_000 });
    try {
      // Worker 0 registered but its shared routes are not there yet: it answers 404.
      const notReady = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(404).end()));
      servers.push(notReady);
      await new Promise<void>((r) => notReady.listen(0, '127.0.0.1', r));
      await new FrontLink(front2.controlUrl, '0').register(`http://127.0.0.1:${(notReady.address() as AddressInfo).port}`);
      const seen: { path: string; body: string }[] = [];
      await new FrontLink(front2.controlUrl, '1').register(await worker('w1', seen));
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${front2.localUrl}/app/voice`, { method: 'POST', body: JSON.stringify({ requestType: 'inboundCall', callId: `CA${i}` }) });
        assert.equal(await res.text(), JSON.stringify([{ Say: { text: 'w1' } }]), 'whichever worker the round robin tries first');
      }
      assert.equal(seen.length, 2);
    } finally {
      await front2.close();
    }
  });

  it('tells a call whose worker is gone to hang up, and answers a notification with 204', async () => {
    for (const s of servers) s.closeAllConnections(), s.close();
    await Promise.all(servers.map((s) => new Promise((r) => s.once('close', r).listening || r(undefined))));
    const before = front.answeredItself;
    const voice = await post('/app/voice', { requestType: 'inboundCall', callId: 'CA' + 'f'.repeat(40) });
    assert.equal(voice.status, 200);
    assert.match(voice.text, /Hangup/);
    const status = await post('/w/0/s/k2/status', { requestType: 'conferenceStatus' });
    assert.equal(status.status, 204);
    assert.equal(front.answeredItself - before, 2);
  });
});

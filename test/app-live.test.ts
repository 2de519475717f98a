// The live app gate's pieces that need no account: what the app told FreeClimb (answers.ts), which
// steps cannot be played live (unplayable.ts), its own configuration, and the public face, which
// must hand the app the exact bytes and headers FreeClimb sent (so the app's signature check
// passes), return the app's answer unchanged, and record the exchange.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectsDigits, conferenceIds, foreignUrls, sayTexts } from '../support/app-gate/live/answers';
import { Face } from '../support/app-gate/live/face';
import { loadAppLiveConfig } from '../support/app-gate/live/live-config';
import { isGateCall } from '../support/app-gate/live/sweep';
import { unplayableReason } from '../support/app-gate/live/unplayable';
import { signatureHeader, verifySignature } from '../support/signature';

const ANSWER = JSON.stringify([
  { Say: { text: 'Welcome' } },
  { GetDigits: { actionUrl: 'https://pub.example/room', prompts: [{ Say: { text: 'Enter your room number' } }] } },
  { AddToConference: { conferenceId: 'CF1', leaveConferenceUrl: 'http://127.0.0.1:3000/left' } },
]);

describe('answers: what the app told FreeClimb', () => {
  it('reads Say texts, nested prompts included', () => assert.deepEqual(sayTexts(ANSWER), ['Welcome', 'Enter your room number']));
  it('sees GetDigits only at the top level', () => {
    assert.equal(collectsDigits(ANSWER), true);
    assert.equal(collectsDigits(JSON.stringify([{ Say: { text: 'x' } }])), false);
    assert.equal(collectsDigits('not json'), false);
  });
  it('collects conference ids', () => assert.deepEqual(conferenceIds(ANSWER), ['CF1']));
  it('reports every URL that is not under the public URL, with its field', () => {
    assert.deepEqual(foreignUrls(ANSWER, 'https://pub.example/'), [{ field: 'leaveConferenceUrl', url: 'http://127.0.0.1:3000/left' }]);
    // A host that only starts like the public one is another host.
    assert.equal(foreignUrls(JSON.stringify([{ Redirect: { actionUrl: 'https://pub.example.evil/x' } }]), 'https://pub.example').length, 1);
  });
});

describe('unplayable steps', () => {
  it('skips busy lines, machines, unanswered phones and virtual time with a reason', () => {
    for (const step of ['"agent" will be busy', '"agent"\'s voicemail will answer', '"agent" will not answer', '30 seconds pass', 'the app does not call "bob" within 60 seconds']) {
      assert.match(unplayableReason(['"alice" calls the app', step]) ?? '', /^skipped in a live app gate: step ".+" cannot be played on a real account: .+/, step);
    }
  });
  it('skips the speech, message, queue, SMS and recording steps, which only the mock gate plays so far', () => {
    for (const step of ['"alice" says "sales"', '"alice" stays silent', '"alice" leaves a message of 5 seconds', '"alice" leaves a message and presses "#"', '"alice" is waiting in a queue', '"alice" is no longer in a queue', 'the app texts "+15550104444" "your code"', 'the call of "alice" is recorded']) {
      assert.match(unplayableReason([step]) ?? '', /cannot be played on a real account/, step);
    }
  });
  it('plays the rest', () => assert.equal(unplayableReason(['"alice" calls the app', '"alice" presses "1234#"', '"alice" hears "room"', '"alice" hangs up', 'the app calls "agent"']), undefined));
});

describe('live app gate configuration', () => {
  it('needs the app number and reads the people numbers', () => {
    assert.throws(() => loadAppLiveConfig({}), /FREECLIMB_APP_NUMBER: required/);
    assert.deepEqual(loadAppLiveConfig({ FREECLIMB_APP_NUMBER: '+15550100003', HARNESS_APP_PEOPLE_NUMBERS: '+15550107777, +15550108888' }), { appNumber: '+15550100003', peopleNumbers: ['+15550107777', '+15550108888'], appAlias: 'fch-app-live', harnessAlias: 'fch-app-live-harness' });
    // A shard has applications of its own, so shards that run at once do not re-point each other's.
    assert.equal(loadAppLiveConfig({ FREECLIMB_APP_NUMBER: '+15550100003', HARNESS_SHARD: '2/3' }).appAlias, 'fch-app-live-s2');
    assert.throws(() => loadAppLiveConfig({ FREECLIMB_APP_NUMBER: '+15550100003', HARNESS_APP_PEOPLE_NUMBERS: '555' }), /E\.164/);
  });
});

describe('the public face', () => {
  it('forwards the exact bytes and signature to the app, returns its answer, records the exchange; /_fch is the harness\'s', async () => {
    const secret = 'sigsec_test';
    let seen: { raw: string; signature: string | undefined; path: string } | undefined;
    const app = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        seen = { raw, signature: req.headers['freeclimb-signature'] as string | undefined, path: req.url ?? '' };
        const ok = verifySignature(raw, seen.signature, secret, { toleranceSec: 300, nowSec: Math.floor(Date.now() / 1000) }).ok;
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? '[{"Hangup":{}}]' : '{"error":"bad signature"}');
      });
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    const face = new Face({ port: 0, publicUrl: 'https://pub.example', appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`, timeoutMs: 2000, harness: async () => ({ status: 200, body: '[]' }) });
    await face.start();
    try {
      // Odd spacing: a re-serialised body would no longer match the signature.
      const raw = '{"requestType":"inboundCall",  "callId":"CA1","from":"+1555"}';
      const res = await fetch(`http://127.0.0.1:${face.port}/voice?x=1`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'freeclimb-signature': signatureHeader(raw, secret, Math.floor(Date.now() / 1000)) } });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), '[{"Hangup":{}}]');
      assert.equal(seen?.raw, raw);
      assert.equal(seen?.path, '/voice?x=1');
      const unsigned = await fetch(`http://127.0.0.1:${face.port}/voice`, { method: 'POST', body: raw });
      assert.equal(unsigned.status, 401);
      const own = await fetch(`http://127.0.0.1:${face.port}/_fch/leg`, { method: 'POST', body: '{"callId":"CA2"}' });
      assert.equal(await own.text(), '[]');
      const [first, second, third] = face.exchanges;
      assert.equal(first.url, 'https://pub.example/voice?x=1');
      assert.equal(first.requestType, 'inboundCall');
      assert.equal(first.status, 200);
      assert.equal(first.toApp, true);
      assert.ok((first.answerMs ?? -1) >= 0);
      assert.equal(second.status, 401);
      assert.equal(third.toApp, false);
      assert.equal(face.pending, 0);
    } finally {
      await face.close();
      await new Promise<void>((r) => app.close(() => r()));
    }
  });

  it('records an app that cannot be reached, and answers FreeClimb 502', async () => {
    const face = new Face({ port: 0, publicUrl: 'https://pub.example', appUrl: 'http://127.0.0.1:1', timeoutMs: 2000, harness: async () => ({ status: 404 }) });
    await face.start();
    try {
      const res = await fetch(`http://127.0.0.1:${face.port}/voice`, { method: 'POST', body: '{"requestType":"inboundCall"}' });
      assert.equal(res.status, 502);
      assert.match(face.exchanges[0].error ?? '', /refused/);
    } finally {
      await face.close();
    }
  });
});

describe('fch app live sweep: which calls are a gate\'s', () => {
  const live = { appNumber: '+15550100003', peopleNumbers: ['+15550107777'] };
  const cfg = { numberA: '+15550100001' };
  it('callers from number A to the app, and calls to the people', () => {
    assert.equal(isGateCall({ from: '+15550100001', to: '+15550100003' }, cfg, live), true);
    assert.equal(isGateCall({ from: '+15550100003', to: '+15550107777' }, cfg, live), true);
  });
  it('never a real caller of the app, nor the app\'s other calls', () => {
    assert.equal(isGateCall({ from: '+13125550000', to: '+15550100003' }, cfg, live), false);
    assert.equal(isGateCall({ from: '+15550100003', to: '+13125550000' }, cfg, live), false);
  });
});

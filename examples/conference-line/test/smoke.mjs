// Smoke test of the conference line without the gate: starts the app, holds scripted
// conversations with it through a fake FreeClimb (signed webhooks over loopback HTTP), and checks
// the answers. It runs every probe under each documented reading, for the correct app and for
// each seeded bug, and checks bugs.json: a bug must turn red exactly under the readings it
// declares.
//
//   node test/smoke.mjs                   correct app + every bug, every reading
//   node test/smoke.mjs --bug reuse-terminated --reading default
//   node test/smoke.mjs --correct-only
//   node test/smoke.mjs --verbose         also show what failed under every red reading
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { startApp } from './app-process.mjs';
import { FakeFreeClimb } from './fake-freeclimb.mjs';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const bugsFile = JSON.parse(readFileSync(join(appDir, 'bugs.json'), 'utf8'));

// Single-axis changes from the default, named as the gate names its variants.
const READINGS = [
  'default',
  ...Object.entries({
    creationCallback: ['conferenceStatus'],
    perclCreationOrder: ['statusCallbackFirst'],
    startModeratorFirstJoin: ['inProgressOnly'],
    recordingReport: ['fieldsOnEmpty', 'both'],
    recordingRequestType: ['conferenceRecordingEnded'],
    terminateEmpty: ['emptyThenTerminated'],
    callControlRequestType: ['conferenceCallControl'],
    callStatusConferenceId: ['conference'],
    redirectRequestType: ['inboundCall'],
  }).flatMap(([axis, options]) => options.map((o) => `${axis}=${o}`)),
];

// ------------------------------------------------------------------ probes
// Each probe is one conversation; it throws (or the fake records failures) when the app misbehaves.
// The app lives across probes within one reading, as it does across scenarios in a gate run.

const expect = (ok, message) => {
  if (!ok) throw new Error(message);
};
const inConference = (fc, name) => {
  const c = fc.calls.get(name);
  expect(c.conferenceId && !c.ended, `${name} is not in a conference (${c.joinRefused ?? c.endReason ?? 'still ' + (c.collecting ? 'collecting digits' : 'idle')})`);
  return c.conferenceId;
};
const dialRoom = async (fc, name, digits) => {
  await fc.callIn(name);
  await fc.press(name, digits);
};

const PROBES = {
  'a caller joins': async (fc) => {
    await dialRoom(fc, 'alice', '1234#');
    expect(fc.calls.get('alice').heard.some((t) => t.includes('room number')), 'alice never heard "room number"');
    inConference(fc, 'alice');
  },
  'a caller joins again after the conference empties': async (fc) => {
    await dialRoom(fc, 'alice', '1234#');
    inConference(fc, 'alice');
    await fc.hangup('alice');
    await dialRoom(fc, 'bob', '1234#');
    inConference(fc, 'bob');
  },
  'terminated through REST, the next caller gets a new conference': async (fc) => {
    await dialRoom(fc, 'alice', '1234#');
    const first = inConference(fc, 'alice');
    await fc.terminate(first);
    expect(fc.calls.get('alice').ended, "alice's call did not end");
    await dialRoom(fc, 'bob', '1234#');
    expect(inConference(fc, 'bob') !== first, 'bob joined the terminated conference');
  },
  'a caller hangs up while digits are collected': async (fc) => {
    await fc.callIn('alice');
    await fc.hangup('alice');
  },
  'two callers with the same room meet': async (fc) => {
    await dialRoom(fc, 'alice', '1234#');
    await dialRoom(fc, 'bob', '1234#');
    expect(inConference(fc, 'alice') === inConference(fc, 'bob'), 'alice and bob are in different conferences');
    expect(fc.calls.get('bob').heard.some((t) => t.includes('One other caller is here')), 'bob was not told, from the REST participant list, that alice is there');
  },
  'unsigned, forged and stale webhooks are rejected': async (fc) => {
    const label = { none: 'an unsigned', forged: 'a forged', stale: 'a stale' };
    for (const signature of ['none', 'forged', 'stale']) {
      const body = { ...fc.std({ callId: 'CA' + randomBytes(20).toString('hex'), from: '+15550104444', to: '+15550109999' }), callStatus: 'ringing', requestType: 'inboundCall', parentCallId: null };
      const r = await fc.send(`${fc.appUrl}/voice`, body, { signature });
      expect(r.status >= 400 && r.status < 500, `${label[signature]} inboundCall got HTTP ${r.status}`);
      expect(!/GetDigits|AddToConference|CreateConference/.test(r.text ?? ''), `${label[signature]} inboundCall got PerCL`);
    }
  },
  'different rooms stay apart': async (fc) => {
    await dialRoom(fc, 'alice', '1111#');
    await dialRoom(fc, 'bob', '2222#');
    expect(inConference(fc, 'alice') !== inConference(fc, 'bob'), 'rooms 1111 and 2222 share a conference');
  },
  'a silent caller is re-prompted, then released': async (fc) => {
    await fc.callIn('alice');
    await fc.silence('alice');
    const alice = fc.calls.get('alice');
    expect(alice.heard.some((t) => t.includes('did not get')), 'no re-prompt after the first timeout');
    await fc.silence('alice');
    await fc.silence('alice');
    expect(alice.ended, 'alice is still on the line after three timeouts');
  },
  'a room is reused after it empties': async (fc) => {
    await dialRoom(fc, 'alice', '2468#');
    const first = inConference(fc, 'alice');
    await fc.hangup('alice');
    await dialRoom(fc, 'bob', '2468#');
    expect(inConference(fc, 'bob') === first, 'bob got a new conference although the empty one could be reused');
  },
  'a second caller waits while the room is being opened': async (fc) => {
    await fc.callIn('alice');
    await fc.callIn('bob');
    // alice's CreateConference is answered but not yet executed when bob keys the same room.
    const opening = await fc.pressOnly('alice', '7777#');
    const waiting = await fc.pressOnly('bob', '7777#');
    expect(JSON.stringify(waiting.script ?? []).includes('Redirect'), `bob should wait for the room being opened, got ${JSON.stringify(waiting.script)}`);
    await fc.runAnswer(fc.calls.get('alice'), opening);
    await fc.runAnswer(fc.calls.get('bob'), waiting);
    expect(inConference(fc, 'alice') === inConference(fc, 'bob'), 'bob did not join the conference alice opened');
  },
  '*9 closes the room through REST': async (fc) => {
    await dialRoom(fc, 'alice', '4321#');
    await dialRoom(fc, 'bob', '4321#');
    await fc.callControl('alice', '*9');
    expect(fc.restRequests.some((r) => r.method === 'POST' && /\/Conferences\/CF/.test(r.path)), 'no REST terminate request');
    expect(fc.calls.get('alice').ended && fc.calls.get('bob').ended, 'the callers are still connected after *9');
  },
};

// ------------------------------------------------------------------ runner

async function runReading(bug, readingName) {
  const secret = `sigsec_${randomBytes(20).toString('hex')}`;
  const accountId = `AC${randomBytes(20).toString('hex')}`;
  const apiKey = randomBytes(20).toString('hex');
  const reading = readingName === 'default' ? {} : Object.fromEntries([readingName.split('=')]);
  const fc = new FakeFreeClimb({ appUrl: '', secret, accountId, reading });
  const apiBase = await fc.listenRest(apiKey);
  const app = await startApp({
    command: process.execPath,
    args: ['server.js'],
    cwd: appDir,
    env: {
      PORT: '0',
      FREECLIMB_ACCOUNT_ID: accountId,
      FREECLIMB_API_KEY: apiKey,
      FREECLIMB_SIGNING_SECRET: secret,
      FREECLIMB_API_BASE_URL: apiBase,
      FREECLIMB_NUMBER: '+15550109999',
      FREECLIMB_APPLICATION_ID: `AP${randomBytes(20).toString('hex')}`,
      APP_BUG: bug ?? '',
    },
  });
  let dead = false;
  app.exited.then(() => (dead = true));
  fc.appUrl = app.url;

  const failed = {};
  for (const [name, probe] of Object.entries(PROBES)) {
    const before = fc.failures.length;
    fc.calls.clear();
    let thrown;
    try {
      await probe(fc);
    } catch (e) {
      thrown = e.message;
    }
    // As the gate does at a scenario's end: callers still on the line hang up.
    for (const call of fc.calls.values()) if (!call.ended) await fc.hangup(call.name);
    const problems = [...(thrown ? [thrown] : []), ...fc.failures.slice(before)];
    if (dead) problems.push('the app process exited');
    if (problems.length) failed[name] = problems;
  }
  await app.stop();
  fc.close();
  return { failed, output: app.output };
}

function arg(name) {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

/** The app's verifier against the reference's test vector (§4.5), before any conversation. */
function checkSignatureVector() {
  const { verifySignature } = createRequire(import.meta.url)('../lib/signature.js');
  const body = Buffer.from(
    '{"accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213","callStatus":"ringing","conferenceId":null,"direction":"inbound","from":"+13121000109","parentCallId":null,"queueId":null,"requestType":"inboundCall","to":"+13121000096"}',
  );
  const header = 't=1679944186,v1=0000000000000000000000000000000000000000000000000000000000000000,v1=c3957749baf61df4b1506802579cc69a74c77a1ae21447b930e5a704f9ec4120';
  const secret = 'sigsec_ead6d3b6904196c60835d039e91b3341c77a7793';
  assert.deepEqual(verifySignature(body, header, secret, { nowSec: 1679944186 }), { ok: true }, 'the reference test vector must verify (any v1 may match)');
  assert.equal(verifySignature(body, header, secret, { nowSec: 1679944186 + 301 }).ok, false, 'a signature older than 5 minutes is stale');
  assert.equal(verifySignature(Buffer.concat([body, Buffer.from(' ')]), header, secret, { nowSec: 1679944186 }).ok, false, 'one changed byte breaks it');
}

async function main() {
  checkSignatureVector();
  const onlyBug = arg('--bug');
  const verbose = process.argv.includes('--verbose');
  const readings = arg('--reading') ? [arg('--reading')] : READINGS;
  // Bugs meant only for `fch app explore` declare no scenarios: the smoke probes do not look for them.
  const declared = new Map(bugsFile.bugs.filter((b) => b.scenarios).map((b) => [b.name, b]));
  const subjects = onlyBug ? [onlyBug] : process.argv.includes('--correct-only') ? [null] : [null, ...declared.keys()];
  for (const r of readings) if (!READINGS.includes(r)) throw new Error(`unknown reading ${r}; known: ${READINGS.join(', ')}`);

  let mismatches = 0;
  for (const bug of subjects) {
    const decl = bug && declared.get(bug);
    if (bug && !decl) throw new Error(`${bug} is not declared in bugs.json`);
    const label = bug ?? 'correct app';
    const reds = [];
    const mismatchesBefore = mismatches;
    for (const reading of readings) {
      const { failed, output } = await runReading(bug, reading);
      const red = Object.keys(failed).length > 0;
      const shouldBeRed = bug !== null && (decl.variants === 'all' || decl.variants.includes(reading));
      if (red) reds.push(reading);
      if (red !== shouldBeRed) {
        mismatches++;
        console.log(`✗ ${label} under ${reading}: ${red ? 'red' : 'green'}, declared ${shouldBeRed ? 'red' : 'green'}`);
        for (const [probe, problems] of Object.entries(failed)) console.log(`    ${probe}: ${problems.join(' / ')}`);
        if (!bug) console.log(`    app output:\n      ${output.slice(-15).join('\n      ')}`);
      } else if (red && (verbose || reds.length === 1)) {
        // One example per bug (all of them with --verbose) shows what the failure looks like.
        const [probe, problems] = Object.entries(failed)[0];
        console.log(`  ${label} under ${reading}: ${probe}: ${problems[0]}`);
      }
    }
    console.log(`${mismatches > mismatchesBefore ? '✗' : '✓'} ${label}: red under ${reds.length ? reds.join(', ') : 'nothing'}`);
  }
  if (mismatches) {
    console.log(`\n${mismatches} result(s) differ from bugs.json`);
    process.exit(1);
  }
  console.log('\nsmoke: every result matches bugs.json');
}

main().catch((e) => {
  console.error(`smoke: ${e.message}`);
  process.exit(2);
});

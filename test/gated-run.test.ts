// App mode of the simulator, without Cucumber: a caller calls a small app (an in-test HTTP server,
// as if HARNESS_APP_COMMAND were unset), presses keys after the app's 30-second Pause, which
// passes in virtual time only, joins a conference; what the caller heard and the conversation are
// recorded; an invalid PerCL answer is reported with its pointer and rule.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { GatedRun } from '../support/app-gate/gated-run';
import { GatedScenario } from '../support/app-gate/gated-scenario';
import { answeringApp, type AnsweringApp, type Answers } from './helpers/answering-app';
import { loadConfig } from '../support/config';

let app: AnsweringApp;
let base = '';
const answers: Answers = {
  '/voice': () => [{ Pause: { length: 30_000 } }, { GetDigits: { actionUrl: `${base}/digits`, finishOnKey: '#', prompts: [{ Say: { text: 'Enter your room number' } }] } }],
  '/digits': (b) => (b.digits === '1234' ? [{ Say: { text: 'Joining' } }, { CreateConference: { actionUrl: `${base}/created`, statusCallbackUrl: `${base}/status` } }] : [{ Say: {} }]),
  '/created': (b) => [{ AddToConference: { conferenceId: b.conferenceId } }],
  // The "hold" line: a caller waits in a conference; when they hang up, the app answers at once and
  // terminates the conference through REST `deferMs` later, as SDK apps do (issue 21).
  '/hold': () => [{ CreateConference: { actionUrl: `${base}/hold/created`, statusCallbackUrl: `${base}/status` } }],
  '/hold/created': (b) => [{ AddToConference: { conferenceId: b.conferenceId, leaveConferenceUrl: `${base}/hold/left` } }],
  '/hold/left': (b) => (setTimeout(() => void terminate(String(b.conferenceId)), deferMs), []),
};
let deferMs = 0;
let terminate: (conferenceId: string) => Promise<void> = async () => undefined;

before(async () => {
  app = await answeringApp(answers);
  base = app.base;
});
after(() => app.close());

async function gatedRun(env: Record<string, string> = {}): Promise<GatedRun> {
  const cfg = loadConfig({ HARNESS_APP_URL: base, HARNESS_APP_JOIN_DIGITS: '1234#', ...env });
  const run = new GatedRun(cfg, cfg.app!);
  await run.start();
  return run;
}

test('a caller joins after the app\'s Pause passed in virtual time; the conversation is recorded', async () => {
  const run = await gatedRun();
  try {
    const scenario = new GatedScenario(run, 'joins');
    const t0 = run.now();
    const real0 = Date.now();
    await scenario.callApp('alice');
    await scenario.press('alice', '1234#');
    const conferenceId = await scenario.inConference('alice');
    assert.ok(run.now() - t0 >= 30_000, 'the Pause passed in virtual time');
    assert.ok(Date.now() - real0 < 10_000, 'without waiting 30 s of real time');
    assert.equal(scenario.conferenceOf('alice'), conferenceId);
    assert.equal(await scenario.conferenceStatusOf('alice'), 'inProgress');
    await scenario.hears('alice', 'room number');
    await scenario.hangUpEveryone();
    const entries = scenario.entries();
    const kinds = entries.map((e) => (e.kind === 'webhook' ? e.requestType : e.kind === 'caller' ? `${e.caller} ${e.action}` : e.kind));
    assert.deepEqual(kinds.slice(0, 2), ['alice calls', 'inboundCall']);
    for (const kind of ['alice hears', 'alice presses', 'getDigits', 'createConference', 'conferenceStatus', 'callStatus', 'alice hangs up']) {
      assert.ok(kinds.includes(kind), `${kind} in ${kinds.join(', ')}`);
    }
    assert.ok(kinds.indexOf('alice presses') < kinds.indexOf('getDigits'), 'in the order it happened');
    assert.deepEqual(scenario.problems(entries), []);
  } finally {
    await run.stop();
  }
});

test('an invalid answer ends the call; the wait fails at once; the problem names pointer and rule', async () => {
  const run = await gatedRun();
  try {
    const scenario = new GatedScenario(run, 'invalid');
    await scenario.callApp('bob');
    await scenario.press('bob', '9#');
    await assert.rejects(scenario.inConference('bob'), /waited for "bob" to be in a conference \(variant: default\); it can no longer happen: the call ended \(completed, appInvalidPercl\)/);
    const problems = scenario.problems(scenario.entries());
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /getDigits to http:\/\/127\.0\.0\.1:\d+\/digits was answered with invalid PerCL:\n {2}\/0\/Say\/text \[required\]/);
  } finally {
    await run.stop();
  }
});

test('an app that answers unsigned, forged and stale webhooks is told each time', async () => {
  const run = await gatedRun();
  try {
    const problems = await new GatedScenario(run, 'probes').probeSignatures();
    assert.equal(problems.length, 6, problems.join('\n'));
    for (const kind of ['an unsigned inboundCall', 'a forged inboundCall', 'a stale inboundCall']) {
      assert.ok(problems.some((p) => p.startsWith(kind) && /expected a 4xx answer, got HTTP 200/.test(p)), kind);
      assert.ok(problems.some((p) => p.startsWith(kind) && /PerCL that would connect the call/.test(p)), kind);
    }
  } finally {
    await run.stop();
  }
});

/** The app's REST request, sent to the simulator's HTTP server as an app would (errors are the test's, once it stopped the run). */
function terminateThrough(run: GatedRun): (conferenceId: string) => Promise<void> {
  return (conferenceId) =>
    new Promise((resolve) => {
      const { accountId, apiKey } = run.sim.credentials();
      const body = JSON.stringify({ status: 'terminated' });
      const req = http.request(`${run.sim.apiBaseUrl}/Accounts/${accountId}/Conferences/${conferenceId}`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${accountId}:${apiKey}`).toString('base64')}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      }, (res) => res.resume().on('end', () => resolve()));
      req.on('error', () => resolve());
      req.end(body);
    });
}

test('a REST request the app sends after its answer is awaited before the gate reads the conference; the grace is measured', async () => {
  // A floor well above the app's 30 ms: on a loaded machine the app's timer itself fires late, and
  // this test is about the wait, not about the default floor (quiet.test.ts has that).
  const run = await gatedRun({ HARNESS_APP_VOICE_PATH: '/hold', HARNESS_APP_GRACE_FLOOR_MS: '400' });
  try {
    terminate = terminateThrough(run);
    // Long enough for the webhooks its hang-up caused to be answered first, even on a loaded machine.
    deferMs = 150;
    const scenario = new GatedScenario(run, 'terminate after answering');
    await scenario.callApp('alice');
    await scenario.inConference('alice');
    await scenario.hangUp('alice');
    assert.equal(await scenario.conferenceStatusOf('alice'), 'terminated');
    await scenario.hangUpEveryone();
    assert.deepEqual(scenario.problems(scenario.entries()), []);
    const grace = run.graceSummary();
    assert.equal(grace.probed, 0, 'an app in this process: no quiet probe, the grace alone');
    // Measured from the app's last answer (a status webhook may be answered after the leave one).
    assert.ok(grace.samples >= 1 && grace.longestGapMs! > 0, JSON.stringify(grace));
    assert.ok(grace.graceMs >= Math.min(1000, 2 * grace.longestGapMs!), 'twice the gap, at least');
  } finally {
    await run.stop();
  }
});

test('the same check fails when the gate does not wait for the app (a grace of 1 ms): the check can fail', async () => {
  const run = await gatedRun({ HARNESS_APP_VOICE_PATH: '/hold', HARNESS_APP_GRACE_FLOOR_MS: '1', HARNESS_APP_GRACE_CEILING_MS: '1' });
  try {
    terminate = terminateThrough(run);
    deferMs = 300;
    const scenario = new GatedScenario(run, 'terminate long after answering');
    await scenario.callApp('alice');
    await scenario.inConference('alice');
    await scenario.hangUp('alice');
    assert.equal(await scenario.conferenceStatusOf('alice'), 'empty');
  } finally {
    await run.stop();
  }
});

test('a named person is on the call the app placed to their number without "Then the app calls"; "has not called" only when it has not', async () => {
  const run = await gatedRun({ HARNESS_APP_VOICE_PATH: '/dial' });
  answers['/dial'] = () => [{ OutDial: { destination: '+15550107777', callingNumber: run.appNumber, actionUrl: `${base}/dial/start`, callConnectUrl: `${base}/dial/connect` } }];
  try {
    const scenario = new GatedScenario(run, 'named person');
    scenario.isAt('agent', '+15550107777');
    scenario.isAt('nobody', '+15550109999');
    await scenario.callApp('alice');
    await scenario.callEnds('agent').catch(() => undefined);
    assert.equal(scenario.caller('agent').from, '+15550107777');
    await scenario.notInConference('nobody');
    assert.throws(() => scenario.caller('nobody'), /the app has not called "nobody" \(at \+15550109999\) in this scenario \(variant: default\)\.\nthe app called \+15550107777/);
    // "Then the app calls" after a step already named the person takes that same call.
    await scenario.appCalls('agent');
    await scenario.hangUpEveryone();
    const callers = scenario.conversation(scenario.entries()).callers.map((c) => c.name);
    assert.deepEqual(callers.sort(), ['agent', 'alice']);
  } finally {
    delete answers['/dial'];
    await run.stop();
  }
});

// App mode of the simulator, without Cucumber: a caller calls a small app (an in-test HTTP server,
// as if HARNESS_APP_COMMAND were unset), presses keys after the app's 30-second Pause, which
// passes in virtual time only, joins a conference; what the caller heard and the conversation are
// recorded; an invalid PerCL answer is reported with its pointer and rule.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { GatedRun } from '../support/app-gate/gated-run';
import { GatedScenario } from '../support/app-gate/gated-scenario';
import { loadConfig } from '../support/config';

let app: http.Server;
let base = '';
const answers: Record<string, (body: Record<string, unknown>) => unknown> = {
  '/voice': () => [{ Pause: { length: 30_000 } }, { GetDigits: { actionUrl: `${base}/digits`, finishOnKey: '#', prompts: [{ Say: { text: 'Enter your room number' } }] } }],
  '/digits': (b) => (b.digits === '1234' ? [{ Say: { text: 'Joining' } }, { CreateConference: { actionUrl: `${base}/created`, statusCallbackUrl: `${base}/status` } }] : [{ Say: {} }]),
  '/created': (b) => [{ AddToConference: { conferenceId: b.conferenceId } }],
};

before(async () => {
  app = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const answer = answers[req.url ?? '']?.(JSON.parse(raw || '{}') as Record<string, unknown>);
      if (answer === undefined) res.writeHead(204).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(app.address() as { port: number }).port}`;
});
after(() => app.close());

async function gatedRun(): Promise<GatedRun> {
  const cfg = loadConfig({ HARNESS_APP_URL: base, HARNESS_APP_JOIN_DIGITS: '1234#' });
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

// The people the account calls (support/simulator/phones.ts), on virtual time: who answers, after
// how long, and which webhooks follow each outcome (reference §2.2, §3.4, §4.2, §4.3, OutDial row
// of §5.3). Webhooks are captured in process through the simulator's `post` hook, so the tests
// see exactly the bodies an app would get, and each body must pass the receiver's schema.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { BUSY_AFTER_MS, createSimulator, ONE_RING_MS, type Simulator, type SimulatorOptions } from '../support/simulator';
import { SimulatorError } from '../support/simulator/engine';
import type { CallState } from '../support/simulator/state';
import { answerIsRun, checkWebhook } from '../support/schemas/webhooks';

type Body = Record<string, unknown>;
interface Hit {
  path: string;
  body: Body;
}

const BASE = 'http://app.test';
const AGENT = '+15550107777';
const CALLER = '+13121000109';

interface Rig {
  sim: Simulator;
  hits: Hit[];
  /** Bodies received on `path`, in order. */
  at(path: string): Body[];
  /** What the app answers on `path` (PerCL), or nothing (204). */
  on(path: string, answer: unknown[] | ((body: Body) => unknown[] | undefined)): void;
  url(path: string): string;
  /** POST /Calls through the engine, reporting to /connect and /calls. */
  makeCall(to: string, extra?: Record<string, unknown>): CallState;
  /** A parent call to an unnamed number (connected at once) whose script is one OutDial to `to`. */
  outDial(to: string, attrs?: Record<string, unknown>): Promise<{ parent: CallState; child: () => CallState }>;
  /** "requestType:callStatus" of everything received, in order. */
  trail(): string[];
}

async function rig(t: TestContext, opts: Pick<SimulatorOptions, 'variants' | 'fault'> = {}): Promise<Rig> {
  const hits: Hit[] = [];
  const answers = new Map<string, unknown[] | ((body: Body) => unknown[] | undefined)>();
  const sim = createSimulator({
    ...opts,
    post: async (url, raw) => {
      const path = new URL(url).pathname;
      const body = JSON.parse(raw) as Body;
      hits.push({ path, body });
      const found = answers.get(path);
      const answer = typeof found === 'function' ? found(body) : found;
      return answer === undefined ? { ok: true, status: 204, text: '' } : { ok: true, status: 200, text: JSON.stringify(answer) };
    },
  });
  t.after(() => {
    sim.close();
    assert.deepEqual(sim.errors, [], 'the simulator raised no internal errors');
    for (const { path, body } of hits) {
      const checked = checkWebhook(JSON.stringify(body));
      assert.ok(checked.ok, `${path} ${String(body.requestType)} passes the receiver's schema: ${checked.ok ? '' : checked.message}`);
    }
  });
  const url = (path: string) => `${BASE}${path}`;
  const r: Rig = {
    sim,
    hits,
    at: (path) => hits.filter((h) => h.path === path).map((h) => h.body),
    on: (path, answer) => answers.set(path, answer),
    url,
    makeCall: (to, extra = {}) => sim.engine.makeCall({ from: CALLER, to, callConnectUrl: url('/connect'), statusCallbackUrl: url('/calls'), ...extra }),
    async outDial(to, attrs = {}) {
      r.on('/parent', [
        { OutDial: { actionUrl: url('/started'), callConnectUrl: url('/agent-connect'), callingNumber: CALLER, destination: to, statusCallbackUrl: url('/agent-status'), ...attrs } },
      ]);
      const parent = sim.engine.makeCall({ from: CALLER, to: '+15550100001', callConnectUrl: url('/parent'), statusCallbackUrl: url('/calls') });
      await sim.settle();
      return { parent, child: () => sim.callsTo(to).at(-1)! };
    },
    trail: () => hits.map((h) => `${String(h.body.requestType)}:${String(h.body.callStatus)}`),
  };
  return r;
}

const say = (text: string) => [{ Say: { text } }, { Pause: { length: 600_000 } }];

// ------------------------------------------------------------------ unnamed numbers

test('a number nobody was put at answers at once, as before (no virtual time passes)', async (t) => {
  const r = await rig(t);
  r.on('/connect', say('hi'));
  const call = r.makeCall('+15550109999');
  await r.sim.settle();
  assert.equal(call.status, 'inProgress');
  assert.equal(call.connectTime, call.startTime);
  const [connect] = r.at('/connect');
  assert.equal(connect.requestType, 'outDialApiConnect');
  assert.equal(connect.callStatus, 'inProgress');
  assert.equal(connect.dialCallStatus, 'inProgress', '§4.3: dialCallStatus duplicates callStatus');
  assert.equal(r.sim.call(call.callId)?.answeredBy, undefined);
});

// ------------------------------------------------------------------ a person who answers

test('a named person answers after one ring; the connect answer runs on the call', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'human', name: 'agent' });
  r.on('/connect', say('hello agent'));
  const call = r.makeCall(AGENT);
  await r.sim.settle();
  assert.equal(call.status, 'ringing');
  assert.deepEqual(r.at('/connect'), [], 'nothing is sent while it rings');
  await r.sim.advance(ONE_RING_MS - 1);
  assert.equal(call.status, 'ringing');
  await r.sim.advance(1);
  assert.equal(call.status, 'inProgress');
  assert.equal(call.connectTime! - call.startTime!, ONE_RING_MS);
  assert.deepEqual(r.trail(), ['outDialApiConnect:inProgress']);
  assert.deepEqual(call.heard?.map((h) => h.text), ['hello agent']);
  assert.equal(call.answeredBy, undefined, '§3.4: answeredBy only when machine detection was used');
});

test('§3.4 a person answering a call placed with ifMachine is answeredBy human (REST shows it)', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'human' });
  r.on('/connect', say('hi'));
  const call = r.makeCall(AGENT, { ifMachine: 'hangup' });
  await r.sim.advance(ONE_RING_MS);
  assert.equal(call.status, 'inProgress');
  assert.equal(call.answeredBy, 'human');
  assert.equal(r.sim.engine.state.calls.get(call.callId)?.answeredBy, 'human');
});

test('a dialler timeout shorter than one ring ends the call noAnswer before the person picks up', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'human' });
  const call = r.makeCall(AGENT, { timeout: 5 });
  await r.sim.advance(ONE_RING_MS);
  assert.equal(call.status, 'noAnswer');
  assert.equal(call.endTime! - call.startTime!, 5000);
  assert.deepEqual(r.trail(), ['outDialApiConnect:noAnswer', 'callStatus:noAnswer']);
});

// ------------------------------------------------------------------ no answer

test('§2.2 POST /Calls to a person who does not answer rings the default 30 s, then connect noAnswer (PerCL ignored), then callStatus', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'noAnswer' });
  r.on('/connect', say('should never be heard'));
  const call = r.makeCall(AGENT);
  await r.sim.advance(29_999);
  assert.equal(call.status, 'ringing');
  assert.deepEqual(r.hits, []);
  await r.sim.advance(1);
  assert.deepEqual(r.trail(), ['outDialApiConnect:noAnswer', 'callStatus:noAnswer']);
  const [connect] = r.at('/connect');
  assert.equal(connect.dialCallStatus, 'noAnswer');
  assert.equal(answerIsRun('outDialApiConnect', connect), false, '§4.2: a connect webhook that is not inProgress is a notification');
  const [status] = r.at('/calls');
  assert.equal(status.callEndedReason, 'noAnswer');
  assert.equal(call.heard, undefined, 'the connect answer was not run');
  const rest = r.sim.handle({ method: 'GET', url: `/apiserver/Accounts/${r.sim.accountId}/Calls/${call.callId}`, headers: auth(r.sim), body: '' });
  const json = JSON.parse(rest.body ?? 'null') as Body;
  assert.equal(json.status, 'noAnswer');
  assert.equal(json.duration, null, '§3.4: duration is empty for an unanswered call');
  assert.equal(json.connectTime, null);
});

test('§2.2 POST /Calls timeout is the ring time', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'noAnswer' });
  const call = r.makeCall(AGENT, { timeout: 12 });
  await r.sim.advance(12_000);
  assert.equal(call.status, 'noAnswer');
  assert.equal(call.endTime! - call.startTime!, 12_000);
});

test('§5.3 OutDial to a person who does not answer: outDialStart, then outDialConnect noAnswer after the default timeout (variant 30), then callStatus to the OutDial statusCallbackUrl', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'noAnswer' });
  const { parent, child } = await r.outDial(AGENT);
  const [start] = r.at('/started');
  assert.equal(start.requestType, 'outDialStart');
  assert.equal(start.callId, parent.callId);
  assert.equal(start.dialCallId, child().callId);
  await r.sim.advance(30_000);
  assert.equal(child().status, 'noAnswer');
  const connect = r.at('/agent-connect');
  assert.deepEqual(connect.map((b) => [b.requestType, b.callStatus, b.dialCallStatus, b.parentCallId]), [['outDialConnect', 'noAnswer', 'noAnswer', parent.callId]]);
  const status = r.at('/agent-status');
  assert.deepEqual(status.map((b) => [b.requestType, b.callStatus, b.callEndedReason, b.callId]), [['callStatus', 'noAnswer', 'noAnswer', child().callId]]);
  const order = r.hits.map((h) => h.path).filter((p) => p.startsWith('/agent'));
  assert.deepEqual(order, ['/agent-connect', '/agent-status'], 'callStatus follows the connect webhook');
});

test('[not found] variant outDialTimeoutDefault=60: an OutDial without timeout rings 60 s', async (t) => {
  const r = await rig(t, { variants: 'outDialTimeoutDefault=60' });
  r.sim.setPhone(AGENT, { answer: 'noAnswer' });
  const { child } = await r.outDial(AGENT);
  await r.sim.advance(59_999);
  assert.equal(child().status, 'ringing');
  await r.sim.advance(1);
  assert.equal(child().status, 'noAnswer');
});

test('§5.3 an OutDial timeout attribute overrides the default', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'noAnswer' });
  const { child } = await r.outDial(AGENT, { timeout: 20 });
  await r.sim.advance(20_000);
  assert.equal(child().status, 'noAnswer');
});

// ------------------------------------------------------------------ busy

test('a busy line ends the call busy shortly after dialling: connect busy, then callStatus busy', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'busy' });
  const call = r.makeCall(AGENT);
  await r.sim.settle();
  assert.equal(call.status, 'ringing');
  await r.sim.advance(BUSY_AFTER_MS);
  assert.equal(call.status, 'busy');
  assert.deepEqual(r.trail(), ['outDialApiConnect:busy', 'callStatus:busy']);
  assert.equal(r.at('/calls')[0].callEndedReason, 'busy');
  assert.equal(r.at('/connect')[0].dialCallStatus, 'busy');
});

test('§4.2 a call to an account number with no voiceUrl fails: connect failed, then callStatus failed', async (t) => {
  const r = await rig(t);
  r.sim.addNumber('+15550102222');
  const call = r.makeCall('+15550102222');
  await r.sim.settle();
  assert.equal(call.status, 'failed');
  assert.deepEqual(r.trail(), ['outDialApiConnect:failed', 'callStatus:failed']);
});

// ------------------------------------------------------------------ machines

test('a machine with no ifMachine is connected like a person; answeredBy stays unset', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'machine' });
  r.on('/connect', say('leave a message'));
  const call = r.makeCall(AGENT);
  await r.sim.advance(ONE_RING_MS);
  assert.deepEqual(r.trail(), ['outDialApiConnect:inProgress']);
  assert.deepEqual(call.heard?.map((h) => h.text), ['leave a message']);
  assert.equal(call.answeredBy, undefined);
});

test('ifMachine=hangup: the machine answers and FreeClimb hangs up (completed, machineDetected); no connect webhook', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'machine' });
  const call = r.makeCall(AGENT, { ifMachine: 'hangup' });
  await r.sim.advance(ONE_RING_MS);
  assert.deepEqual(r.trail(), ['callStatus:completed']);
  assert.equal(r.at('/calls')[0].callEndedReason, 'machineDetected');
  assert.equal(call.answeredBy, 'machine');
  const rest = r.sim.handle({ method: 'GET', url: `/apiserver/Accounts/${r.sim.accountId}/Calls/${call.callId}`, headers: auth(r.sim), body: '' });
  assert.equal((JSON.parse(rest.body ?? 'null') as Body).answeredBy, 'machine');
});

test('§4.2 OutDial ifMachine=redirect: machineDetected to ifMachineUrl (std + parentCallId + machineType), its PerCL runs on the child', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'machine' });
  r.on('/machine', say('sorry we missed you'));
  const { parent, child } = await r.outDial(AGENT, { ifMachine: 'redirect', ifMachineUrl: r.url('/machine') });
  await r.sim.advance(ONE_RING_MS);
  const [detected] = r.at('/machine');
  assert.equal(detected.requestType, 'machineDetected');
  assert.equal(detected.callId, child().callId);
  assert.equal(detected.parentCallId, parent.callId);
  assert.equal(detected.machineType, 'answering machine');
  assert.equal(detected.callStatus, 'inProgress');
  assert.equal(detected.direction, 'outboundDial');
  assert.deepEqual(r.at('/agent-connect'), [], 'the connect webhook is not sent as well');
  assert.deepEqual(child().heard?.map((h) => h.text), ['sorry we missed you']);
  assert.equal(child().answeredBy, 'machine');
});

test('variant machineType=answeringMachine: the SDK 2.1.3 spelling', async (t) => {
  const r = await rig(t, { variants: 'machineType=answeringMachine' });
  r.sim.setPhone(AGENT, { answer: 'machine' });
  r.makeCall(AGENT, { ifMachine: 'redirect', ifMachineUrl: r.url('/machine') });
  await r.sim.advance(ONE_RING_MS);
  assert.equal(r.at('/machine')[0].machineType, 'answeringMachine');
});

test('§2.2 POST /Calls refuses ifMachine=redirect without ifMachineUrl, and hangup with one', async (t) => {
  const r = await rig(t);
  const post = (body: Body) =>
    r.sim.handle({ method: 'POST', url: `/apiserver/Accounts/${r.sim.accountId}/Calls`, headers: { ...auth(r.sim), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const base = { from: CALLER, to: AGENT, callConnectUrl: r.url('/connect') };
  assert.equal(post({ ...base, ifMachine: 'redirect' }).status, 400);
  assert.equal(post({ ...base, ifMachine: 'hangup', ifMachineUrl: r.url('/machine') }).status, 400);
  assert.ok(post({ ...base, ifMachine: 'redirect', ifMachineUrl: r.url('/machine') }).status < 300);
});

// ------------------------------------------------------------------ deprecated fields

test('variant deprecatedFields=omitted: no dialCallStatus on either connect webhook', async (t) => {
  const r = await rig(t, { variants: 'deprecatedFields=omitted' });
  r.sim.setPhone(AGENT, { answer: 'busy' });
  r.makeCall('+15550109999');
  await r.outDial(AGENT);
  await r.sim.advance(BUSY_AFTER_MS);
  const connects = r.hits.filter((h) => /connect/i.test(String(h.body.requestType)));
  assert.equal(connects.length, 3);
  for (const { body } of connects) assert.ok(!('dialCallStatus' in body), `${String(body.requestType)} has no dialCallStatus`);
});

// ------------------------------------------------------------------ the gate's handles on these calls

test('callsTo lists the calls placed to a number, oldest first, OutDial children and POST /Calls alike', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'human' });
  const first = r.makeCall(AGENT);
  const { child } = await r.outDial(AGENT);
  assert.deepEqual(r.sim.callsTo(AGENT).map((c) => c.callId), [first.callId, child().callId]);
  assert.deepEqual(r.sim.callsTo('+15550100002'), []);
});

test('the person an OutDial reached presses keys into the child call\'s GetDigits, then hangs up', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'human' });
  r.on('/agent-connect', [{ GetDigits: { actionUrl: r.url('/digits'), maxDigits: 1 } }]);
  r.on('/digits', say('accepted'));
  const { child } = await r.outDial(AGENT);
  await r.sim.advance(ONE_RING_MS);
  r.sim.press(child().callId, '1');
  await r.sim.settle();
  const [digits] = r.at('/digits');
  assert.equal(digits.callId, child().callId);
  assert.equal(digits.digits, '1');
  assert.equal(digits.reason, 'maxDigits');
  r.sim.hangUpFarEnd(child().callId);
  await r.sim.settle();
  assert.deepEqual(r.at('/agent-status').map((b) => [b.callStatus, b.callEndedReason]), [['completed', 'farEndHangup']]);
});

test('the person a POST /Calls call reached presses keys and hangs up', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'human' });
  r.on('/connect', [{ GetDigits: { actionUrl: r.url('/digits'), finishOnKey: '#' } }]);
  r.on('/digits', say('thanks'));
  const call = r.makeCall(AGENT);
  await r.sim.advance(ONE_RING_MS);
  r.sim.press(call.callId, '42#');
  await r.sim.settle();
  assert.equal(r.at('/digits')[0].digits, '42');
  r.sim.hangUpFarEnd(call.callId);
  await r.sim.settle();
  assert.deepEqual(r.at('/calls').map((b) => [b.callId, b.callEndedReason]), [[call.callId, 'farEndHangup']]);
});

test('a call canceled while it rings leaves no ring timer behind', async (t) => {
  const r = await rig(t);
  r.sim.setPhone(AGENT, { answer: 'noAnswer' });
  const call = r.makeCall(AGENT);
  await r.sim.settle();
  assert.notEqual(r.sim.clock.nextDue(), undefined);
  r.sim.engine.updateCall(call, 'canceled');
  assert.equal(r.sim.clock.nextDue(), undefined);
  await r.sim.advance(60_000);
  assert.deepEqual(r.trail(), ['callStatus:canceled']);
});

test('setPhone refuses a number of the account, and a later setPhone replaces the behaviour', async (t) => {
  const r = await rig(t);
  r.sim.addNumber('+15550102222');
  assert.throws(() => r.sim.setPhone('+15550102222', { answer: 'human' }), (e) => e instanceof SimulatorError && e.status === 409);
  r.sim.setPhone(AGENT, { answer: 'human' });
  r.sim.setPhone(AGENT, { answer: 'busy' });
  assert.deepEqual(r.sim.phone(AGENT), { answer: 'busy' });
});

function auth(sim: Simulator): Record<string, string> {
  const { accountId, apiKey } = sim.credentials();
  return { authorization: `Basic ${Buffer.from(`${accountId}:${apiKey}`).toString('base64')}` };
}

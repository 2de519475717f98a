// The simulator's lifecycle engine, tested directly (no cucumber, no REST): conferences and calls
// are driven through `sim.engine`, and every webhook lands on a tiny local HTTP server that records
// the JSON body and answers with scripted PerCL. Test names cite reference §6 (and §4/§5 where the
// rule lives there): /work/shared/reference/freeclimb-conferences.md.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSimulator, type Simulator, type SimulatorOptions } from '../support/simulator';
import { SimulatorError } from '../support/simulator/engine';
import type { CallState, ConferenceState } from '../support/simulator/state';
import { Webhook } from '../support/schemas/webhooks';

// ------------------------------------------------------------------ webhook capture

type Body = Record<string, unknown>;
interface Hit {
  path: string;
  body: Body;
}
/** A path's answer: PerCL (sent as JSON), a raw string, an HTTP error, or any of these computed from the body. */
type Reply = unknown[] | string | { status: number };
type Answer = Reply | ((body: Body) => Reply | undefined);

/** Records every webhook; answers from a per-path table, or 204 with no body. */
class Hooks {
  readonly hits: Hit[] = [];
  private readonly answers = new Map<string, Answer>();
  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<Hooks> {
    const server = http.createServer();
    const hooks = new Hooks(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = (req.url ?? '/').split('?')[0];
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
        hooks.hits.push({ path, body });
        let answer = hooks.answers.get(path);
        if (typeof answer === 'function') answer = answer(body);
        if (answer === undefined) {
          res.writeHead(204).end();
          return;
        }
        if (!Array.isArray(answer) && typeof answer === 'object') {
          res.writeHead(answer.status).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(typeof answer === 'string' ? answer : JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return hooks;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  on(path: string, answer: Answer): void {
    this.answers.set(path, answer);
  }

  /** Bodies received on `path`, in arrival order. */
  at(path: string): Body[] {
    return this.hits.filter((h) => h.path === path).map((h) => h.body);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ------------------------------------------------------------------ simulator + helpers

const STATUS = '/status'; // conference statusCallbackUrl
const CALLS = '/calls'; // every call's statusCallbackUrl (callStatus)

interface Rig {
  sim: Simulator;
  hooks: Hooks;
  /** A conference created through the engine, reporting to STATUS. */
  conference(input?: { record?: boolean }): ConferenceState;
  /** Places a call to a simulated phone; its outDialApiConnect is answered with `script`. */
  call(script: Answer): CallState;
  /** A call whose connect answer is AddToConference for `conf` (startConfOnEnter defaults to true, §5.2). */
  join(conf: ConferenceState, attrs?: Record<string, unknown>): CallState;
}

let calls = 0;

async function rig(t: TestContext, opts: Pick<SimulatorOptions, 'variants' | 'fault'> = {}): Promise<Rig> {
  const hooks = await Hooks.start();
  const sim = createSimulator(opts);
  t.after(async () => {
    sim.close();
    await hooks.close();
    assert.deepEqual(sim.errors, [], 'the simulator raised no internal errors');
    for (const { path, body } of hooks.hits) {
      const parsed = Webhook.safeParse(body);
      assert.ok(parsed.success, `${path} ${String(body.requestType)} matches the webhook schema (§4.3): ${parsed.error?.message}`);
    }
  });
  const call = (script: Answer) => {
    const path = `/connect/${++calls}`;
    hooks.on(path, script);
    return sim.engine.makeCall({ from: '+13121000109', to: `+1312555${String(calls).padStart(4, '0')}`, callConnectUrl: hooks.url(path), statusCallbackUrl: hooks.url(CALLS) });
  };
  return {
    sim,
    hooks,
    conference: (input = {}) => sim.engine.createConference({ ...input, statusCallbackUrl: hooks.url(STATUS) }),
    call,
    join: (conf, attrs = {}) => call([{ AddToConference: { conferenceId: conf.conferenceId, ...attrs } }]),
  };
}

const NON_MODERATOR = { startConfOnEnter: false };

/** `status` of each conference callback (creation and conferenceStatus), in order. */
function statuses(hooks: Hooks): unknown[] {
  return hooks
    .at(STATUS)
    .filter((b) => b.requestType !== 'conferenceRecordingStatus')
    .map((b) => b.status);
}

/** `requestType:status` of everything sent to the conference's statusCallbackUrl. */
function statusTrail(hooks: Hooks): string[] {
  return hooks.at(STATUS).map((b) => `${String(b.requestType)}:${String(b.status)}`);
}

function callStatusOf(hooks: Hooks, call: CallState): Body {
  const found = hooks.at(CALLS).filter((b) => b.callId === call.callId);
  assert.equal(found.length, 1, `exactly one callStatus for ${call.callId}`);
  return found[0];
}

function assertEnded(hooks: Hooks, call: CallState, reason: string): void {
  assert.equal(call.status, 'completed');
  assert.equal(call.endedReason, reason);
  const body = callStatusOf(hooks, call);
  assert.equal(body.requestType, 'callStatus');
  assert.equal(body.callStatus, 'completed');
  assert.equal(body.callEndedReason, reason);
}

const is409 = (e: unknown) => e instanceof SimulatorError && e.status === 409;

// ------------------------------------------------------------------ creation (§6.1, §6.2)

test('§6.2 a new conference is empty and statusCallbackUrl gets createConference with status empty', async (t) => {
  const { sim, hooks, conference } = await rig(t);
  const conf = conference();
  assert.equal(conf.status, 'empty');
  assert.equal(conf.participants.size, 0);
  await sim.settle();
  const bodies = hooks.at(STATUS);
  assert.equal(bodies.length, 1);
  assert.equal(bodies[0].requestType, 'createConference');
  assert.equal(bodies[0].status, 'empty');
  assert.equal(bodies[0].conferenceId, conf.conferenceId);
  assert.equal(bodies[0].accountId, sim.accountId);
  assert.equal(bodies[0].recordingId, null);
});

test('§6.2 [AMBIGUOUS] variant creationCallback=conferenceStatus: the creation callback is a conferenceStatus empty', async (t) => {
  const { sim, hooks, conference } = await rig(t, { variants: 'creationCallback=conferenceStatus' });
  conference();
  await sim.settle();
  assert.deepEqual(statusTrail(hooks), ['conferenceStatus:empty']);
});

test('§6.1 AddToConference for a conference that does not exist fails (perclProcessingError)', async (t) => {
  const { sim, hooks, call } = await rig(t);
  const c = call([{ AddToConference: { conferenceId: 'CF' + '0'.repeat(40) } }]);
  await sim.settle();
  assertEnded(hooks, c, 'perclProcessingError');
});

// ------------------------------------------------------------------ joining (§6.5, §6.7, §6.19)

test('§6.5 first non-moderator join → populated, reported with the joining call', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference();
  const c = join(conf, NON_MODERATOR);
  await sim.settle();
  assert.equal(conf.status, 'populated');
  assert.deepEqual(statuses(hooks), ['empty', 'populated']);
  const populated = hooks.at(STATUS)[1];
  assert.equal(populated.requestType, 'conferenceStatus');
  assert.equal(populated.callId, c.callId);
  assert.equal(populated.conferenceId, conf.conferenceId);
  assert.equal(c.status, 'inProgress', 'the participant call stays up');
  assert.equal(c.conferenceId, conf.conferenceId);
});

test('§6.7 a start-moderator joining a populated conference → inProgress', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference();
  join(conf, NON_MODERATOR);
  await sim.settle();
  join(conf, NON_MODERATOR);
  await sim.settle();
  assert.deepEqual(statuses(hooks), ['empty', 'populated'], 'a second non-moderator changes nothing');
  join(conf, { startConfOnEnter: true });
  await sim.settle();
  assert.equal(conf.status, 'inProgress');
  assert.deepEqual(statuses(hooks), ['empty', 'populated', 'inProgress']);
  join(conf);
  await sim.settle();
  assert.deepEqual(statuses(hooks), ['empty', 'populated', 'inProgress'], 'a second moderator changes nothing');
  assert.equal(sim.engine.activeParticipants(conf).length, 4);
});

test('§6.7 [AMBIGUOUS] first joiner is a start-moderator (default startConfOnEnter): populated then inProgress', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference();
  join(conf);
  await sim.settle();
  assert.deepEqual(statuses(hooks), ['empty', 'populated', 'inProgress']);
});

test('§6.7 [AMBIGUOUS] variant startModeratorFirstJoin=inProgressOnly: a first moderator gives only inProgress', async (t) => {
  const { sim, hooks, conference, join } = await rig(t, { variants: 'startModeratorFirstJoin=inProgressOnly' });
  const conf = conference();
  join(conf);
  await sim.settle();
  assert.equal(conf.status, 'inProgress');
  assert.deepEqual(statuses(hooks), ['empty', 'inProgress']);
});

test('§6.19 addToConferenceNotification reaches notificationUrl after the status callback (default order)', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference();
  const c = join(conf, { ...NON_MODERATOR, notificationUrl: hooks.url('/joined') });
  await sim.settle();
  const [note] = hooks.at('/joined');
  assert.equal(note.requestType, 'addToConferenceNotification');
  assert.equal(note.callId, c.callId);
  assert.equal(note.conferenceId, conf.conferenceId);
  const order = hooks.hits.filter((h) => h.path === STATUS || h.path === '/joined').map((h) => h.path);
  assert.deepEqual(order, [STATUS, STATUS, '/joined']);
});

// ------------------------------------------------------------------ leaving and reuse (§6.9, §6.11, §6.17)

test('§6.9 last leave → empty; §6.11 the conference is joined again and the status cycle repeats', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference();
  const a = join(conf, NON_MODERATOR);
  const b = join(conf, NON_MODERATOR);
  await sim.settle();
  sim.hangUpFarEnd(a.callId);
  await sim.settle();
  assert.equal(conf.status, 'populated', 'one participant is still there');
  sim.engine.updateCall(b, 'completed');
  await sim.settle();
  assert.equal(conf.status, 'empty');
  assert.equal(sim.engine.activeParticipants(conf).length, 0);
  assertEnded(hooks, a, 'farEndHangup');
  assertEnded(hooks, b, 'appHangup');

  const c = join(conf);
  await sim.settle();
  assert.equal(conf.status, 'inProgress');
  sim.hangUpFarEnd(c.callId);
  await sim.settle();
  assert.deepEqual(statuses(hooks), ['empty', 'populated', 'empty', 'populated', 'inProgress', 'empty']);
  assert.equal(conf.emptiedCount, 2);
  const lastEmpty = hooks.at(STATUS).at(-1)!;
  assert.equal(lastEmpty.callId, c.callId, 'the empty callback names the call that left');
});

test('§6.17 RemoveFromConference without leaveConferenceUrl disconnects the call; the conference empties', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference();
  const c = join(conf);
  await sim.settle();
  sim.engine.leave(c, 'removed');
  await sim.settle();
  assertEnded(hooks, c, 'removedFromConference');
  assert.equal(conf.status, 'empty');
});

test('§6.17 removing a participant with leaveConferenceUrl continues the call with the leaveConference answer', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  hooks.on('/left', [{ Say: { text: 'bye' } }, { Hangup: {} }]);
  const conf = conference();
  const c = join(conf, { leaveConferenceUrl: hooks.url('/left') });
  await sim.settle();
  sim.engine.leave(c, 'removed');
  await sim.settle();
  const [left] = hooks.at('/left');
  assert.equal(left.requestType, 'leaveConference');
  assert.equal(left.callId, c.callId);
  assert.equal(left.conferenceId, conf.conferenceId);
  assertEnded(hooks, c, 'appHangup');
  assert.equal(conf.status, 'empty');
});

test('§6.18 a participant that hangs up still gets leaveConference, and its answer is ignored', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference();
  const redirected = hooks.url('/never');
  hooks.on('/left', [{ Redirect: { actionUrl: redirected } }]);
  const c = join(conf, { leaveConferenceUrl: hooks.url('/left') });
  await sim.settle();
  sim.hangUpFarEnd(c.callId);
  await sim.settle();
  assert.equal(hooks.at('/left').length, 1);
  assert.equal(hooks.at('/never').length, 0);
  assertEnded(hooks, c, 'farEndHangup');
});

// ------------------------------------------------------------------ terminate (§6.12–§6.16)

test('§6.13/§6.14 terminate from populated: participants hung up (conferenceTerminated), then empty then terminated', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference();
  const a = join(conf, NON_MODERATOR);
  const b = join(conf, NON_MODERATOR);
  await sim.settle();
  sim.engine.terminate(conf);
  await sim.settle();
  assert.equal(conf.status, 'terminated');
  assertEnded(hooks, a, 'conferenceTerminated');
  assertEnded(hooks, b, 'conferenceTerminated');
  assert.equal(callStatusOf(hooks, a).conferenceId, null, 'callStatus conferenceId is null by default (§4.3 DOC)');
  assert.deepEqual(statusTrail(hooks), ['createConference:empty', 'conferenceStatus:populated', 'conferenceStatus:empty', 'conferenceStatus:terminated']);
  // default terminateCallOrder=participantsFirst: both callStatus webhooks precede the empty callback
  const paths = hooks.hits.map((h) => h.path).filter((p) => p === STATUS || p === CALLS);
  assert.deepEqual(paths.slice(-4), [CALLS, CALLS, STATUS, STATUS]);
});

test('§6.14 terminate from inProgress also reports empty then terminated', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference();
  const c = join(conf);
  await sim.settle();
  sim.engine.terminate(conf);
  await sim.settle();
  assert.deepEqual(statuses(hooks), ['empty', 'populated', 'inProgress', 'empty', 'terminated']);
  assertEnded(hooks, c, 'conferenceTerminated');
});

test('§6.13 variant terminateCallOrder=conferenceFirst: empty/terminated precede the participants\' callStatus', async (t) => {
  const { sim, hooks, conference, join } = await rig(t, { variants: 'terminateCallOrder=conferenceFirst' });
  const conf = conference();
  join(conf);
  await sim.settle();
  sim.engine.terminate(conf);
  await sim.settle();
  const paths = hooks.hits.map((h) => h.path).filter((p) => p === STATUS || p === CALLS);
  assert.deepEqual(paths.slice(-3), [STATUS, STATUS, CALLS]);
});

test('§6.15 terminate from empty: only terminated (default)', async (t) => {
  const { sim, hooks, conference } = await rig(t);
  const conf = conference();
  await sim.settle();
  sim.engine.terminate(conf);
  await sim.settle();
  assert.equal(conf.status, 'terminated');
  assert.deepEqual(statuses(hooks), ['empty', 'terminated']);
});

test('§6.15 variant terminateEmpty=emptyThenTerminated: terminate from empty gives empty, terminated', async (t) => {
  const { sim, hooks, conference } = await rig(t, { variants: 'terminateEmpty=emptyThenTerminated' });
  const conf = conference();
  await sim.settle();
  sim.engine.terminate(conf);
  await sim.settle();
  assert.deepEqual(statuses(hooks), ['empty', 'empty', 'terminated']);
});

test('§6.15 terminate from empty after reuse (the sample\'s "second empty"): only terminated', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference();
  const c = join(conf, NON_MODERATOR);
  await sim.settle();
  sim.hangUpFarEnd(c.callId);
  await sim.settle();
  sim.engine.terminate(conf);
  await sim.settle();
  assert.deepEqual(statuses(hooks), ['empty', 'populated', 'empty', 'terminated']);
});

test('§6.12 terminating twice throws a 409 SimulatorError and sends nothing more', async (t) => {
  const { sim, hooks, conference } = await rig(t);
  const conf = conference();
  sim.engine.terminate(conf);
  await sim.settle();
  const before = hooks.hits.length;
  assert.throws(() => sim.engine.terminate(conf), is409);
  await sim.settle();
  assert.equal(hooks.hits.length, before);
});

test('§6.12 AddToConference on a terminated conference fails (perclProcessingError); no populated follows', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference();
  sim.engine.terminate(conf);
  await sim.settle();
  const c = join(conf, { notificationUrl: hooks.url('/joined') });
  await sim.settle();
  assertEnded(hooks, c, 'perclProcessingError');
  assert.equal(conf.status, 'terminated');
  assert.deepEqual(statuses(hooks), ['empty', 'terminated']);
  assert.equal(hooks.at('/joined').length, 0);
  assert.equal(c.lastConferenceId, null, 'the call was never in the conference');
});

test('§6.16 TerminateConference from a call not in a conference fails (perclProcessingError)', async (t) => {
  const { sim, hooks, conference, call } = await rig(t);
  const conf = conference();
  const c = call([{ TerminateConference: {} }]);
  await sim.settle();
  assertEnded(hooks, c, 'perclProcessingError');
  assert.equal(conf.status, 'empty');
});

// ------------------------------------------------------------------ recording (§6.8, §6.10)

/** Record, start, let `ms` of virtual time pass, and have the only participant hang up. */
async function recordFor(r: Rig, ms: number): Promise<ConferenceState> {
  const conf = r.conference({ record: true });
  const c = r.join(conf);
  await r.sim.settle();
  assert.equal(conf.status, 'inProgress');
  await r.sim.advance(ms);
  r.sim.hangUpFarEnd(c.callId);
  await r.sim.settle();
  return conf;
}

test('§6.8/§6.10 recording from inProgress: last leave → empty then conferenceRecordingStatus with 90 s', async (t) => {
  const r = await rig(t);
  const conf = await recordFor(r, 90_000);
  assert.deepEqual(statusTrail(r.hooks).slice(-2), ['conferenceStatus:empty', 'conferenceRecordingStatus:empty']);
  const [empty, rec] = r.hooks.at(STATUS).slice(-2);
  assert.equal(empty.recordingId, undefined, 'separateWebhook: no recording fields on empty');
  assert.equal(rec.conferenceId, conf.conferenceId);
  assert.equal(rec.recordingDurationSec, 90);
  assert.match(String(rec.recordingId), /^RE[0-9a-f]{40}$/);
  assert.equal(rec.recordingUrl, `${r.sim.apiBaseUrl}/Accounts/${r.sim.accountId}/Recordings/${String(rec.recordingId)}/Download`);
  assert.equal(r.sim.engine.state.recordings.get(String(rec.recordingId))?.durationSec, 90);
});

test('§6.10 [AMBIGUOUS] variant recordingReport=fieldsOnEmpty: fields on the empty conferenceStatus, no separate webhook', async (t) => {
  const r = await rig(t, { variants: 'recordingReport=fieldsOnEmpty' });
  await recordFor(r, 90_000);
  const trail = statusTrail(r.hooks);
  assert.equal(trail.at(-1), 'conferenceStatus:empty');
  assert.ok(!trail.some((s) => s.startsWith('conferenceRecordingStatus')));
  const empty = r.hooks.at(STATUS).at(-1)!;
  assert.equal(empty.recordingDurationSec, 90);
  assert.match(String(empty.recordingId), /^RE/);
  assert.match(String(empty.recordingUrl), /\/Recordings\/RE[0-9a-f]{40}\/Download$/);
});

test('§6.10 variant recordingReport=both: fields on empty and a conferenceRecordingStatus with the same recording', async (t) => {
  const r = await rig(t, { variants: 'recordingReport=both' });
  await recordFor(r, 1_000);
  const [empty, rec] = r.hooks.at(STATUS).slice(-2);
  assert.equal(rec.requestType, 'conferenceRecordingStatus');
  assert.equal(empty.recordingId, rec.recordingId);
  assert.equal(rec.recordingDurationSec, 1);
});

test('§6.8 the recording is measured from inProgress, not from creation or populated', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference({ record: true });
  await sim.advance(10_000);
  join(conf, NON_MODERATOR);
  await sim.settle();
  await sim.advance(5_000);
  const moderator = join(conf);
  await sim.settle();
  await sim.advance(20_000);
  sim.engine.terminate(conf);
  await sim.settle();
  assert.ok(moderator.endTime !== null);
  const rec = hooks.at(STATUS).find((b) => b.requestType === 'conferenceRecordingStatus');
  assert.equal(rec?.recordingDurationSec, 20);
});

test('§6.8/§6.11 each start of a reused recording conference makes a new recording', async (t) => {
  const r = await rig(t);
  const conf = await recordFor(r, 3_000);
  const again = r.join(conf);
  await r.sim.settle();
  await r.sim.advance(7_000);
  r.sim.hangUpFarEnd(again.callId);
  await r.sim.settle();
  const recs = r.hooks.at(STATUS).filter((b) => b.requestType === 'conferenceRecordingStatus');
  assert.deepEqual(recs.map((b) => b.recordingDurationSec), [3, 7]);
  assert.notEqual(recs[0].recordingId, recs[1].recordingId);
});

test('§4.3 recordingDurationSec rounds up: 90 001 ms → 91', async (t) => {
  const r = await rig(t);
  await recordFor(r, 90_001);
  assert.equal(r.hooks.at(STATUS).at(-1)!.recordingDurationSec, 91);
});

test('§6.4/§6.8 a recorded conference that never reached inProgress records nothing', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference({ record: true });
  const c = join(conf, NON_MODERATOR);
  await sim.settle();
  await sim.advance(60_000);
  sim.hangUpFarEnd(c.callId);
  await sim.settle();
  assert.deepEqual(statusTrail(hooks), ['createConference:empty', 'conferenceStatus:populated', 'conferenceStatus:empty']);
  assert.equal(hooks.at(STATUS).at(-1)!.recordingId, undefined);
  assert.equal(sim.engine.state.recordings.size, 0);
});

test('§6.8 a conference created with record=false records nothing even when it starts', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference();
  const c = join(conf);
  await sim.settle();
  await sim.advance(30_000);
  sim.hangUpFarEnd(c.callId);
  await sim.settle();
  assert.ok(!statusTrail(hooks).some((s) => s.startsWith('conferenceRecordingStatus')));
  assert.equal(sim.engine.state.recordings.size, 0);
});

test('§6.10 terminating a recording conference reports the recording before terminated (default recordingTiming)', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference({ record: true });
  join(conf);
  await sim.settle();
  await sim.advance(5_000);
  sim.engine.terminate(conf);
  await sim.settle();
  assert.deepEqual(statusTrail(hooks).slice(-3), ['conferenceStatus:empty', 'conferenceRecordingStatus:empty', 'conferenceStatus:terminated']);
  assert.equal(hooks.at(STATUS).at(-2)!.recordingDurationSec, 5);
});

test('§6.10 variant recordingTiming=afterTerminated: the recording is reported after terminated', async (t) => {
  const { sim, hooks, conference, join } = await rig(t, { variants: 'recordingTiming=afterTerminated' });
  const conf = conference({ record: true });
  join(conf);
  await sim.settle();
  await sim.advance(5_000);
  sim.engine.terminate(conf);
  await sim.settle();
  assert.deepEqual(statusTrail(hooks).slice(-3), ['conferenceStatus:empty', 'conferenceStatus:terminated', 'conferenceRecordingStatus:empty']);
});

// ------------------------------------------------------------------ call control (§6.20)

const CONTROL = { allowCallControl: true, callControlSequence: '*9' };

test('§6.20 the call-control sequence POSTs callControl; its [TerminateConference] terminates the conference', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  hooks.on('/control', [{ TerminateConference: {} }]);
  const conf = conference();
  const c = join(conf, { ...CONTROL, callControlUrl: hooks.url('/control') });
  const other = join(conf, NON_MODERATOR);
  await sim.settle();
  sim.press(c.callId, '*9');
  await sim.settle();
  const [control] = hooks.at('/control');
  assert.deepEqual(control, { accountId: sim.accountId, requestType: 'callControl', callId: c.callId, conferenceId: conf.conferenceId, digits: '*9' });
  assert.equal(conf.status, 'terminated');
  assertEnded(hooks, c, 'conferenceTerminated');
  assertEnded(hooks, other, 'conferenceTerminated');
  assert.deepEqual(statuses(hooks).slice(-2), ['empty', 'terminated']);
});

test('§6.20 call control matches the sequence across key presses and ignores other digits', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference();
  const c = join(conf, { ...CONTROL, callControlUrl: hooks.url('/control') });
  await sim.settle();
  sim.press(c.callId, '9*');
  await sim.settle();
  assert.equal(hooks.at('/control').length, 0, '"9*" is not the sequence');
  sim.press(c.callId, '9');
  await sim.settle();
  assert.equal(hooks.at('/control').length, 1, '"*" then "9" completes it');
  assert.equal(c.status, 'inProgress', 'a 204 answer leaves the participant in the conference');
  assert.equal(c.conferenceId, conf.conferenceId);
});

test('§6.20 without allowCallControl the sequence does nothing', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  const conf = conference();
  const c = join(conf, { callControlSequence: '*9', callControlUrl: hooks.url('/control') });
  await sim.settle();
  sim.press(c.callId, '*9');
  await sim.settle();
  assert.equal(hooks.at('/control').length, 0);
});

test('§6.20 invalid PerCL in the callControl answer terminates that leg', async (t) => {
  const { sim, hooks, conference, join } = await rig(t);
  hooks.on('/control', [{ NotACommand: {} }]);
  const conf = conference();
  const c = join(conf, { ...CONTROL, callControlUrl: hooks.url('/control') });
  await sim.settle();
  sim.press(c.callId, '*9');
  await sim.settle();
  assertEnded(hooks, c, 'appInvalidPercl');
  assert.equal(conf.status, 'empty', 'the leg left, so the conference emptied');
});

// ------------------------------------------------------------------ PerCL runner (§5.1)

test('§5.1 an invalid PerCL answer ends the call with appInvalidPercl', async (t) => {
  const { sim, hooks, call } = await rig(t);
  const unknown = call([{ Dance: {} }]);
  const notJson = call('this is not JSON');
  const notArray = call('{"Hangup":{}}');
  await sim.settle();
  assertEnded(hooks, unknown, 'appInvalidPercl');
  assertEnded(hooks, notJson, 'appInvalidPercl');
  assertEnded(hooks, notArray, 'appInvalidPercl');
});

test('§5.1 a script without a terminal command hangs up (appHangup); an empty answer ends with appNoPercl', async (t) => {
  const { sim, hooks, call } = await rig(t);
  const saysHello = call([{ Say: { text: 'hello' } }]);
  const silent = call(() => undefined); // 204
  await sim.settle();
  assertEnded(hooks, saysHello, 'appHangup');
  assertEnded(hooks, silent, 'appNoPercl');
});

test('§5.3 Pause waits on virtual time: nothing happens until sim.advance, then the next command runs', async (t) => {
  const { sim, hooks, call } = await rig(t);
  hooks.on('/after-pause', [{ Hangup: {} }]);
  const c = call([{ Pause: { length: 5000 } }, { Redirect: { actionUrl: hooks.url('/after-pause') } }]);
  await sim.settle();
  assert.equal(c.status, 'inProgress');
  assert.equal(hooks.at('/after-pause').length, 0);
  await sim.advance(4_999);
  assert.equal(hooks.at('/after-pause').length, 0, 'still paused 1 ms before the end');
  await sim.advance(1);
  const [redirect] = hooks.at('/after-pause');
  assert.equal(redirect.requestType, 'redirect');
  assert.equal(redirect.callId, c.callId);
  assertEnded(hooks, c, 'appHangup');
  assert.equal(c.endTime! - c.connectTime!, 5000);
  assert.equal(callStatusOf(hooks, c).callDuration, 5);
});

test('§5.3 a call that hangs up during a Pause runs nothing after it', async (t) => {
  const { sim, hooks, call } = await rig(t);
  const c = call([{ Pause: { length: 5000 } }, { Redirect: { actionUrl: hooks.url('/after-pause') } }]);
  await sim.settle();
  sim.hangUpFarEnd(c.callId);
  await sim.settle();
  await sim.advance(10_000);
  assert.equal(hooks.at('/after-pause').length, 0);
  assertEnded(hooks, c, 'farEndHangup');
});

test('§4.2 a failing webhook (HTTP 500) ends the call with webhookFailed', async (t) => {
  const { sim, hooks, call } = await rig(t);
  const c = call({ status: 500 });
  await sim.settle();
  assertEnded(hooks, c, 'webhookFailed');
});

// ------------------------------------------------------------------ faults change behaviour

test('fault terminated-before-empty: terminate from populated reports terminated before empty', async (t) => {
  const { sim, hooks, conference, join } = await rig(t, { fault: 'terminated-before-empty' });
  const conf = conference();
  join(conf, NON_MODERATOR);
  await sim.settle();
  sim.engine.terminate(conf);
  await sim.settle();
  assert.deepEqual(statuses(hooks).slice(-2), ['terminated', 'empty']);
  assert.equal(conf.status, 'terminated', 'the engine state still ends terminated');
});

test('fault no-recording-report: the recording is never reported', async (t) => {
  const r = await rig(t, { fault: 'no-recording-report' });
  await recordFor(r, 90_000);
  assert.deepEqual(statusTrail(r.hooks), ['createConference:empty', 'conferenceStatus:populated', 'conferenceStatus:inProgress', 'conferenceStatus:empty']);
  assert.equal(r.hooks.at(STATUS).at(-1)!.recordingId, undefined);
  assert.equal(r.sim.engine.state.recordings.size, 0);
});

test('fault recording-duration-from-creation: the duration counts the time before inProgress', async (t) => {
  const r = await rig(t, { fault: 'recording-duration-from-creation' });
  const conf = r.conference({ record: true });
  await r.sim.advance(10_000);
  const c = r.join(conf);
  await r.sim.settle();
  await r.sim.advance(20_000);
  r.sim.hangUpFarEnd(c.callId);
  await r.sim.settle();
  assert.equal(r.hooks.at(STATUS).at(-1)!.recordingDurationSec, 30, 'not the documented 20');
});

test('fault empty-is-final: a conference that emptied once refuses new participants (breaks §6.11)', async (t) => {
  const { sim, hooks, conference, join } = await rig(t, { fault: 'empty-is-final' });
  const conf = conference();
  const first = join(conf, NON_MODERATOR);
  await sim.settle();
  sim.hangUpFarEnd(first.callId);
  await sim.settle();
  const second = join(conf, NON_MODERATOR);
  await sim.settle();
  assertEnded(hooks, second, 'perclProcessingError');
  assert.deepEqual(statuses(hooks), ['empty', 'populated', 'empty']);
});

test('fault terminated-accepts-participants: a terminated conference is populated again (breaks §6.12)', async (t) => {
  const { sim, hooks, conference, join } = await rig(t, { fault: 'terminated-accepts-participants' });
  const conf = conference();
  sim.engine.terminate(conf);
  await sim.settle();
  const c = join(conf, NON_MODERATOR);
  await sim.settle();
  assert.equal(c.status, 'inProgress');
  assert.deepEqual(statuses(hooks), ['empty', 'terminated', 'populated']);
});

test('fault terminate-keeps-participants: calls stay connected after terminate (breaks §6.13)', async (t) => {
  const { sim, hooks, conference, join } = await rig(t, { fault: 'terminate-keeps-participants' });
  const conf = conference();
  const c = join(conf);
  await sim.settle();
  sim.engine.terminate(conf);
  await sim.settle();
  assert.equal(c.status, 'inProgress');
  assert.equal(hooks.at(CALLS).length, 0);
  assert.equal(conf.status, 'terminated');
});

test('fault start-moderator-ignored: a start-moderator leaves the conference populated (breaks §6.7)', async (t) => {
  const { sim, hooks, conference, join } = await rig(t, { fault: 'start-moderator-ignored' });
  const conf = conference();
  join(conf);
  await sim.settle();
  assert.equal(conf.status, 'populated');
  assert.deepEqual(statuses(hooks), ['empty', 'populated']);
});

test('fault terminate-percl-ignored: [TerminateConference] from call control does nothing', async (t) => {
  const { sim, hooks, conference, join } = await rig(t, { fault: 'terminate-percl-ignored' });
  hooks.on('/control', [{ TerminateConference: {} }]);
  const conf = conference();
  const c = join(conf, { ...CONTROL, callControlUrl: hooks.url('/control') });
  await sim.settle();
  sim.press(c.callId, '*9');
  await sim.settle();
  assert.equal(hooks.at('/control').length, 1);
  assert.equal(conf.status, 'inProgress');
  assert.equal(c.status, 'inProgress');
});

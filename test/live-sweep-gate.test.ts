// `fch live sweep` also finds what a live app gate left (issue 24, item 4): its callers' calls from
// number A to the app's number, calls to the people's numbers, and the conferences they are in;
// never another call of the app's number. A stand-in client holds the account's state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FreeClimbClient } from '../support/client/freeclimb-client';
import { loadConfig } from '../support/config';
import { runLiveSweep } from '../support/live/sweep';

const A = '+15550100001';
const APP = '+15550100003';
const AGENT = '+15550107777';
const hex = (c: string) => c.repeat(40);

function account() {
  const calls = [
    { callId: `CA${hex('1')}`, from: A, to: APP, status: 'inProgress' },
    { callId: `CA${hex('2')}`, from: APP, to: AGENT, status: 'ringing' },
    // A real caller of the app, and a gate call that has ended: neither is the sweep's.
    { callId: `CA${hex('3')}`, from: '+15559990000', to: APP, status: 'inProgress' },
    { callId: `CA${hex('4')}`, from: A, to: APP, status: 'completed' },
  ];
  const conferences = [
    { conferenceId: `CF${hex('a')}`, alias: 'room-1234', status: 'inProgress', dateCreated: 'Mon, 07 Dec 2026 04:00:00 +0000', members: [`CA${hex('1')}`] },
    { conferenceId: `CF${hex('b')}`, alias: 'room-5555', status: 'inProgress', dateCreated: 'Mon, 07 Dec 2026 04:00:00 +0000', members: [`CA${hex('3')}`] },
  ];
  const done: string[] = [];
  const client = {
    listCalls: async () => calls.filter((c) => !['completed'].includes(c.status)),
    listConferences: async (q: { status?: string }) => conferences.filter((c) => c.status === q.status),
    listParticipants: async (id: string) => conferences.find((c) => c.conferenceId === id)!.members.map((callId) => ({ callId })),
    terminateConference: async (id: string) => void done.push(`terminate ${id}`),
    updateCall: async (id: string, status: string) => void done.push(`${status} ${id}`),
    dispose: async () => undefined,
  } as unknown as FreeClimbClient;
  return { client, done };
}

const cfg = () =>
  loadConfig({
    HARNESS_MODE: 'live',
    FREECLIMB_ACCOUNT_ID: `AC${hex('c')}`,
    FREECLIMB_API_KEY: 'key-for-the-test',
    FREECLIMB_SIGNING_SECRET: 'sigsec_for-the-test',
    FREECLIMB_API_BASE_URL: 'http://127.0.0.1:9/apiserver',
    HARNESS_PUBLIC_URL: 'http://127.0.0.1:9',
    FREECLIMB_NUMBER_A: A,
    FREECLIMB_NUMBER_B: '+15550100002',
  });

function capture() {
  let out = '';
  let err = '';
  return { io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } }, out: () => out, err: () => err };
}

test("live sweep lists a live app gate's leftover calls and their conference, and ends exactly those with --yes", async () => {
  const { client, done } = account();
  const appGate = { appNumber: APP, peopleNumbers: [AGENT] };
  const dry = capture();
  assert.equal(await runLiveSweep(cfg(), dry.io, { yes: false, client, appGate }), 0, dry.err());
  assert.match(dry.out(), /2 call\(s\) of a live app gate still active, in 1 conference\(s\)/);
  assert.ok(dry.out().includes(`call CA${hex('1')}`) && dry.out().includes(`call CA${hex('2')}`) && dry.out().includes(`conference CF${hex('a')}`), dry.out());
  assert.ok(!dry.out().includes(`CA${hex('3')}`) && !dry.out().includes(`CF${hex('b')}`), "a real caller's call and its conference are not the gate's");
  assert.deepEqual(done, [], 'a dry run ends nothing');

  const wet = capture();
  assert.equal(await runLiveSweep(cfg(), wet.io, { yes: true, client, appGate }), 0, wet.err());
  assert.deepEqual(done, [`terminate CF${hex('a')}`, `completed CA${hex('1')}`, `canceled CA${hex('2')}`]);
  assert.match(wet.out(), /ended 2 call\(s\) and 1 conference\(s\) of live app gates/);
});

test('without the app gate configured, live sweep looks only at its conferences', async () => {
  const { client } = account();
  const out = capture();
  assert.equal(await runLiveSweep(cfg(), out.io, { yes: false, client }), 0, out.err());
  assert.doesNotMatch(out.out(), /live app gate/);
});

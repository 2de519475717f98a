// fch app explore (issue 23): the invariants on hand-made snapshots (each can fail, a clean one
// passes), the candidates an action draws from, fast-check's shrinking and replay through search()
// with a model in place of an app, the .feature writer, and the CLI's bad input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { conferenceDigitCandidates, digitCandidates, type Plan } from '../support/app-gate/explore/actions';
import { Watch, type CallView, type Snapshot } from '../support/app-gate/explore/checks';
import { parseReplay, replay, search } from '../support/app-gate/explore/explorer';
import { andSteps, featureText } from '../support/app-gate/explore/feature';
import { defaultLevels, DEFAULT_LIMITS, INVARIANTS, parseCheck } from '../support/app-gate/explore/invariants';
import type { SequenceResult, SequenceRunner } from '../support/app-gate/explore/sequence';
import { parseExploreArgs } from '../support/cli/app-explore';
import type { ConversationEntry } from '../support/schemas/conversation';
import { tempDir } from './helpers/temp-dir';

const webhook = (over: Partial<Extract<ConversationEntry, { kind: 'webhook' }>>): ConversationEntry => ({
  kind: 'webhook', seq: 1, url: 'http://127.0.0.1:3000/voice', requestType: 'inboundCall', callId: 'CA1', body: {}, at: 0, virtualTime: 0, perclExpected: true, status: 200, answer: '[]', answerSummary: '', problems: [], ...over,
});
const call = (over: Partial<CallView>): CallView => ({ callId: 'CA1', direction: 'inbound', status: 'inProgress', endedReason: null, endTime: null, parentCallId: null, conferenceId: null, name: 'c1', ...over });
const snap = (over: Partial<Snapshot>): Snapshot => ({ entries: [], calls: [], conferences: [], now: 0, ...over });
const codes = (s: Snapshot, watch = new Watch(DEFAULT_LIMITS)) => watch.check(s).map((v) => v.code);

test('a clean conversation breaks no invariant', () => {
  assert.deepEqual(codes(snap({ entries: [webhook({})], calls: [call({})] })), []);
});

test('webhook-2xx, valid-percl, rest-well-formed, app-alive: each one seen', () => {
  assert.deepEqual(codes(snap({ entries: [webhook({ status: 500 })] })), ['webhook-2xx']);
  assert.deepEqual(codes(snap({ entries: [webhook({ status: undefined, error: 'timeout' })] })), ['webhook-2xx']);
  assert.deepEqual(codes(snap({ entries: [webhook({ problems: [{ pointer: '/0', rule: 'x', message: 'bad' }] })] })), ['valid-percl']);
  const rest: ConversationEntry = { kind: 'rest', seq: 1, method: 'POST', path: '/Accounts/AC1/Calls', status: 400, requestBody: '{}', at: 0 };
  assert.deepEqual(codes(snap({ entries: [rest] })), ['rest-well-formed']);
  assert.deepEqual(codes(snap({ death: 'the app under test exited (code 1)' })), ['app-alive']);
});

test('a call ended perclProcessingError after AddToConference to a terminated conference is conference-known; otherwise platform-ended-call', () => {
  const answer = JSON.stringify([{ AddToConference: { conferenceId: 'CFdead' } }]);
  const ended = call({ endTime: 5, endedReason: 'perclProcessingError', status: 'completed' });
  const entries = [webhook({ answer }), webhook({ requestType: 'callStatus', perclExpected: false, answer: '' })];
  assert.deepEqual(codes(snap({ entries, calls: [ended], conferences: [{ conferenceId: 'CFdead', status: 'terminated', participants: 0 }] })), ['conference-known']);
  assert.deepEqual(codes(snap({ entries, calls: [ended] })), ['conference-known'], 'a conference the app never had');
  assert.deepEqual(codes(snap({ entries, calls: [ended], conferences: [{ conferenceId: 'CFdead', status: 'empty', participants: 0 }] })), ['platform-ended-call']);
  const redirects = call({ endTime: 5, endedReason: 'maxRedirectsError', status: 'completed' });
  assert.deepEqual(codes(snap({ calls: [redirects] })), ['platform-ended-call']);
});

test('outdial-outcome-handled: a caller still waiting after the OutDial was busy, once the limit passed and nothing was sent', () => {
  const parent = call({ conferenceId: 'CF1' });
  const out = call({ callId: 'CA2', direction: 'outboundDial', status: 'busy', endedReason: 'busy', endTime: 1_000, parentCallId: 'CA1', name: 'person1' });
  assert.deepEqual(codes(snap({ calls: [parent, out], now: 30_000 })), [], 'before the limit');
  assert.deepEqual(codes(snap({ calls: [parent, out], now: 62_000 })), ['outdial-outcome-handled']);
  const handled = [webhook({ callId: 'CA1', virtualTime: 2_000 })];
  assert.deepEqual(codes(snap({ entries: handled, calls: [parent, out], now: 62_000 })), [], 'the app sent the caller something since');
});

test('caller-left-alone: alone for the limit after the other party left, not a caller who was always alone', () => {
  const watch = new Watch(DEFAULT_LIMITS);
  const conf = (participants: number) => [{ conferenceId: 'CF1', status: 'inProgress', participants }];
  const calls = [call({ conferenceId: 'CF1' })];
  assert.deepEqual(codes(snap({ calls, conferences: conf(2), now: 0 }), watch), []);
  assert.deepEqual(codes(snap({ calls, conferences: conf(1), now: 10_000 }), watch), []);
  assert.deepEqual(codes(snap({ calls, conferences: conf(1), now: 311_000 }), watch), ['caller-left-alone']);
  assert.deepEqual(codes(snap({ calls, conferences: conf(1), now: 900_000 })), [], 'a fresh watch never saw two participants');
});

test('a call ended webhookFailed after a 500 already reported is that finding, not a second one, even a check later', () => {
  const watch = new Watch(DEFAULT_LIMITS);
  assert.deepEqual(codes(snap({ entries: [webhook({ status: 500 })], calls: [call({})] }), watch), ['webhook-2xx']);
  const ended = call({ endTime: 5, endedReason: 'webhookFailed', status: 'completed' });
  assert.deepEqual(codes(snap({ entries: [webhook({ status: 500 })], calls: [ended] }), watch), []);
});

test('a violation is reported once per sequence', () => {
  const watch = new Watch(DEFAULT_LIMITS);
  assert.deepEqual(codes(snap({ death: 'x' }), watch), ['app-alive']);
  assert.deepEqual(codes(snap({ death: 'x' }), watch), []);
});

test('digits drawn from the join digits, the prompts, every key, an empty and a too-long entry', () => {
  const c = digitCandidates({ joinDigits: '1234#', heard: ['Press 7 for sales'], finishOnKey: '#', maxDigits: 4 });
  assert.equal(c[0], '1234#');
  for (const d of ['7', '7#', '0', '*', '#']) assert.ok(c.includes(d), d);
  assert.ok(c.some((d) => d.length > 4 && /^1+$/.test(d)));
  assert.deepEqual(conferenceDigitCandidates('*9').slice(0, 2), ['*9', '0']);
});

test('--check and the other options: unknown codes and levels, a --replay that does not parse, are usage errors', () => {
  assert.throws(() => parseCheck('no-such=fail', new Map()), /no invariant "no-such"; codes: webhook-2xx/);
  assert.throws(() => parseCheck('valid-percl=loud', new Map()), /off, warn or fail/);
  assert.throws(() => parseExploreArgs(['--replay', 'abc']), /expected SEED:PATH/);
  assert.throws(() => parseExploreArgs(['--runs', '0']), /at least 1/);
  assert.throws(() => parseExploreArgs(['--all-variants', '--variant', 'default']), /not both/);
  const args = parseExploreArgs(['--check', 'caller-left-alone=fail', '--replay', '7:3:0:1', '--seed', '-4']);
  assert.equal(args.levels.get('caller-left-alone'), 'fail');
  assert.deepEqual(parseReplay(args.replay!), { seed: 7, path: '3:0:1' });
  assert.equal(args.seed, -4);
  assert.equal(defaultLevels(false).get('signatures-enforced'), 'warn');
});

/**
 * A model in place of the app: a sequence "fails" when a terminate comes after a press (the shape
 * of reuse-terminated). fast-check must shrink to exactly those two actions, and its SEED:PATH must
 * replay the same plan.
 */
function fakeRunner(): SequenceRunner & { plans: Plan[] } {
  const plans: Plan[] = [];
  const fake = {
    sequences: 0,
    actions: 0,
    plans,
    async runPlan(plan: Plan): Promise<SequenceResult> {
      fake.sequences += 1;
      plans.push(plan);
      const kinds = plan.actions.map((a) => a.kind);
      const p = kinds.indexOf('press');
      const t = p >= 0 ? kinds.indexOf('terminate', p) : -1;
      return { actions: [], people: [], violations: t > p ? [{ code: 'conference-known', where: 'model', message: 'm', entries: [], atAction: t }] : [], conversation: { scenario: 's', variant: 'default', callers: [], entries: [] } as never };
    },
  };
  return fake as unknown as SequenceRunner & { plans: Plan[] };
}

test('search shrinks a failing plan with fast-check and its SEED:PATH replays it; the same seed finds the same', async () => {
  const opts = { seed: 42, runs: 200, timeMs: 60_000, maxActions: 12, levels: defaultLevels(true) };
  const runner = fakeRunner();
  const outcome = await search(runner, opts, false);
  assert.equal(outcome.found.length, 1);
  // The search went on after the finding (the next seed), so the shrunk plan is the one its path replays.
  const replayer = fakeRunner();
  await replay(replayer, outcome.found[0].replay, 12, false);
  assert.equal(replayer.plans.length, 1);
  // fast-check's array shrinker may keep actions after the failure; the feature stops at the action after which it broke.
  const atAction = outcome.found[0].result.violations[0].atAction;
  assert.deepEqual(replayer.plans[0].actions.map((a) => a.kind).slice(0, atAction + 1), ['press', 'terminate']);
  assert.ok(runner.plans.some((p) => JSON.stringify(p) === JSON.stringify(replayer.plans[0])), 'the replayed plan is one the search ran');
  const again = await search(fakeRunner(), opts, false);
  assert.equal(again.found[0].replay, outcome.found[0].replay);
});

test('a finding written as a .feature in the gate vocabulary: people first, steps up to the finding, the step that fails for it', () => {
  const text = featureText({
    code: 'outdial-outcome-handled', where: 'busy', message: 'the app\'s OutDial ended busy', caller: 'c1', atAction: 2,
    actions: [{ kind: 'call', caller: 'c1', from: '+15550190001' }, { kind: 'press', caller: 'c1', digits: '1#' }, { kind: 'wait', seconds: 61 }, { kind: 'hangUp', caller: 'c1' }],
    people: [{ name: 'person1', number: '+15550107777', answer: 'busy' }, { name: 'person2', number: '+15550107778', answer: 'machine' }],
    replay: '3:1:0', variant: 'default', maxActions: 12, triggers: [],
  });
  assert.match(text, /# seed:path 3:1:0, reading default; replay: fch app explore --replay 3:1:0 --max-actions 12/);
  const steps = text.split('\n').filter((l) => l.startsWith('    ')).map((l) => l.trim());
  assert.deepEqual(steps, [
    'Given "person1" is at "+15550107777"',
    'And "person1" will be busy',
    'And "person2" is at "+15550107778"',
    'And "person2"\'s voicemail will answer',
    'When "c1" calls the app from "+15550190001"',
    'And "c1" presses "1#"',
    'And 61 seconds pass',
    'Then "c1"\'s call ends',
  ]);
  assert.deepEqual(andSteps(['When a', '  | x | y |', 'When b']), ['When a', '  | x | y |', 'And b']);
});

test('the manual (docs/explore.md) lists every invariant with its code, section and default level', () => {
  const readme = readFileSync(join(__dirname, '..', 'docs', 'explore.md'), 'utf8');
  for (const i of INVARIANTS) assert.ok(readme.includes(`| \`${i.code}\` | ${i.meaning} | ${i.section} | ${i.level} |`), i.code);
});

const FCH = join(__dirname, '..', 'bin', 'fch.js');
function explore(args: string[], env: Record<string, string>, cwd: string) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HARNESS_') && !k.startsWith('FREECLIMB_')));
  const r = spawnSync(process.execPath, [FCH, 'app', 'explore', ...args], { env: { ...clean, ...env }, encoding: 'utf8', cwd });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('CLI bad input: one clear line, exit 2, nothing written', () => {
  const cwd = tempDir('explore-cli');
  const env = { HARNESS_APP_URL: 'http://127.0.0.1:3997' };
  const cases: [string[], Record<string, string>, RegExp][] = [
    [[], {}, /HARNESS_APP_URL is required/],
    [['--replay', 'nonsense'], env, /--replay nonsense: expected SEED:PATH/],
    [['--check', 'no-such-check=fail'], env, /no invariant "no-such-check"/],
    [['no/such/features'], env, /no\/such\/features: no such feature file or folder/],
    [['--runs', '1'], { ...env, HARNESS_APP_COMMAND: `${process.execPath} -e "process.exit(3)"`, HARNESS_APP_START_TIMEOUT_MS: '3000' }, /the app under test could not be started/],
  ];
  for (const [args, e, message] of cases) {
    const r = explore(args, e, cwd);
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, message);
    assert.equal(r.out.trim().split('\n').length, 1, r.out);
    assert.equal(existsSync(join(cwd, 'reports', 'app-explore')), false, 'nothing half-written');
  }
});

// fch app explore's actions for speech, recordings and queues (issue 23, item 3), against a tiny
// voice menu (an in-test HTTP server, as if HARNESS_APP_COMMAND were unset) with a seeded bug: a
// caller who ends the voicemail with the finish key gets a 500. The explorer's SequenceRunner drives
// it with hand-made plans; the shrunk .feature's steps each match exactly one of the gate's step
// definitions. Also: a run that begins as an earlier failing one stops there (the cache), and
// --all-variants' seeded sample of readings.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { answeringApp, type AnsweringApp, type Answers } from './helpers/answering-app';
import { loadStepDefinitions } from './helpers/step-definitions';
import { speechCandidates, type AbstractAction, type Plan } from '../support/app-gate/explore/actions';
import { featureText } from '../support/app-gate/explore/feature';
import { DEFAULT_LIMITS } from '../support/app-gate/explore/invariants';
import { SequenceRunner } from '../support/app-gate/explore/sequence';
import { GatedRun } from '../support/app-gate/gated-run';
import { parseExploreArgs, sampleReadings } from '../support/cli/app-explore';
import { loadConfig } from '../support/config';
import { allVariantSettings } from '../support/simulator/variants';

const QUEUE = 'QU' + 'c'.repeat(40);
let base = '';
let seededBug = true;
const answers: Answers = {
  '/voice': () => [{ GetSpeech: { actionUrl: `${base}/speech`, grammarType: 'URL', grammarFile: `${base}/menu.grxml`, noInputTimeoutMs: 4000, prompts: [{ Say: { text: "Say 'sales' or 'support'" } }] } }],
  '/speech': (b) => {
    const said = String(b.recognitionResult ?? '');
    if (said === 'sales') return [{ Enqueue: { queueId: QUEUE, actionUrl: `${base}/queue/left`, waitUrl: `${base}/queue/wait` } }];
    if (said === 'support') return [{ Say: { text: 'Leave a message' } }, { RecordUtterance: { actionUrl: `${base}/voicemail`, finishOnKey: '#', silenceTimeoutMs: 2000, maxLengthSec: 60 } }];
    return [{ Say: { text: 'Goodbye' } }, { Hangup: {} }];
  },
  '/queue/wait': () => [{ Pause: { length: 5000 } }],
  '/queue/left': () => [{ Hangup: {} }],
  '/voicemail': (b) => (seededBug && b.termReason === 'finishKey' ? undefined : [{ Say: { text: 'Thank you' } }, { Hangup: {} }]),
};
let app: AnsweringApp;

interface StepDefinition {
  uri: string;
  matchesStepName(text: string): boolean;
}
let definitions: StepDefinition[] = [];

before(async () => {
  definitions = await loadStepDefinitions<StepDefinition>();
  // The seeded bug: the finish key's record webhook throws in the handler (500).
  app = await answeringApp(answers, 500);
  base = app.base;
});
after(() => app.close());

const act = (kind: AbstractAction['kind'], choice = 0, who = 0): AbstractAction => ({ kind, who, choice, fresh: true });
const plan = (...actions: AbstractAction[]): Plan => ({ actions, phones: [] });

async function withRunner(body: (runner: SequenceRunner) => Promise<void>): Promise<void> {
  const cfg = loadConfig({ HARNESS_APP_URL: base, HARNESS_APP_REQUIRE_SIGNATURES: 'false' });
  const run = new GatedRun(cfg, cfg.app!);
  await run.start();
  const runner = new SequenceRunner(run, { triggers: [], declaredPeople: new Map(), limits: DEFAULT_LIMITS });
  runner.markStarted();
  try {
    await body(runner);
  } finally {
    await run.stop();
  }
}

test('phrases: the words the prompts quote, a built-in grammar\'s, a list of words, and one the app did not ask for', () => {
  assert.deepEqual(speechCandidates({ grammarFile: 'http://x/menu.grxml', heard: ["Say 'sales' or 'support'"] }), ['sales', 'support', 'something else entirely']);
  assert.deepEqual(speechCandidates({ grammarFile: 'VERSAY_YESNO', heard: [] }), ['yes', 'no', 'maybe', 'something else entirely']);
  assert.deepEqual(speechCandidates({ grammarFile: 'DIG4', heard: ['Your PIN has 4 digits'] }), ['1 1 1 1', '1', '4', 'something else entirely']);
  assert.deepEqual(speechCandidates({ grammarFile: 'billing, claims', heard: [] }), ['billing', 'claims', 'something else entirely']);
});

test('while the app listens a caller says a phrase of its prompts; while it records, leaves a message and presses the finish key: the seeded 500 is found, and its .feature is in the gate vocabulary', async () => {
  seededBug = true;
  await withRunner(async (runner) => {
    // choice 1: "support" (the second phrase); 3 s for the recognizer; then choice 3: the finish key (after three message lengths).
    const result = await runner.runPlan(plan(act('call'), act('press', 1), act('wait', 1), act('press', 3)));
    assert.deepEqual(result.actions.slice(0, 4).map((a) => a.kind), ['call', 'say', 'wait', 'leaveMessageAndPress']);
    assert.deepEqual(result.actions[1], { kind: 'say', caller: 'c1', text: 'support' });
    assert.deepEqual(result.actions[3], { kind: 'leaveMessageAndPress', caller: 'c1', key: '#' });
    const v = result.violations.find((x) => x.code === 'webhook-2xx');
    assert.ok(v, `the 500 on the record webhook is found: ${result.violations.map((x) => x.code).join(', ') || 'nothing'}`);
    assert.match(v.where, /^record \/voicemail$/);
    const text = featureText({ ...v, actions: result.actions, people: result.people, replay: '1:0', variant: 'default', maxActions: 12, triggers: [] });
    const steps = text.split('\n').map((l) => l.trim()).filter((l) => /^(Given|When|Then|And) /.test(l)).map((l) => l.replace(/^\w+ /, ''));
    assert.deepEqual(steps, ['"c1" calls the app from "+15550190001"', '"c1" says "support"', '3 seconds pass', '"c1" leaves a message and presses "#"']);
    for (const step of steps) assert.equal(definitions.filter((d) => d.matchesStepName(step)).length, 1, `exactly one step definition matches ${step}`);

    // The same beginning again, with other actions after: it stops where the first run broke, and takes its result.
    const again = await runner.runPlan(plan(act('call'), act('press', 1), act('wait', 1), act('press', 3), act('wait', 9), act('call')));
    assert.equal(again.fromCache, true);
    assert.deepEqual(again.violations.map((x) => x.code), result.violations.map((x) => x.code));
  });
});

test('without the seeded bug: a message of some seconds, silence, a phrase off the menu and a queued caller hanging up break nothing', async () => {
  seededBug = false;
  await withRunner(async (runner) => {
    const voicemail = await runner.runPlan(plan(act('call'), act('press', 1), act('wait', 1), act('press', 3)));
    assert.equal(voicemail.actions[3]?.kind, 'leaveMessageAndPress');
    assert.deepEqual(voicemail.violations, []);
    const message = await runner.runPlan(plan(act('call'), act('press', 1), act('wait', 1), act('press', 1)));
    assert.deepEqual(message.actions[3], { kind: 'leaveMessage', caller: 'c1', seconds: 15 });
    const silent = await runner.runPlan(plan(act('call'), act('press', 3)));
    assert.deepEqual(silent.actions[1], { kind: 'silent', caller: 'c1' });
    const queued = await runner.runPlan(plan(act('call'), act('press', 0), act('wait', 3), act('hangUp')));
    assert.deepEqual(queued.actions.map((a) => a.kind).slice(0, 4), ['call', 'say', 'wait', 'hangUp']);
    assert.ok(queued.conversation.entries.some((e) => e.kind === 'webhook' && e.requestType === 'queueWait'), 'the caller waited in the queue before hanging up');
    for (const r of [message, silent, queued]) assert.deepEqual(r.violations, [], r.violations.map((v) => v.message).join('\n'));
  });
});

test('--all-variants explores every other reading; --readings N samples them from the seed (the same seed the same sample); findings are re-checked under every reading unless --verify says otherwise', () => {
  const others = allVariantSettings();
  const a = sampleReadings(others, 4, 7);
  assert.equal(a.length, 4);
  assert.deepEqual(sampleReadings(others, 4, 7), a);
  assert.ok(others.some((_r, i) => sampleReadings(others, 4, i).join() !== a.join()), 'another seed, another sample');
  assert.deepEqual(sampleReadings(others, 'all', 7), others);
  const args = parseExploreArgs(['--all-variants', '--readings', '2', '--seed', '7']);
  assert.deepEqual(args.variants, ['default', ...sampleReadings(others, 2, 7)]);
  assert.equal(args.sampledFrom, others.length);
  assert.equal(args.verify, 'all', 'a finding is re-checked under every reading');
  assert.equal(parseExploreArgs([]).verify, 'all', 'without --all-variants too');
  assert.equal(parseExploreArgs(['--verify', 'default']).verify, 'default');
  assert.deepEqual(parseExploreArgs(['--all-variants']).variants, ['default', ...others], 'every reading by default');
  assert.throws(() => parseExploreArgs(['--readings', '2']), /--readings goes with --all-variants/);
  assert.throws(() => parseExploreArgs(['--all-variants', '--readings', '0']), /--readings needs a whole number/);
});

// The app-gate vocabulary of issue 22, part 3, against a tiny help line (an in-test HTTP server, as
// if HARNESS_APP_COMMAND were unset), driven by the step definitions themselves (the suite's support
// code loaded through Cucumber's API, each phrase matched to exactly one definition and run) and
// through them GatedScenario, on virtual time. "sales" puts the caller in a queue and texts a code, "support"
// records a voicemail, silence falls back to GetDigits; StartRecordCall records every call. Each
// phrase passes, and the failures say what was awaited and what happened instead.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { answeringApp, type AnsweringApp, type Answers } from './helpers/answering-app';
import { loadStepDefinitions } from './helpers/step-definitions';
import { GatedRun } from '../support/app-gate/gated-run';
import { GatedScenario } from '../support/app-gate/gated-scenario';
import { loadConfig } from '../support/config';
import { renderSequenceDiagram } from '../support/report/sequence-diagram';
import type { HarnessWorld } from '../support/world';

const QUEUE = 'QU' + 'b'.repeat(40);
const CUSTOMER = '+15550104444';
let base = '';
/** Whether the help line records the whole call (StartRecordCall) when it answers. */
let recordCalls = true;
const answers: Answers = {
  '/voice': () => [
    ...(recordCalls ? [{ StartRecordCall: {} }] : []),
    { GetSpeech: { actionUrl: `${base}/speech`, grammarType: 'URL', grammarFile: `${base}/menu.grxml`, noInputTimeoutMs: 5000, prompts: [{ Say: { text: 'Say sales or support' } }] } },
  ],
  '/speech': (b) => {
    if (b.reason !== 'recognition') return [{ GetDigits: { actionUrl: `${base}/digits`, maxDigits: 1, initialTimeoutMs: 4000, prompts: [{ Say: { text: 'Press 1 for sales' } }] } }];
    if (String(b.recognitionResult).includes('sales')) {
      return [
        { Say: { text: 'Connecting you to sales' } },
        { Sms: { from: String(b.to), to: CUSTOMER, text: 'Your code 1234' } },
        { Enqueue: { queueId: QUEUE, actionUrl: `${base}/queue/left`, waitUrl: `${base}/queue/wait` } },
      ];
    }
    return [{ Say: { text: 'Leave a message after the beep' } }, { RecordUtterance: { actionUrl: `${base}/voicemail`, finishOnKey: '#', silenceTimeoutMs: 2000, maxLengthSec: 60 } }];
  },
  '/digits': () => [{ Say: { text: 'Goodbye' } }, { Hangup: {} }],
  // An agent is free once the caller waited 20 s.
  '/queue/wait': (b) => (Number(b.queueTime) >= 20 ? [{ Dequeue: {} }] : [{ Play: { file: 'https://h.example/hold.wav' } }, { Pause: { length: 5000 } }]),
  '/queue/left': () => [{ Say: { text: 'An agent is free' } }, { Pause: { length: 60_000 } }],
  '/voicemail': () => [{ Say: { text: 'Thank you' } }, { Hangup: {} }],
};
let app: AnsweringApp;

interface StepDefinition {
  uri: string;
  code: (...args: unknown[]) => unknown;
  matchesStepName(text: string): boolean;
  expression: { match(text: string): { getValue(world: unknown): unknown }[] | null };
}
let definitions: StepDefinition[] = [];

before(async () => {
  definitions = await loadStepDefinitions<StepDefinition>();
  app = await answeringApp(answers);
  base = app.base;
});
after(() => app.close());

/** Runs the one step definition that matches `text` (a step's text, without its keyword), as Cucumber would, in a World holding `s`. */
async function step(s: GatedScenario, text: string): Promise<void> {
  const matching = definitions.filter((d) => d.matchesStepName(text));
  assert.equal(matching.length, 1, `exactly one step definition matches ${text}: ${matching.map((d) => d.uri).join(', ') || 'none'}`);
  const world = { gated: s, liveGated: undefined, attach: () => undefined, moments: new Map(), clockNow: () => s.run.now() } as unknown as HarnessWorld;
  const args = matching[0].expression.match(text)!.map((a) => a.getValue(world));
  await matching[0].code.apply(world, args);
}

async function scenario(name: string, body: (s: GatedScenario, run: GatedRun, steps: (...texts: string[]) => Promise<void>) => Promise<void>): Promise<void> {
  const cfg = loadConfig({ HARNESS_APP_URL: base });
  const run = new GatedRun(cfg, cfg.app!);
  await run.start();
  try {
    const s = new GatedScenario(run, name);
    await body(s, run, async (...texts) => {
      for (const text of texts) await step(s, text);
    });
  } finally {
    await run.stop();
  }
}

/** The caller events of the scenario, as the diagram labels them. */
function actions(s: GatedScenario): string[] {
  return s.entries().flatMap((e) => (e.kind === 'caller' && e.action !== 'hears' ? [`${e.caller} ${e.action}${e.detail ? ` ${e.detail}` : ''}`] : []));
}

test('says "sales": queued, texted, recorded, then no longer in the queue; the diagram shows each action', async () => {
  await scenario('sales', async (s, _run, steps) => {
    await steps('"alice" calls the app', '"alice" says "sales"', '"alice" hears "connecting you to sales"', '"alice" is waiting in a queue');
    assert.equal(s.run.call(s.caller('alice').callId).queueId, QUEUE);
    await steps(`the app texts "${CUSTOMER}" "code 1234"`, 'the call of "alice" is recorded', '"alice" is no longer in a queue', '"alice" hears "agent is free"');
    await s.hangUpEveryone();
    assert.deepEqual(actions(s).slice(0, 2).map((a) => a.replace(/\+\d+/g, 'N')), ['alice calls N → N', 'alice says "sales"']);
    const entries = s.entries();
    assert.deepEqual(s.problems(entries), []);
    const svg = renderSequenceDiagram(s.conversation(entries));
    assert.match(svg, /says (&quot;|")sales(&quot;|")/);
  });
});

test('stays silent: GetSpeech times out (noInput), then GetDigits times out; the recording of the call is on its callStatus', async () => {
  await scenario('silent', async (s, run, steps) => {
    await steps('"bob" calls the app');
    const t0 = run.now();
    await steps('"bob" stays silent');
    assert.ok(run.now() - t0 >= 5000, 'the GetSpeech noInputTimeoutMs passed on virtual time');
    await steps('"bob" stays silent', '"bob" hears "goodbye"', '"bob"\'s call ends', 'the call of "bob" is recorded');
    assert.deepEqual(actions(s).slice(1), ['bob stays silent (GetSpeech)', 'bob stays silent (GetDigits)']);
    assert.equal(run.sim.deliveries.find((d) => d.requestType === 'getSpeech')?.body.reason, 'noInput');
    assert.match(renderSequenceDiagram(s.conversation(s.entries())), /stays silent \(GetDigits\)/);
  });
});

test('leaves a message of 12 seconds: 12 s of speech, then the silence timeout ends the recording', async () => {
  await scenario('voicemail', async (s, run, steps) => {
    await steps('"carol" calls the app', '"carol" says "support"', '"carol" leaves a message of 12 seconds');
    const record = run.sim.deliveries.find((d) => d.requestType === 'record');
    assert.equal(record?.body.termReason, 'timeout');
    assert.equal(record?.body.recordingDurationSec, 14, '12 s of speech and the 2 s silence timeout');
    await steps('"carol" hears "thank you"', 'the call of "carol" is recorded');
    assert.ok(actions(s).includes('carol leaves a message of 12 s'));
  });
});

test('leaves a message and presses "#": the finish key ends the recording', async () => {
  recordCalls = false;
  try {
    await scenario('voicemail #', async (s, run, steps) => {
      await steps('"dave" calls the app', '"dave" says "support"', '"dave" leaves a message and presses "#"');
      const record = run.sim.deliveries.find((d) => d.requestType === 'record');
      assert.equal(record?.body.termReason, 'finishKey');
      assert.equal(record?.body.recordingDurationSec, 5);
      await steps('the call of "dave" is recorded');
      assert.ok(actions(s).includes('dave leaves a message and presses "#"'));
    });
  } finally {
    recordCalls = true;
  }
});

test('failures say what was awaited and what happened instead', async () => {
  await scenario('wrong key', async (_s, _run, steps) => {
    await steps('"erin" calls the app', '"erin" says "support"');
    await assert.rejects(steps('"erin" leaves a message and presses "*"'), /"erin" pressed "\*" to end the message, but the recording ended with termReason timeout, not finishKey/);
  });
  await scenario('wrong text', async (_s, _run, steps) => {
    await steps('"frank" calls the app', '"frank" says "sales"');
    await assert.rejects(steps(`the app texts "${CUSTOMER}" "code 9999"`), (e: Error) => {
      assert.match(e.message, /waited for the app to text \+15550104444 a message containing "code 9999" \(Sms, or POST \/Messages\) \(variant: default\)/);
      assert.match(e.message, /the app texted \+15550104444 from \+\d+ \(\w+\): "Your code 1234"/);
      return true;
    });
  });
  await scenario('not queued', async (_s, _run, steps) => {
    await steps('"gina" calls the app', '"gina" says "support"');
    await assert.rejects(steps('"gina" is no longer in a queue'), /"gina" was never in a queue in this scenario/);
    await assert.rejects(steps('"gina" is waiting in a queue'), /waited for "gina" to be waiting in a queue \(Enqueue\) \(variant: default\); it can no longer happen: the call ended[\s\S]*gina says "support"/);
  });
  recordCalls = false;
  try {
    await scenario('not recorded', async (_s, _run, steps) => {
      await steps('"hal" calls the app', '"hal" says "sales"', '"hal" hangs up');
      await assert.rejects(steps('the call of "hal" is recorded'), /waited for the call of "hal" to be recorded \(StartRecordCall, or a RecordUtterance recording\)/);
      await assert.rejects(steps('"hal" says "sales"'), /it can no longer happen: the call ended/);
    });
  } finally {
    recordCalls = true;
  }
});

test('the phrases are refused in live mode, saying that live support is not there yet', async () => {
  const definition = definitions.find((d) => d.matchesStepName('"alice" says "sales"'))!;
  const world = { gated: undefined, liveGated: {}, attach: () => undefined };
  await assert.rejects(Promise.resolve(definition.code.apply(world, ['alice', 'sales'])), /"says" is not supported by the live gate yet \(fch app test --live\)/);
});

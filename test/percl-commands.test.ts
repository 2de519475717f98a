// Every PerCL command of the reference and of SDK 2.1.3's builders: scripts the SDK really builds
// are valid (test/fixtures/percl/sdk-2.1.3.json), and each broken attribute, nesting, placement and
// attribute pair is reported at its exact JSON pointer with its rule.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblems, validatePercl, type Problem, type Rule, type ScriptContext } from '../support/percl/validate';

const FIXTURE_DIR = join(__dirname, 'fixtures', 'percl');
const SDK = JSON.parse(readFileSync(join(FIXTURE_DIR, 'sdk-2.1.3.json'), 'utf8')) as { builders: string[]; scripts: Record<string, unknown[]> };
const U = 'https://app.example.com/a';
const QUEUE = 'QU' + 'a'.repeat(40);

function problemsOf(doc: unknown, context?: ScriptContext): [Problem['severity'], string, Rule][] {
  return validatePercl(doc, context).problems.map((p) => [p.severity, p.pointer, p.rule]);
}

describe('SDK 2.1.3 builders', () => {
  it('the fixture is what the unmodified SDK builds (when test/fixtures/sdk-apps is installed)', (t) => {
    if (!existsSync(join(__dirname, 'fixtures', 'sdk-apps', 'node_modules', 'sdk2'))) return t.skip('npm ci in test/fixtures/sdk-apps first');
    const built = spawnSync(process.execPath, [join(FIXTURE_DIR, 'build-sdk-2.1.3.js'), '--print'], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    assert.equal(built.stdout, readFileSync(join(FIXTURE_DIR, 'sdk-2.1.3.json'), 'utf8'));
  });

  it('the fixture uses every builder the SDK has', () => {
    const used = new Set(Object.values(SDK.scripts).flatMap((s) => s.map((c) => Object.keys(c as object)[0])));
    // Each builder is named after its command with a lower-case first letter (percl.outDial → OutDial).
    const commands = SDK.builders.filter((b) => b !== 'build').map((b) => b[0].toUpperCase() + b.slice(1));
    assert.deepEqual([...used].sort(), commands.sort());
  });

  for (const [name, script] of Object.entries(SDK.scripts)) {
    it(`${name} is valid, with no error`, () => {
      const report = validatePercl(script);
      assert.equal(report.valid, true, formatProblems(report.problems));
      // The only warnings are the legacy attributes 2.1.3 still sends for conference commands.
      assert.deepEqual(report.problems.filter((p) => p.rule !== 'legacy-attribute'), [], formatProblems(report.problems));
    });
  }

  it('covers the seven commands issue 22 found reported as unknown', () => {
    const used = new Set(Object.values(SDK.scripts).flatMap((s) => s.map((c) => Object.keys(c as object)[0])));
    for (const name of ['Enqueue', 'Dequeue', 'RecordUtterance', 'StartRecordCall', 'PlayEarlyMedia', 'GetSpeech', 'Sms']) assert.ok(used.has(name), name);
  });
});

describe('required attributes and types of the non-conference commands', () => {
  const cases: [string, unknown, [Problem['severity'], string, Rule][]][] = [
    ['Enqueue needs queueId, actionUrl, waitUrl', [{ Enqueue: {} }], [
      ['error', '/0/Enqueue/queueId', 'required'], ['error', '/0/Enqueue/actionUrl', 'required'], ['error', '/0/Enqueue/waitUrl', 'required'],
    ]],
    ['Enqueue.queueId is a queue ID', [{ Enqueue: { queueId: 'support', actionUrl: U, waitUrl: U } }], [['error', '/0/Enqueue/queueId', 'format']]],
    ['Enqueue.notificationUrl is a URL', [{ Enqueue: { queueId: QUEUE, actionUrl: U, waitUrl: U, notificationUrl: 'joined' } }], [['error', '/0/Enqueue/notificationUrl', 'format']]],
    ['the 2.1.3 typings misspell notificationUrl: a warning', [{ Enqueue: { queueId: QUEUE, actionUrl: U, waitUrl: U, notificatonUrl: U } }], [['warning', '/0/Enqueue/notificatonUrl', 'unknown-attribute']]],
    ['Dequeue takes no attribute', [{ Dequeue: { queueId: QUEUE } }], [['warning', '/0/Dequeue/queueId', 'unknown-attribute']]],
    ['RecordUtterance needs actionUrl', [{ RecordUtterance: { maxLengthSec: 60 } }], [['error', '/0/RecordUtterance/actionUrl', 'required']]],
    ['RecordUtterance.finishOnKey is one key', [{ RecordUtterance: { actionUrl: U, finishOnKey: '##' } }], [['error', '/0/RecordUtterance/finishOnKey', 'format']]],
    ['RecordUtterance.maxLengthSec is an integer', [{ RecordUtterance: { actionUrl: U, maxLengthSec: 1.5 } }], [['error', '/0/RecordUtterance/maxLengthSec', 'type']]],
    ['RecordUtterance.silenceTimeoutMs is not negative', [{ RecordUtterance: { actionUrl: U, silenceTimeoutMs: -1 } }], [['error', '/0/RecordUtterance/silenceTimeoutMs', 'range']]],
    ['RecordUtterance.playBeep is a boolean', [{ RecordUtterance: { actionUrl: U, playBeep: 'always' } }], [['error', '/0/RecordUtterance/playBeep', 'type']]],
    ['StartRecordCall takes no attribute', [{ StartRecordCall: { actionUrl: U } }], [['warning', '/0/StartRecordCall/actionUrl', 'unknown-attribute']]],
    ['PlayEarlyMedia needs file', [{ PlayEarlyMedia: {} }], [['error', '/0/PlayEarlyMedia/file', 'required']]],
    ['GetSpeech needs actionUrl and grammarFile', [{ GetSpeech: {} }], [['error', '/0/GetSpeech/actionUrl', 'required'], ['error', '/0/GetSpeech/grammarFile', 'required']]],
    ['GetSpeech.grammarType is URL or BUILTIN', [{ GetSpeech: { actionUrl: U, grammarFile: 'DIG4', grammarType: 'builtin' } }], [['error', '/0/GetSpeech/grammarType', 'enum']]],
    ['a BUILTIN grammarFile is a built-in name', [{ GetSpeech: { actionUrl: U, grammarFile: 'YES_NO', grammarType: 'BUILTIN' } }], [['error', '/0/GetSpeech/grammarFile', 'enum']]],
    ['a URL grammarFile is a URL', [{ GetSpeech: { actionUrl: U, grammarFile: 'DIG4', grammarType: 'URL' } }], [['error', '/0/GetSpeech/grammarFile', 'format']]],
    ['no grammarType and a non-URL grammarFile: a warning [AMBIGUOUS default]', [{ GetSpeech: { actionUrl: U, grammarFile: 'DIG4' } }], [['warning', '/0/GetSpeech/grammarType', 'conditional']]],
    ['GetSpeech.confidenceThreshold is 0.0–1.0', [{ GetSpeech: { actionUrl: U, grammarFile: U, confidenceThreshold: 50 } }], [['error', '/0/GetSpeech/confidenceThreshold', 'range']]],
    ['the 2.1.3 typings misspell noInputTimeoutMs: a warning', [{ GetSpeech: { actionUrl: U, grammarFile: U, noInputTimoutMs: 3000 } }], [['warning', '/0/GetSpeech/noInputTimoutMs', 'unknown-attribute']]],
    ['Sms needs to, from, text', [{ Sms: {} }], [['error', '/0/Sms/to', 'required'], ['error', '/0/Sms/from', 'required'], ['error', '/0/Sms/text', 'required']]],
    ['Sms numbers are E.164', [{ Sms: { to: '5550104444', from: '+15550100001', text: 'hi' } }], [['error', '/0/Sms/to', 'format']]],
    ['Sms.text cannot be empty', [{ Sms: { to: '+15550104444', from: '+15550100001', text: '' } }], [['error', '/0/Sms/text', 'range']]],
    ['Sms.text over 160 warns [CONFLICT 160/254]', [{ Sms: { to: '+15550104444', from: '+15550100001', text: 'x'.repeat(161) } }], [['warning', '/0/Sms/text', 'range']]],
    ['Sms.text over 254 fails', [{ Sms: { to: '+15550104444', from: '+15550100001', text: 'x'.repeat(255) } }], [['error', '/0/Sms/text', 'range']]],
    ['Park needs waitUrl and actionUrl', [{ Park: {} }], [['error', '/0/Park/waitUrl', 'required'], ['error', '/0/Park/actionUrl', 'required']]],
    ['TranscribeUtterance.record.maxLengthSec is 1–60', [{ TranscribeUtterance: { actionUrl: U, record: { maxLengthSec: 61 } } }], [['error', '/0/TranscribeUtterance/record/maxLengthSec', 'range']]],
    ['Say.language is one of the 26 languages', [{ Say: { text: 'hi', language: 'en' } }], [['error', '/0/Say/language', 'enum']]],
    ['OutDial with ifMachine redirect needs ifMachineUrl', [{ OutDial: { actionUrl: U, callConnectUrl: U, callingNumber: '+15550100001', destination: '+15550107777', ifMachine: 'redirect' } }], [['error', '/0/OutDial/ifMachineUrl', 'required']]],
    ['OutDial with ifMachine hangup leaves ifMachineUrl out', [{ OutDial: { actionUrl: U, callConnectUrl: U, callingNumber: '+15550100001', destination: '+15550107777', ifMachine: 'hangup', ifMachineUrl: U } }], [['warning', '/0/OutDial/ifMachineUrl', 'conditional']]],
    ['Say.language with engine warns', [{ Say: { text: 'hi', language: 'en-US', engine: { name: 'freeclimb.neural' } } }], [['warning', '/0/Say/language', 'conditional']]],
  ];
  for (const [title, doc, expected] of cases) {
    it(title, () => {
      assert.deepEqual(problemsOf(doc), expected);
      assert.equal(validatePercl(doc).valid, !expected.some(([severity]) => severity === 'error'));
    });
  }
});

describe('rules between commands', () => {
  it('only Say, Play and Pause nest in GetSpeech and TranscribeUtterance prompts', () => {
    assert.deepEqual(problemsOf([{ GetSpeech: { actionUrl: U, grammarFile: U, prompts: [{ Say: { text: 'a' } }, { Sms: { to: '+15550104444', from: '+15550100001', text: 'x' } }] } }]), [
      ['error', '/0/GetSpeech/prompts/1/Sms', 'nesting'],
    ]);
    assert.match(validatePercl([{ GetSpeech: { actionUrl: U, grammarFile: U, prompts: [{ Hangup: {} }] } }]).problems[0].message, /GetSpeech\.prompts/);
    assert.deepEqual(problemsOf([{ TranscribeUtterance: { actionUrl: U, prompts: [{ Enqueue: { queueId: QUEUE, actionUrl: U, waitUrl: U } }] } }]), [
      ['error', '/0/TranscribeUtterance/prompts/0/Enqueue', 'nesting'],
    ]);
    assert.deepEqual(problemsOf([{ GetSpeech: { actionUrl: U, grammarFile: U, prompts: [{ Say: {} }] } }]), [['error', '/0/GetSpeech/prompts/0/Say/text', 'required']]);
  });

  it('a prompts list on a command that holds none is an unknown attribute', () => {
    assert.deepEqual(problemsOf([{ RecordUtterance: { actionUrl: U, prompts: [{ Say: { text: 'beep' } }] } }]), [['warning', '/0/RecordUtterance/prompts', 'unknown-attribute']]);
  });

  for (const terminal of [
    { Enqueue: { queueId: QUEUE, actionUrl: U, waitUrl: U } },
    { Dequeue: {} },
    { RecordUtterance: { actionUrl: U } },
    { GetSpeech: { actionUrl: U, grammarFile: U } },
    { TranscribeUtterance: { actionUrl: U } },
    { Park: { actionUrl: U, waitUrl: U } },
    { Unpark: {} },
  ]) {
    const name = Object.keys(terminal)[0];
    it(`${name} is terminal: what follows is ignored with a warning`, () => {
      const report = validatePercl([terminal, { Say: { text: 'never said' } }]);
      assert.deepEqual(problemsOf([terminal, { Say: { text: 'never said' } }]), [['warning', '/1', 'after-terminal']]);
      assert.deepEqual(report.commands.map((c) => c.name), [name]);
    });
  }

  for (const goesOn of [{ StartRecordCall: {} }, { Sms: { to: '+15550104444', from: '+15550100001', text: 'x' } }, { Hangup: {} }]) {
    it(`${Object.keys(goesOn)[0]} is not terminal`, () => {
      assert.deepEqual(problemsOf([goesOn, { Say: { text: 'next' } }]), []);
      assert.equal(validatePercl([goesOn, { Say: { text: 'next' } }]).commands.length, 2);
    });
  }

  it('PlayEarlyMedia plays only at the start: a leading run is fine, a later one warns', () => {
    const early = { PlayEarlyMedia: { file: U } };
    assert.deepEqual(problemsOf([early, early, { Say: { text: 'hi' } }]), []);
    assert.deepEqual(problemsOf([{ Say: { text: 'hi' } }, early]), [['warning', '/1/PlayEarlyMedia', 'placement']]);
    assert.equal(validatePercl([{ Say: { text: 'hi' } }, early]).valid, true);
  });

  it('GetDigits and GetSpeech warn in a conference, and only when the caller says the call is in one', () => {
    const doc = [{ GetSpeech: { actionUrl: U, grammarFile: U } }];
    assert.deepEqual(problemsOf(doc), []);
    assert.deepEqual(problemsOf(doc, { inConference: true }), [['warning', '/0/GetSpeech', 'context']]);
    assert.deepEqual(problemsOf([{ Say: { text: 'x' } }, { GetDigits: { actionUrl: U } }], { inConference: true }), [['warning', '/1/GetDigits', 'context']]);
    assert.deepEqual(problemsOf([{ SetTalk: { talk: false } }], { inConference: true }), []);
  });

  it('unknown commands are still errors, and the message lists the new ones as known', () => {
    const report = validatePercl([{ Queue: { queueId: QUEUE } }]);
    assert.deepEqual(problemsOf([{ Queue: { queueId: QUEUE } }]), [['error', '/0/Queue', 'unknown-command']]);
    assert.match(report.problems[0].message, /Enqueue, Dequeue/);
  });
});

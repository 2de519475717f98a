// One test per validator rule, each pinning the exact JSON pointer, because the receiver, the
// simulator and `fch percl validate` all report problems by pointer and app teams act on them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatProblems, validatePercl, type Problem, type Rule } from '../support/percl/validate';

const URL_A = 'https://h/conf/created';

/** The problems of a script as `[severity, pointer, rule]`, the part a test should pin. */
function problemsOf(doc: unknown): [Problem['severity'], string, Rule][] {
  return validatePercl(doc).problems.map((p) => [p.severity, p.pointer, p.rule]);
}

describe('validatePercl: errors', () => {
  it('document-shape: a script must be an array', () => {
    for (const doc of [{}, 'Say', null, 42]) {
      assert.deepEqual(problemsOf(doc), [['error', '', 'document-shape']], JSON.stringify(doc));
      assert.equal(validatePercl(doc).valid, false);
    }
  });

  it('command-shape: each element is an object with exactly one key', () => {
    assert.deepEqual(problemsOf([42]), [['error', '/0', 'command-shape']]);
    assert.deepEqual(problemsOf([{ Say: { text: 'a' } }, {}]), [['error', '/1', 'command-shape']]);
    assert.deepEqual(problemsOf([{ Say: { text: 'a' }, Hangup: {} }]), [['error', '/0', 'command-shape']]);
    assert.deepEqual(problemsOf([[{ Hangup: {} }]]), [['error', '/0', 'command-shape']]);
  });

  it('unknown-command: names the command, pointer at the key', () => {
    const report = validatePercl([{ Speak: { text: 'hi' } }]);
    assert.deepEqual(problemsOf([{ Speak: { text: 'hi' } }]), [['error', '/0/Speak', 'unknown-command']]);
    assert.match(report.problems[0].message, /"Speak"/);
    assert.equal(report.valid, false);
  });

  it('required: a missing required attribute', () => {
    assert.deepEqual(problemsOf([{ CreateConference: {} }]), [['error', '/0/CreateConference/actionUrl', 'required']]);
    assert.deepEqual(problemsOf([{ AddToConference: {} }]), [['error', '/0/AddToConference/conferenceId', 'required']]);
    assert.deepEqual(
      problemsOf([{ OutDial: { actionUrl: URL_A, callConnectUrl: URL_A, callingNumber: '+15550100001' } }]),
      [['error', '/0/OutDial/destination', 'required']],
    );
  });

  it('type: wrong attribute type, and attributes that are not an object', () => {
    assert.deepEqual(problemsOf([{ CreateConference: { actionUrl: URL_A, record: 'yes' } }]), [['error', '/0/CreateConference/record', 'type']]);
    assert.deepEqual(problemsOf([{ SetTalk: { talk: 'false' } }]), [['error', '/0/SetTalk/talk', 'type']]);
    assert.deepEqual(problemsOf([{ Hangup: 'now' }]), [['error', '/0/Hangup', 'type']]);
  });

  it('enum: a value outside the documented set', () => {
    const report = validatePercl([{ CreateConference: { actionUrl: URL_A, playBeep: 'sometimes' } }]);
    assert.deepEqual(problemsOf([{ CreateConference: { actionUrl: URL_A, playBeep: 'sometimes' } }]), [['error', '/0/CreateConference/playBeep', 'enum']]);
    assert.match(report.problems[0].message, /entryOnly/);
  });

  it('format: URLs, DTMF digits and IDs', () => {
    assert.deepEqual(problemsOf([{ CreateConference: { actionUrl: 'not a url' } }]), [['error', '/0/CreateConference/actionUrl', 'format']]);
    assert.deepEqual(problemsOf([{ CreateConference: { actionUrl: 'ftp://h/x' } }]), [['error', '/0/CreateConference/actionUrl', 'format']]);
    assert.deepEqual(problemsOf([{ SendDigits: { digits: 'abc' } }]), [['error', '/0/SendDigits/digits', 'format']]);
    assert.deepEqual(problemsOf([{ AddToConference: { conferenceId: 'XX1' } }]), [['error', '/0/AddToConference/conferenceId', 'format']]);
  });

  it('range: lengths and numeric bounds', () => {
    assert.deepEqual(problemsOf([{ CreateConference: { actionUrl: URL_A, alias: 'x'.repeat(65) } }]), [['error', '/0/CreateConference/alias', 'range']]);
    assert.deepEqual(problemsOf([{ SendDigits: { digits: '1', pauseMs: 50 } }]), [['error', '/0/SendDigits/pauseMs', 'range']]);
    assert.deepEqual(problemsOf([{ Pause: { length: 0 } }]), [['error', '/0/Pause/length', 'range']]);
    // 64 is the limit, not 63.
    assert.deepEqual(problemsOf([{ CreateConference: { actionUrl: URL_A, alias: 'x'.repeat(64) } }]), []);
  });

  it('reports every problem of a script, not just the first', () => {
    assert.deepEqual(problemsOf([{ Say: {} }, { CreateConference: { actionUrl: 'x', playBeep: 'loud' } }]), [
      ['error', '/0/Say/text', 'required'],
      ['error', '/1/CreateConference/actionUrl', 'format'],
      ['error', '/1/CreateConference/playBeep', 'enum'],
    ]);
  });
});

describe('validatePercl: warnings', () => {
  it('unknown-attribute is a warning; the script stays valid', () => {
    const report = validatePercl([{ CreateConference: { actionUrl: URL_A, color: 'red' } }]);
    assert.deepEqual(problemsOf([{ CreateConference: { actionUrl: URL_A, color: 'red' } }]), [['warning', '/0/CreateConference/color', 'unknown-attribute']]);
    assert.equal(report.valid, true);
  });

  it('a command with an unknown attribute still runs, with the attribute stripped', () => {
    const report = validatePercl([{ CreateConference: { actionUrl: URL_A, color: 'red' } }]);
    assert.deepEqual(report.commands, [{ name: 'CreateConference', attrs: { actionUrl: URL_A }, legacy: {} }]);
  });

  it('legacy-attribute: AddToConference.callId is a warning and is split off', () => {
    const report = validatePercl([{ AddToConference: { conferenceId: 'CF1', callId: 'CA1' } }]);
    assert.deepEqual(problemsOf([{ AddToConference: { conferenceId: 'CF1', callId: 'CA1' } }]), [['warning', '/0/AddToConference/callId', 'legacy-attribute']]);
    assert.equal(report.valid, true);
    assert.deepEqual(report.commands, [{ name: 'AddToConference', attrs: { conferenceId: 'CF1' }, legacy: { callId: 'CA1' } }]);
  });

  it('legacy-attribute: TerminateConference.conferenceId is a warning and is split off', () => {
    const report = validatePercl([{ TerminateConference: { conferenceId: 'CF1' } }]);
    assert.deepEqual(problemsOf([{ TerminateConference: { conferenceId: 'CF1' } }]), [['warning', '/0/TerminateConference/conferenceId', 'legacy-attribute']]);
    assert.equal(report.valid, true);
    assert.deepEqual(report.commands, [{ name: 'TerminateConference', attrs: {}, legacy: { conferenceId: 'CF1' } }]);
  });

  it('after-terminal: commands after a terminal one warn and are not executed', () => {
    const doc = [{ Say: { text: 'hold on' } }, { Redirect: { actionUrl: URL_A } }, { Say: { text: 'never said' } }, { Hangup: {} }];
    const report = validatePercl(doc);
    assert.deepEqual(problemsOf(doc), [
      ['warning', '/2', 'after-terminal'],
      ['warning', '/3', 'after-terminal'],
    ]);
    assert.match(report.problems[0].message, /\/1/);
    assert.equal(report.valid, true);
    assert.deepEqual(report.commands.map((c) => c.name), ['Say', 'Redirect']);
  });

  it('Hangup is not terminal: what follows it is not flagged', () => {
    assert.deepEqual(problemsOf([{ Hangup: {} }, { Say: { text: 'x' } }]), []);
  });
});

describe('validatePercl: nesting in GetDigits.prompts', () => {
  const getDigits = (prompts: unknown[]) => [{ GetDigits: { actionUrl: URL_A, prompts } }];

  it('accepts Say, Play and Pause', () => {
    const doc = getDigits([{ Say: { text: 'Enter' } }, { Play: { file: 'https://h/a.wav' } }, { Pause: { length: 500 } }]);
    assert.deepEqual(problemsOf(doc), []);
  });

  it('rejects other commands with a nesting error at the nested key', () => {
    assert.deepEqual(problemsOf(getDigits([{ Hangup: {} }])), [['error', '/0/GetDigits/prompts/0/Hangup', 'nesting']]);
    assert.deepEqual(problemsOf(getDigits([{ Say: { text: 'a' } }, { GetDigits: { actionUrl: URL_A } }])), [
      ['error', '/0/GetDigits/prompts/1/GetDigits', 'nesting'],
    ]);
  });

  it('validates the nested commands themselves', () => {
    assert.deepEqual(problemsOf(getDigits([{ Say: {} }])), [['error', '/0/GetDigits/prompts/0/Say/text', 'required']]);
    assert.deepEqual(problemsOf(getDigits([7])), [['error', '/0/GetDigits/prompts/0', 'command-shape']]);
    assert.equal(validatePercl(getDigits([{ Say: {} }])).valid, false);
  });
});

describe('validatePercl: reference §5.4 example scripts', () => {
  const examples: unknown[] = [
    [{ CreateConference: { actionUrl: 'https://h/conf/created', statusCallbackUrl: 'https://h/conf/status', playBeep: 'always' } }],
    [
      {
        AddToConference: {
          conferenceId: 'CFf44c926f757059dea479b144947488e1f257be58',
          startConfOnEnter: true,
          leaveConferenceUrl: 'https://h/conf/left',
          notificationUrl: 'https://h/conf/joined',
        },
      },
    ],
    [{ Say: { text: 'Goodbye', loop: 1 } }, { TerminateConference: {} }],
    [{ SetTalk: { talk: false } }],
    [{ GetDigits: { actionUrl: 'https://h/digits', maxDigits: 1, minDigits: 1, flushBuffer: true, prompts: [{ Say: { text: 'Enter a room code', loop: 1 } }] } }],
  ];
  for (const [i, doc] of examples.entries()) {
    it(`example ${i + 1} is valid with no problems`, () => {
      const report = validatePercl(doc);
      assert.equal(report.valid, true, formatProblems(report.problems));
      assert.deepEqual(report.problems, []);
      assert.equal(report.commands.length, (doc as unknown[]).length);
    });
  }
});

describe('formatProblems', () => {
  it('prints one line per problem with severity, pointer and rule', () => {
    const text = formatProblems(validatePercl([{ Say: {} }, { Hangup: {}, Say: {} }]).problems);
    assert.deepEqual(text.split('\n').map((l) => l.split(' [')[0]), ['error /0/Say/text', 'error /1']);
    assert.equal(formatProblems(validatePercl({}).problems).startsWith('error (document)'), true);
  });
});

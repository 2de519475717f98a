// GetSpeech: what the caller says is matched against the grammar and reported to actionUrl with
// reason, recognitionResult and confidence; silence is noInput, a key is digit, a hang-up is
// reported without running the PerCL. Sources: DOC:getspeech-1, SPEC GetSpeechWebhook.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matchBuiltin, SPEECH_COMPLETE_TIMEOUT_DEFAULT_MS, SPEECH_NO_INPUT_TIMEOUT_DEFAULT_MS } from '../support/simulator/speech';
import { rig, type Rig } from './helpers/webhook-rig';

const SPEECH = '/speech';

function menu(r: Rig, attrs: Record<string, unknown>) {
  return [{ GetSpeech: { actionUrl: r.hooks.url(SPEECH), prompts: [{ Say: { text: 'Say sales or support' } }], ...attrs } }];
}

test('a URL grammar: the caller\'s words are recognized as said ([AMBIGUOUS] reading); the PerCL continues the call', async (t) => {
  const r = await rig(t);
  r.hooks.on(SPEECH, (body) => [{ Say: { text: `You said ${String(body.recognitionResult)}` } }, { Hangup: {} }]);
  const call = r.call(menu(r, { grammarType: 'URL', grammarFile: 'https://h.example/menu.grxml' }));
  await r.sim.settle();
  assert.ok(call.heard?.some((h) => h.text === 'Say sales or support'), 'the prompt was heard');
  r.sim.speak(call.callId, 'Sales', 800);
  await r.sim.advance(800 + SPEECH_COMPLETE_TIMEOUT_DEFAULT_MS);
  const [result] = r.hooks.at(SPEECH);
  assert.equal(result.requestType, 'getSpeech');
  assert.equal(result.reason, 'recognition');
  assert.equal(result.recognitionResult, 'sales');
  assert.equal(result.confidence, 100);
  assert.ok(call.heard?.some((h) => h.text === 'You said sales'));
  assert.equal(call.endedReason, 'appHangup');
});

test('a built-in grammar: VERSAY_YESNO recognizes yes; DIG4 recognizes four spoken digits and misses two', async (t) => {
  const r = await rig(t);
  const yes = r.call(menu(r, { grammarType: 'BUILTIN', grammarFile: 'VERSAY_YESNO' }));
  await r.sim.settle();
  r.sim.engine.callerSpeaks(yes, 'yeah', 500);
  await r.sim.advance(500 + SPEECH_COMPLETE_TIMEOUT_DEFAULT_MS);
  const pin = r.call(menu(r, { grammarType: 'BUILTIN', grammarFile: 'DIG4', speechCompleteTimeoutMs: 300 }));
  const short = r.call(menu(r, { grammarType: 'BUILTIN', grammarFile: 'DIG4', speechCompleteTimeoutMs: 300 }));
  await r.sim.settle();
  r.sim.engine.callerSpeaks(pin, 'one two three four', 2000);
  r.sim.engine.callerSpeaks(short, 'one two', 2000);
  await r.sim.advance(2300);
  const byCall = new Map(r.hooks.at(SPEECH).map((b) => [b.callId, b]));
  assert.deepEqual([byCall.get(yes.callId)?.reason, byCall.get(yes.callId)?.recognitionResult], ['recognition', 'yes']);
  assert.deepEqual([byCall.get(pin.callId)?.reason, byCall.get(pin.callId)?.recognitionResult], ['recognition', '1234']);
  assert.deepEqual([byCall.get(short.callId)?.reason, byCall.get(short.callId)?.confidence], ['noMatch', 0]);
});

test('a caller who stays silent: noInput after noInputTimeoutMs', async (t) => {
  const r = await rig(t);
  r.call(menu(r, { grammarFile: 'https://h.example/menu.grxml' }));
  r.call(menu(r, { grammarFile: 'https://h.example/menu.grxml', noInputTimeoutMs: 8000 }));
  await r.sim.settle();
  await r.sim.advance(SPEECH_NO_INPUT_TIMEOUT_DEFAULT_MS);
  assert.deepEqual(r.hooks.at(SPEECH).map((b) => b.reason), ['noInput']);
  await r.sim.advance(8000 - SPEECH_NO_INPUT_TIMEOUT_DEFAULT_MS);
  assert.deepEqual(r.hooks.at(SPEECH).map((b) => b.reason), ['noInput', 'noInput']);
  assert.equal(r.hooks.at(SPEECH)[0].recognitionResult, null);
});

test('a key pressed instead of speaking: reason digit, the key as the result', async (t) => {
  const r = await rig(t);
  const call = r.call(menu(r, { grammarFile: 'https://h.example/menu.grxml' }));
  await r.sim.settle();
  r.sim.press(call.callId, '2');
  await r.sim.settle();
  const [result] = r.hooks.at(SPEECH);
  assert.deepEqual([result.reason, result.recognitionResult], ['digit', '2']);
});

test('a hang-up while listening: reason hangup is reported, its PerCL does not run', async (t) => {
  const r = await rig(t);
  r.hooks.on(SPEECH, [{ Say: { text: 'never heard' } }]);
  const call = r.call(menu(r, { grammarFile: 'https://h.example/menu.grxml' }));
  await r.sim.settle();
  r.sim.hangUpFarEnd(call.callId);
  await r.sim.settle();
  assert.deepEqual(r.hooks.at(SPEECH).map((b) => b.reason), ['hangup']);
  assert.equal(call.heard?.some((h) => h.text === 'never heard'), false);
});

describe('built-in grammars', () => {
  const cases: [string, string, string | undefined][] = [
    ['DIG1', 'seven', '7'],
    ['DIG3', '4 0 4', '404'],
    ['DIG3', 'four oh four', '404'],
    ['DIG3', 'four hundred four', undefined],
    ['ANY_DIG', '12345678901234567890123', '12345678901234567890123'],
    ['UP_TO_20_DIGIT_SEQUENCE', '1'.repeat(21), undefined],
    ['UP_TO_20_DIGIT_SEQUENCE', '5 5 5 0 1', '55501'],
    ['ALPHNUM6', 'a b c 1 2 3', 'ABC123'],
    ['ALPHNUM6', 'abc12', undefined],
    ['VERSAY_YESNO', 'Nope.', 'no'],
    ['VERSAY_YESNO', 'maybe', undefined],
  ];
  for (const [grammar, said, expected] of cases) {
    test(`${grammar} on "${said.slice(0, 24)}" → ${String(expected)}`, () => assert.equal(matchBuiltin(grammar, said), expected));
  }
});

// GetSpeech (issue 22): the app listens, the far end speaks (or does not), and the actionUrl gets a
// `getSpeech` webhook with reason, recognitionResult and confidence. Sources: DOC:getspeech-1, SPEC
// GetSpeech/GetSpeechWebhook/GetSpeechReason/GrammarFileBuiltIn.
import { Then, When } from '@cucumber/cucumber';
import { answerRedirectByWaiting } from '../support/app/scripts';
import { assertEqual, assertThat } from '../support/assert';
import type { HarnessWorld } from '../support/world';

type Body = Record<string, unknown>;

async function listen(world: HarnessWorld, name: string, grammar: Body): Promise<void> {
  const target = answerRedirectByWaiting(world.inbox, name);
  world.inbox.answer(`heard/${name}`, () => [{ Redirect: { actionUrl: target } }]);
  const getSpeech = { actionUrl: world.inbox.url(`heard/${name}`), ...grammar, prompts: [{ Say: { text: 'Say sales or support.' } }] };
  await world.dial(name, () => [{ GetSpeech: getSpeech }]);
  await world.inbox.waitFor((r) => r.endpoint === `connect/${name}` && r.answer !== undefined, { description: `the app's answer to ${name}'s call` });
}

When('{string} is dialled and the app listens for speech with the built-in grammar {string}', async function (this: HarnessWorld, name: string, grammar: string) {
  await listen(this, name, { grammarType: 'BUILTIN', grammarFile: grammar });
});

When('{string} is dialled and the app listens for speech with its own grammar', async function (this: HarnessWorld, name: string) {
  await listen(this, name, { grammarType: 'URL', grammarFile: this.inbox.url('grammar/menu.grxml') });
});

Then('the app hears from {string} reason {string} with result {string}', async function (this: HarnessWorld, name: string, reason: string, result: string) {
  const { callId } = this.participant(name);
  const record = await this.inbox.waitFor((r) => r.endpoint === `heard/${name}` && (r.body as Body).callId === callId, {
    description: `the getSpeech webhook of ${name}'s GetSpeech (${callId})`,
  });
  const body = record.body as Body;
  assertEqual(`requestType on ${name}'s GetSpeech actionUrl`, record.requestType, 'getSpeech', this.inbox.records);
  assertEqual(`reason of ${name}'s getSpeech`, body.reason, reason, this.inbox.records);
  // "(none)" in a feature: the reference sends no recognitionResult without a recognition.
  const expected = result === '(none)' ? null : result;
  assertEqual(`recognitionResult of ${name}'s getSpeech`, body.recognitionResult ?? null, expected, this.inbox.records);
  const confidence = Number(body.confidence ?? 0);
  assertThat('confidence is 0 to 100 (SPEC GetSpeechWebhook)', Number.isInteger(confidence) && confidence >= 0 && confidence <= 100, '0–100', body.confidence, this.inbox.records);
});

// What the person at the far end of a call does while the app collects speech, a message or keys
// (issue 22): speak, stay silent, press keys. The phrases say "the far end of" so they never clash
// with the app gate's caller vocabulary ("alice" says …), which plays the app's own callers.
import { When } from '@cucumber/cucumber';
import type { HarnessWorld } from '../support/world';

/** Spoken words take about this long each, so a result arrives a believable time later. */
const MS_PER_WORD = 400;
/** A speaker who has finished falls silent; recognisers wait for that silence before they answer. */
const PAUSE_AFTER_WORDS_MS = 2000;

async function speak(world: HarnessWorld, name: string, text: string, ms: number, silenceAfterMs = 0): Promise<void> {
  const { callId } = world.participant(name);
  // Only the simulator's far end can produce words; a live loopback leg can press keys, nothing more.
  if (!world.backend.speak) throw new Error(`the far end of "${name}" cannot speak in ${world.backend.mode} mode; tag this scenario @mock-only`);
  world.flowEvent({ kind: 'caller', caller: name, callId, action: 'says', detail: text });
  await world.backend.speak(callId, text, ms);
  // The sound lasts `ms`: let it pass, so what follows in the scenario comes after it.
  await world.backend.elapse(ms + silenceAfterMs);
}

When('the far end of {string} says {string}', async function (this: HarnessWorld, name: string, text: string) {
  if (text.trim() === '') throw new Error(`the far end of "${name}" says nothing: use "the far end of "${name}" is silent for N seconds"`);
  await speak(this, name, text, text.trim().split(/\s+/).length * MS_PER_WORD, PAUSE_AFTER_WORDS_MS);
});

When('the far end of {string} speaks for {float} seconds', async function (this: HarnessWorld, name: string, seconds: number) {
  if (!(seconds > 0)) throw new Error(`the far end of "${name}" speaks for ${seconds} seconds: give a positive number`);
  await speak(this, name, `(sound for ${seconds} s)`, Math.round(seconds * 1000));
});

When('the far end of {string} is silent for {int} seconds', async function (this: HarnessWorld, name: string, seconds: number) {
  this.flowEvent({ kind: 'note', text: `the far end of ${name} is silent for ${seconds} s` });
  await this.backend.elapse(seconds * 1000);
});

When('the far end of {string} presses {string}', async function (this: HarnessWorld, name: string, digits: string) {
  if (!/^[0-9*#]+$/.test(digits)) throw new Error(`"${digits}" are not DTMF keys (0-9, *, #)`);
  await this.pressDigits(name, digits);
});

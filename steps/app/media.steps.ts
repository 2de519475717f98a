// App gating: speech, voicemail, queues, SMS and call recording (issue 22, part 3). Each step is one
// call on the mock gate's GatedScenario; waiting (on virtual time), failing fast and explaining live
// there. The live gate (`fch app test --live`) does not play these yet: they say so.
import { Then, When } from '@cucumber/cucumber';
import type { GatedScenario } from '../../support/app-gate/gated-scenario';
import type { HarnessWorld } from '../../support/world';

/** The mock gate's scenario; these phrases are not played in live mode yet. */
export function mediaScenario(world: HarnessWorld, phrase: string): GatedScenario {
  if (world.liveGated) throw new Error(`"${phrase}" is not supported by the live gate yet (fch app test --live); run this scenario with the mock gate (fch app test)`);
  if (!world.gated) throw new Error('this step drives an app under test: run it with `fch app test` (HARNESS_APP_URL), not in the platform suite');
  return world.gated;
}

When('{string} says {string}', async function (this: HarnessWorld, name: string, text: string) {
  if (text.trim() === '') throw new Error(`"${name}" says nothing: use When "${name}" stays silent`);
  await mediaScenario(this, 'says').says(name, text);
});

When('{string} stays silent', async function (this: HarnessWorld, name: string) {
  await mediaScenario(this, 'stays silent').staysSilent(name);
});

When('{string} leaves a message of {int} seconds', async function (this: HarnessWorld, name: string, seconds: number) {
  if (seconds < 1) throw new Error(`a message of ${seconds} seconds is no message: give 1 or more`);
  await mediaScenario(this, 'leaves a message of … seconds').leavesMessage(name, seconds);
});

When('{string} leaves a message and presses {string}', async function (this: HarnessWorld, name: string, key: string) {
  if (!/^[0-9*#]$/.test(key)) throw new Error(`"${key}" is not one DTMF key (0-9, *, #)`);
  await mediaScenario(this, 'leaves a message and presses').leavesMessageAndPresses(name, key);
});

Then('{string} is waiting in a queue', async function (this: HarnessWorld, name: string) {
  await mediaScenario(this, 'is waiting in a queue').inQueue(name);
});

Then('{string} is no longer in a queue', async function (this: HarnessWorld, name: string) {
  await mediaScenario(this, 'is no longer in a queue').noLongerInQueue(name);
});

Then('the app texts {string} {string}', async function (this: HarnessWorld, to: string, fragment: string) {
  await mediaScenario(this, 'the app texts').appTexts(to, fragment);
});

Then('the call of {string} is recorded', async function (this: HarnessWorld, name: string) {
  await mediaScenario(this, 'the call of … is recorded').callRecorded(name);
});

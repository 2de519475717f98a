// App gating: simulated people calling the app under test (the step vocabulary of issue 7). Each
// step is one call on the scenario's GatedScenario; waiting, failing fast and explaining live there.
import { Then, When } from '@cucumber/cucumber';
import { gatedScenario } from '../../support/app-gate/world-access';
import type { HarnessWorld } from '../../support/world';

When('{string} calls the app', async function (this: HarnessWorld, name: string) {
  await gatedScenario(this).callApp(name);
});

When('{string} calls the app from {string}', async function (this: HarnessWorld, name: string, from: string) {
  if (!/^\+[1-9][0-9]{1,14}$/.test(from)) throw new Error(`"${from}" is not an E.164 number such as +15550104444`);
  await gatedScenario(this).callApp(name, from);
});

When('{string} presses {string}', async function (this: HarnessWorld, name: string, digits: string) {
  if (!/^[0-9*#]+$/.test(digits)) throw new Error(`"${digits}" are not DTMF keys (0-9, *, #)`);
  await gatedScenario(this).press(name, digits);
});

When('{string} presses {string} in the conference', async function (this: HarnessWorld, name: string, digits: string) {
  if (!/^[0-9*#]+$/.test(digits)) throw new Error(`"${digits}" are not DTMF keys (0-9, *, #)`);
  await gatedScenario(this).pressInConference(name, digits);
});

Then('{string} hears {string}', async function (this: HarnessWorld, name: string, text: string) {
  await gatedScenario(this).hears(name, text);
});

Then('{string}\'s call ends', async function (this: HarnessWorld, name: string) {
  await gatedScenario(this).callEnds(name);
});

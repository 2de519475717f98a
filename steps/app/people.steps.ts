// App gating: the people an app calls (OutDial, or POST /Calls). A person is named on a number and
// told what their phone will do; once the app calls them, every caller step works for them too.
import { Given, Then } from '@cucumber/cucumber';
import { gatedScenario } from '../../support/app-gate/world-access';
import type { HarnessWorld } from '../../support/world';

Given('{string} is at {string}', function (this: HarnessWorld, name: string, number: string) {
  gatedScenario(this).isAt(name, number);
});

Given('{string} will not answer', function (this: HarnessWorld, name: string) {
  gatedScenario(this).willAnswer(name, 'noAnswer');
});

Given('{string} will be busy', function (this: HarnessWorld, name: string) {
  gatedScenario(this).willAnswer(name, 'busy');
});

Given('{string}\'s voicemail will answer', function (this: HarnessWorld, name: string) {
  gatedScenario(this).willAnswer(name, 'machine');
});

Then('the app calls {string}', async function (this: HarnessWorld, name: string) {
  await gatedScenario(this).appCalls(name);
});

Then('the app does not call {string} within {int} seconds', async function (this: HarnessWorld, name: string, seconds: number) {
  await gatedScenario(this).appDoesNotCall(name, seconds);
});

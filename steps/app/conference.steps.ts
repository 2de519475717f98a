// App gating: where the callers ended up, and the conference through REST. "The conference of
// alice" is the last conference alice was in.
import { Then, When } from '@cucumber/cucumber';
import { gatedScenario } from '../../support/app-gate/world-access';
import type { HarnessWorld } from '../../support/world';

Then('{string} is in a conference', async function (this: HarnessWorld, name: string) {
  await gatedScenario(this).inConference(name);
});

Then('{string} is not in a conference', async function (this: HarnessWorld, name: string) {
  await gatedScenario(this).notInConference(name);
});

Then('{string} and {string} are in the same conference', async function (this: HarnessWorld, a: string, b: string) {
  const gated = gatedScenario(this);
  const [ca, cb] = [await gated.inConference(a), await gated.inConference(b)];
  if (ca !== cb) throw new Error(`expected "${a}" and "${b}" in the same conference; "${a}" is in ${ca}, "${b}" in ${cb} (variant: ${gated.run.variant})`);
});

Then('{string} and {string} are in different conferences', async function (this: HarnessWorld, a: string, b: string) {
  const gated = gatedScenario(this);
  const [ca, cb] = [await gated.inConference(a), await gated.inConference(b)];
  if (ca === cb) throw new Error(`expected "${a}" and "${b}" in different conferences; both are in ${ca} (variant: ${gated.run.variant})`);
});

When('the conference of {string} is terminated through REST', async function (this: HarnessWorld, name: string) {
  await gatedScenario(this).terminateConferenceOf(name);
});

Then('the conference of {string} is {string}', async function (this: HarnessWorld, name: string, status: string) {
  const gated = gatedScenario(this);
  const actual = await gated.conferenceStatusOf(name, status);
  if (actual !== status) throw new Error(`the conference of "${name}" (${gated.conferenceOf(name)}) is "${actual}" through REST, expected "${status}" (variant: ${gated.run.variant})`);
});

Then('the app rejects unsigned, forged and stale webhooks', async function (this: HarnessWorld) {
  const gated = gatedScenario(this);
  const problems = await gated.probeSignatures();
  if (problems.length === 0) return;
  const message = `the app under test accepted webhooks it must reject (§4.5):\n  ${problems.join('\n  ')}`;
  if (gated.run.appCfg.requireSignatures) throw new Error(message);
  this.attach(`warning (HARNESS_APP_REQUIRE_SIGNATURES=false): ${message}`, { mediaType: 'text/plain', fileName: 'signature-warning.txt' });
});

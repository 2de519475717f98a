// Phrases the built-in app checks need beyond the vocabulary (app-features/builtin.feature).
import { Then, When } from '@cucumber/cucumber';
import { gatedScenario } from '../../support/app-gate/world-access';
import type { HarnessWorld } from '../../support/world';

When('{string} presses the join digits', async function (this: HarnessWorld, name: string) {
  const gated = gatedScenario(this);
  const digits = gated.run.appCfg.joinDigits;
  if (!digits) throw new Error('the built-in app checks need HARNESS_APP_JOIN_DIGITS (what a caller presses to join), or run with --no-builtin');
  await gated.press(name, digits);
});

When('the app collects digits from {string}', async function (this: HarnessWorld, name: string) {
  await gatedScenario(this).collectingDigits(name);
});

Then('{string} is not in the conference of {string}', async function (this: HarnessWorld, name: string, other: string) {
  const gated = gatedScenario(this);
  const old = gated.conferenceOf(other);
  const current = await gated.inConference(name);
  if (current === old) throw new Error(`"${name}" was put into ${old}, the conference of "${other}" (variant: ${gated.run.variant}); a terminated conference cannot be used again (§6.12)`);
});

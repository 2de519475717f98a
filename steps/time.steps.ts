// Conference time. In mock mode it is virtual; these steps make a scenario @mock-only in effect.
import { When } from '@cucumber/cucumber';
import type { HarnessWorld } from '../support/world';

When('{int} millisecond(s) pass(es)', async function (this: HarnessWorld, n: number) {
  await this.backend.elapse(n);
});

When('{int} second(s) pass(es)', async function (this: HarnessWorld, n: number) {
  await this.backend.elapse(n * 1000);
});

When('{int} minute(s) pass(es)', async function (this: HarnessWorld, n: number) {
  await this.backend.elapse(n * 60_000);
});

When('{int} hour(s) pass(es)', async function (this: HarnessWorld, n: number) {
  await this.backend.elapse(n * 3_600_000);
});

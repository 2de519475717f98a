// The PerCL the app returns is checked before it is served (reference §5).
import { Then, When } from '@cucumber/cucumber';
import { validatePercl, formatProblems } from '../support/percl/validate';
import { assertThat } from '../support/assert';
import type { HarnessWorld } from '../support/world';

When('{string} is dialled and the app answers with {string}', async function (this: HarnessWorld, name: string, percl: string) {
  // {{url:name}} stands for one of the scenario's receiver URLs, so examples never point elsewhere.
  const script: unknown = JSON.parse(percl.replace(/\{\{url:([\w/-]+)\}\}/g, (_m, endpoint: string) => this.inbox.url(endpoint)));
  await this.dial(name, () => script);
  await this.inbox.waitFor((r) => r.endpoint === `connect/${name}` && r.answer !== undefined, { description: `the app's answer to ${name}'s call` });
});

function answerTo(world: HarnessWorld, name: string) {
  const record = world.inbox.records.find((r) => r.endpoint === `connect/${name}` && r.answer);
  assertThat(`the app answered ${name}'s call`, record !== undefined, 'an answer', 'none', world.inbox.records);
  return record!;
}

Then('the answer to {string} is reported invalid at {string} by rule {string}', function (this: HarnessWorld, name: string, pointer: string, rule: string) {
  const record = answerTo(this, name);
  const problems = record.answer!.problems;
  const hit = problems.some((p) => p.severity === 'error' && p.pointer === pointer && p.rule === rule);
  assertThat(`an error at ${pointer} [${rule}]`, hit, `${pointer} [${rule}]`, formatProblems(problems) || '(no problems)');
  // This scenario expects exactly this report; it must not also fail the scenario afterwards.
  const reported = this.inbox.takeProblems('invalid-percl').filter((p) => p.endpoint === `connect/${name}`);
  assertThat('the invalid answer was reported as a problem of the scenario', reported.length === 1, 1, reported.length);
});

Then('the answer to {string} is valid with a warning at {string} by rule {string}', function (this: HarnessWorld, name: string, pointer: string, rule: string) {
  const problems = answerTo(this, name).answer!.problems;
  assertThat('no errors', !problems.some((p) => p.severity === 'error'), 'no errors', formatProblems(problems));
  assertThat(`a warning at ${pointer} [${rule}]`, problems.some((p) => p.severity === 'warning' && p.pointer === pointer && p.rule === rule), `${pointer} [${rule}]`, formatProblems(problems) || '(none)');
});

Then('the answer to {string} is valid', function (this: HarnessWorld, name: string) {
  const problems = answerTo(this, name).answer!.problems;
  assertThat(`the app's answer to ${name} has no problems`, problems.length === 0, 'no problems', formatProblems(problems));
});

Then('the PerCL {string} is valid', function (this: HarnessWorld, percl: string) {
  const report = validatePercl(JSON.parse(percl));
  assertThat('the documented example validates', report.valid && report.problems.length === 0, 'valid, no warnings', formatProblems(report.problems));
});

When('{string} answers call control with {string}', async function (this: HarnessWorld, name: string, percl: string) {
  await this.callControl(name, JSON.parse(percl));
  this.inbox.takeProblems('invalid-percl');
});

Then('the PerCL {string} is invalid at {string} by rule {string}', function (this: HarnessWorld, percl: string, pointer: string, rule: string) {
  const report = validatePercl(JSON.parse(percl));
  const hit = report.problems.some((p) => p.severity === 'error' && p.pointer === pointer && p.rule === rule);
  assertThat(`an error at ${pointer} [${rule}]`, !report.valid && hit, `${pointer} [${rule}]`, formatProblems(report.problems) || '(no problems)');
});

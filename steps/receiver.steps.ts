// Bad input reaching the harness: forged, stale, unsigned or malformed callbacks are rejected with
// a message that names what was wrong, and the evidence is kept.
import { Then, When } from '@cucumber/cucumber';
import { signatureHeader } from '../support/signature';
import { assertEqual, assertThat } from '../support/assert';
import type { HarnessWorld } from '../support/world';

const SAMPLE = (accountId: string) => ({
  requestType: 'conferenceStatus',
  accountId,
  callId: null,
  from: null,
  to: null,
  callStatus: null,
  direction: null,
  conferenceId: 'CF' + 'a'.repeat(40),
  queueId: null,
  status: 'empty',
});

async function post(world: HarnessWorld, body: string, signature: string | undefined): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['freeclimb-signature'] = signature;
  const res = await fetch(world.inbox.url('status'), { method: 'POST', headers, body });
  world.lastPosted = { status: res.status, text: await res.text() };
}

const now = () => Math.floor(Date.now() / 1000);

When('a callback signed with the wrong secret arrives', async function (this: HarnessWorld) {
  const body = JSON.stringify(SAMPLE(this.cfg.accountId));
  await post(this, body, signatureHeader(body, 'sigsec_not-the-account-secret', now()));
});

When('a callback signed ten minutes ago arrives', async function (this: HarnessWorld) {
  const body = JSON.stringify(SAMPLE(this.cfg.accountId));
  await post(this, body, signatureHeader(body, this.cfg.signingSecret, now() - 600));
});

When('an unsigned callback arrives', async function (this: HarnessWorld) {
  await post(this, JSON.stringify(SAMPLE(this.cfg.accountId)), undefined);
});

When('a signed callback with body {string} arrives', async function (this: HarnessWorld, body: string) {
  await post(this, body, signatureHeader(body, this.cfg.signingSecret, now()));
});

When('a signed conferenceStatus callback without {string} arrives', async function (this: HarnessWorld, field: string) {
  const sample: Record<string, unknown> = SAMPLE(this.cfg.accountId);
  delete sample[field];
  const body = JSON.stringify(sample);
  await post(this, body, signatureHeader(body, this.cfg.signingSecret, now()));
});

Then('the receiver answers {int} and reports a {string} problem mentioning {string}', function (this: HarnessWorld, status: number, kind: string, text: string) {
  const posted = this.lastPosted;
  if (!posted) throw new Error('no callback was posted by an earlier step');
  assertEqual('HTTP status the receiver answered', posted.status, status);
  const problems = this.inbox.takeProblems(kind as Parameters<typeof this.inbox.takeProblems>[0]);
  assertEqual(`number of "${kind}" problems recorded`, problems.length, 1, this.inbox.records);
  assertThat(`the ${kind} problem names what was wrong`, problems[0].message.includes(text), `a message containing "${text}"`, problems[0].message);
  assertThat('the rejected callback is kept as evidence', this.inbox.records.length === 1, 'one recorded request', this.inbox.records.length);
  assertThat('the signing secret is not echoed', !problems[0].message.includes(this.cfg.signingSecret) && !posted.text.includes(this.cfg.signingSecret), 'no secret', 'secret found');
});

Then('every callback so far is signed by the account and valid', async function (this: HarnessWorld) {
  await this.backend.settle();
  const records = this.inbox.records;
  const bad = records.filter((r) => !r.signature.ok || !r.validation.ok).map((r) => `#${r.seq} ${r.requestType ?? '?'}: ${r.signature.ok ? r.validation.message : `signature ${r.signature.reason}`}`);
  assertThat('callbacks received', records.length > 0, 'at least one', 0);
  assertEqual('callbacks with a bad signature or an undocumented payload (§4.3, §4.5)', bad, [], records);
});

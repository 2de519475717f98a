// REST results: authentication and error bodies (§1.1, §1.3, §1.4).
import { Then, When } from '@cucumber/cucumber';
import { errorBodyOf, FreeClimbClient } from '../support/client/freeclimb-client';
import { assertEqual, assertThat } from '../support/assert';
import type { HarnessWorld } from '../support/world';

When('conferences are listed with a wrong API key', async function (this: HarnessWorld) {
  const client = await FreeClimbClient.create({ apiBaseUrl: this.cfg.apiBaseUrl, accountId: this.cfg.accountId, apiKey: `${this.cfg.apiKey}-wrong`, timeoutMs: this.cfg.requestTimeoutMs });
  try {
    this.lastResponse = await client.request('GET', '/Conferences');
  } finally {
    await client.dispose();
  }
});

When('an unknown conference is read', async function (this: HarnessWorld) {
  this.lastResponse = await this.api.request('GET', `/Conferences/CF${'0'.repeat(40)}`);
});

Then('the API answers {int} with an error body', function (this: HarnessWorld, status: number) {
  const response = this.lastResponse;
  if (!response) throw new Error('no REST answer to check: an earlier step must make the request');
  assertEqual('HTTP status', response.status, status);
  const body = errorBodyOf(response);
  assertThat('the error body matches the documented shape (code, and call or message)', body.ok, 'a PlatformError body', body.ok ? '' : body.problem);
});

Then('REST creation answered 200 or 202 with the conference', async function (this: HarnessWorld) {
  const response = await this.backend.creatingConference(
    () => this.api.request('POST', '/Conferences', { body: { alias: `${this.aliasPrefix}-code`, statusCallbackUrl: this.inbox.url('status') } }),
    (r) => (r.json as { conferenceId?: string } | undefined)?.conferenceId,
  );
  // §6.24 [CONFLICT]: SPEC says 200 with a body, the docs 202 (queued).
  this.observe('C24', 'HTTP status of REST conference creation', String(response.status));
  assertThat('HTTP status of REST conference creation', [200, 202].includes(response.status), '200 or 202', response.status);
  const id = (response.json as { conferenceId?: string }).conferenceId;
  assertThat('the body carries the new conferenceId', typeof id === 'string' && id.startsWith('CF'), 'a CF… id', id);
  this.track(id!);
  await this.waitForStatus('empty', 'the creation callback');
});

// Call queues (issue 22): Enqueue holds a call and requests waitUrl's PerCL in a loop; a Dequeue
// (REST, or PerCL in the wait script) or a hang-up ends the wait, and the Enqueue actionUrl learns
// why (queueResult). Sources: SPEC Enqueue/Dequeue and the queue webhooks, DOC:dequeue-1,
// DOC:removefromqueuenotification, the using-queues guide.
import { Given, Then, When } from '@cucumber/cucumber';
import { answerRedirectByWaiting } from '../support/app/scripts';
import type { CallbackRecord } from '../support/callbacks/receiver';
import { assertEqual, assertThat } from '../support/assert';
import type { HarnessWorld } from '../support/world';

/** The queue each scenario created, by world (the World itself knows only conferences). */
const queues = new WeakMap<HarnessWorld, string>();

type Body = Record<string, unknown>;
const bodyOf = (r: CallbackRecord) => r.body as Body;

function queueOf(world: HarnessWorld): string {
  const id = queues.get(world);
  if (!id) throw new Error('this step needs a queue; create one first with: Given a queue made through REST');
  return id;
}

async function members(world: HarnessWorld): Promise<string[]> {
  const res = await world.api.request('GET', `/Queues/${queueOf(world)}/Members`, { expect: [200] });
  return ((res.json as { queueMembers?: { callId: string }[] }).queueMembers ?? []).map((m) => m.callId);
}

Given('a queue made through REST', async function (this: HarnessWorld) {
  const res = await this.api.request('POST', '/Queues', { body: { alias: `${this.aliasPrefix}-queue` }, expect: [200, 201, 202] });
  const queueId = (res.json as { queueId?: string }).queueId;
  if (!queueId) throw new Error(`POST /Queues answered ${res.status} without a queueId: ${res.text.slice(0, 200)}`);
  queues.set(this, queueId);
});

/**
 * `name`'s call is answered with Enqueue into the scenario's queue. The wait script is `wait`; the
 * PerCL answered to the actionUrl continues the call at a redirect the harness can see.
 */
async function enqueue(world: HarnessWorld, name: string, wait: unknown[]): Promise<void> {
  const queueId = queueOf(world);
  world.inbox.answer(`queue-wait/${name}`, () => wait);
  const target = answerRedirectByWaiting(world.inbox, name);
  world.inbox.answer(`queue-result/${name}`, () => [{ Say: { text: 'Thank you for waiting.' } }, { Redirect: { actionUrl: target } }]);
  const script = [
    {
      Enqueue: {
        queueId,
        waitUrl: world.inbox.url(`queue-wait/${name}`),
        actionUrl: world.inbox.url(`queue-result/${name}`),
        notificationUrl: world.inbox.url(`queue-note/${name}`),
      },
    },
  ];
  await world.dial(name, () => script);
}

When('{string} is dialled and the app puts the call in the queue', async function (this: HarnessWorld, name: string) {
  // A wait script that runs out: FreeClimb requests it again while the call waits.
  await enqueue(this, name, [{ Say: { text: 'Please hold.' } }]);
  await waitForWait(this, name, 1);
});

When('{string} is dialled and the app puts the call in the queue with a wait script that dequeues it', async function (this: HarnessWorld, name: string) {
  await enqueue(this, name, [{ Say: { text: 'An agent is free.' } }, { Dequeue: {} }]);
});

function waitForWait(world: HarnessWorld, name: string, count: number): Promise<CallbackRecord> {
  const { callId } = world.participant(name);
  return world.inbox.waitFor((r) => r.endpoint === `queue-wait/${name}` && r.requestType === 'queueWait' && bodyOf(r).callId === callId, {
    description: `queueWait number ${count} on ${name}'s waitUrl (${callId})`,
    count,
  });
}

Then('{string} waits in the queue at position {int}', async function (this: HarnessWorld, name: string, position: number) {
  const wait = await waitForWait(this, name, 1);
  const body = bodyOf(wait);
  assertEqual(`queuePosition of ${name}'s queueWait`, Number(body.queuePosition), position, this.inbox.records);
  assertThat('currentQueueSize counts the waiting call', Number(body.currentQueueSize) >= position, `≥ ${position}`, body.currentQueueSize, this.inbox.records);
  const listed = await members(this);
  assertThat(`GET /Queues/{id}/Members lists ${name}'s call`, listed.includes(this.participant(name).callId), this.participant(name).callId, listed, this.inbox.records);
});

Then('the wait URL of {string} is requested again once its script has run', async function (this: HarnessWorld, name: string) {
  await waitForWait(this, name, 1);
  // The script is a short Say; how soon the loop comes round is not documented, but within 10 s.
  await this.backend.elapse(10_000);
  await waitForWait(this, name, 2);
});

Then('the notificationUrl hears that {string} joined the queue', async function (this: HarnessWorld, name: string) {
  const { callId } = this.participant(name);
  const note = await this.inbox.waitFor((r) => r.endpoint === `queue-note/${name}` && bodyOf(r).callId === callId, {
    description: `addToQueueNotification for ${name} (${callId}) on the Enqueue notificationUrl`,
  });
  assertEqual('requestType on the Enqueue notificationUrl', note.requestType, 'addToQueueNotification', this.inbox.records);
});

When('{string} is taken out of the queue through REST', async function (this: HarnessWorld, name: string) {
  await this.api.request('POST', `/Queues/${queueOf(this)}/Members/${this.participant(name).callId}`, { body: {}, expect: [200, 202] });
});

Then('the queue wait of {string} ends with queueResult {string}', async function (this: HarnessWorld, name: string, result: string) {
  const { callId } = this.participant(name);
  const record = await this.inbox.waitFor((r) => r.endpoint === `queue-result/${name}` && bodyOf(r).callId === callId, {
    description: `the Enqueue actionUrl webhook for ${name} (${callId})`,
  });
  const body = bodyOf(record);
  // DOC:dequeue-1 and DOC:removefromqueuenotification: dequeue for a Dequeue, the removal webhook otherwise.
  const requestType = result === 'dequeued' ? 'dequeue' : 'removeFromQueueNotification';
  assertEqual(`requestType on ${name}'s Enqueue actionUrl`, record.requestType, requestType, this.inbox.records);
  assertEqual(`queueResult on ${name}'s Enqueue actionUrl`, body.queueResult, result, this.inbox.records);
  assertEqual('queueId of the webhook', body.queueId, queueOf(this), this.inbox.records);
});

Then('{string} is no longer a member of the queue', async function (this: HarnessWorld, name: string) {
  await this.backend.settle();
  const listed = await members(this);
  assertThat(`GET /Queues/{id}/Members no longer lists ${name}'s call`, !listed.includes(this.participant(name).callId), 'not listed', listed, this.inbox.records);
});

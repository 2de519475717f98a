// The unmodified @freeclimb/sdk 2.1.3 (test/fixtures/sdk-apps) against the simulator for the REST
// resources issue 22 adds: queues and their members, messages, call recordings. An app written on
// that SDK must find them where the SDK looks and in the shapes it reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { installNock } from '../support/simulator/adapters/nock';
import { rig } from './helpers/webhook-rig';

const SDK_DIR = join(__dirname, 'fixtures', 'sdk-apps', 'node_modules', 'sdk2');

type Sdk = {
  api: {
    setApiUrl(url: string): void;
    queues: {
      create(o: object): Promise<Record<string, unknown>>;
      get(id: string): Promise<Record<string, unknown>>;
      getList(): Promise<{ queues: Record<string, unknown>[] }>;
      members(id: string): { getList(): Promise<{ queueMembers: { callId: string }[] }>; getFront(): Promise<{ callId: string }>; dequeueFront(): Promise<{ callId: string }> };
    };
    messages: { create(from: string, to: string, text: string): Promise<Record<string, unknown>>; getList(f?: object): Promise<{ messages: Record<string, unknown>[] }> };
    recordings: { getList(f?: object): Promise<{ recordings: Record<string, unknown>[] }> };
  };
};

test('SDK 2.1.3: queues, members, dequeueFront, messages and recordings', async (t) => {
  if (!existsSync(SDK_DIR)) return t.skip('npm ci in test/fixtures/sdk-apps first');
  const r = await rig(t);
  const sim = r.sim;
  t.after(installNock(sim));
  const { accountId, apiKey } = sim.credentials();
  const sdk = (require(SDK_DIR) as (a: string, k: string) => Sdk)(accountId, apiKey);
  sdk.api.setApiUrl(sim.apiBaseUrl);

  const queue = await sdk.api.queues.create({ alias: 'support', maxSize: '10' });
  assert.equal(queue.alias, 'support');
  assert.equal(queue.maxSize, 10);
  const queueId = String(queue.queueId);
  assert.equal((await sdk.api.queues.getList()).queues.length, 1);

  // A caller waits in it: the app answers the call with Enqueue, and its wait script pauses.
  r.hooks.on('/wait', [{ Pause: { length: 60_000 } }]);
  const call = r.call([{ Enqueue: { queueId, actionUrl: r.hooks.url('/left'), waitUrl: r.hooks.url('/wait') } }]);
  await sim.settle();
  assert.deepEqual((await sdk.api.queues.members(queueId).getList()).queueMembers.map((m) => m.callId), [call.callId]);
  assert.equal((await sdk.api.queues.members(queueId).getFront()).callId, call.callId);
  assert.equal((await sdk.api.queues.members(queueId).dequeueFront()).callId, call.callId);
  assert.equal((await sdk.api.queues.get(queueId)).currentSize, 0);
  await sim.settle();
  assert.deepEqual(r.hooks.types('/left'), ['dequeue']);

  sim.addNumber('+15550100001');
  const message = await sdk.api.messages.create('+15550100001', '+15550104444', 'Your code is 1234');
  assert.equal(message.status, 'queued');
  const listed = await sdk.api.messages.getList({ to: '+15550104444' });
  assert.deepEqual(listed.messages.map((m) => m.text), ['Your code is 1234']);

  assert.deepEqual((await sdk.api.recordings.getList({ callId: call.callId })).recordings, []);
});

// REST for call queues (SPEC create-a-queue, list-active-queues, get/update-a-queue, list-members,
// get-head-member, get-a-member, dequeue-head-member, dequeue-a-member). The lifecycle lives in
// queues.ts; this file only maps paths onto it.
import { QueueRequest } from '../schemas/rest-queues';
import type { Engine } from './engine';
import type { ResourceRenderer } from './resources';
import { found, validate, type Route } from './rest-helpers';
import type { QueueState } from './state';

export function queueRoutes(engine: Engine, render: ResourceRenderer, acc: string, id: string): [string, RegExp, Route][] {
  const queue = (queueId: string) => found(engine.state.queues.get(queueId), `queue ${queueId} not found`);
  const member = (q: QueueState, callId: string) => found(engine.queues.member(q, callId), `call ${callId} is not in queue ${q.queueId}`);
  const front = (q: QueueState) => found(q.members[0], `queue ${q.queueId} is empty`);
  /** SPEC answers a dequeue with 202 and the member, as it was when the request came. */
  const dequeue = (q: QueueState, callId: string) => {
    const json = render.queueMember(q, member(q, callId));
    engine.queues.dequeue(found(engine.state.calls.get(callId), `call ${callId} not found`), 'rest');
    return { status: 202, json };
  };
  const base = `${acc}/Queues`;
  return [
    ['POST', new RegExp(`${base}$`), (_m, _q, body) => ({ status: 200, json: render.queue(engine.queues.create(validate(QueueRequest, body()))) })],
    [
      'GET',
      new RegExp(`${base}$`),
      (_m, query) => {
        const alias = query.get('alias');
        // [AMBIGUOUS] the using-queues guide says an empty queue is deleted; SPEC lets REST create one
        // before anyone waits in it. The simulator keeps every queue; the list shows all of them.
        const items = [...engine.state.queues.values()].filter((q) => !alias || q.alias === alias).reverse();
        return { status: 200, json: render.page('queues', `/Accounts/${engine.state.accountId}/Queues`, items.map((q) => render.queue(q)), query) };
      },
    ],
    ['GET', new RegExp(`${base}/${id}$`), (m) => ({ status: 200, json: render.queue(queue(m[2])) })],
    [
      'POST',
      new RegExp(`${base}/${id}$`),
      (m, _q, body) => {
        const q = queue(m[2]);
        engine.queues.update(q, validate(QueueRequest, body()));
        return { status: 200, json: render.queue(q) };
      },
    ],
    [
      'GET',
      new RegExp(`${base}/${id}/Members$`),
      (m, query) => {
        const q = queue(m[2]);
        const path = `/Accounts/${engine.state.accountId}/Queues/${q.queueId}/Members`;
        const listed = engine.has('enqueue-not-listed') ? [] : q.members;
        return { status: 200, json: render.page('queueMembers', path, listed.map((x) => render.queueMember(q, x)), query) };
      },
    ],
    // Front before {callId}: "Front" would also match the ID pattern.
    ['GET', new RegExp(`${base}/${id}/Members/Front$`), (m) => ({ status: 200, json: render.queueMember(queue(m[2]), front(queue(m[2]))) })],
    ['POST', new RegExp(`${base}/${id}/Members/Front$`), (m) => dequeue(queue(m[2]), front(queue(m[2])).callId)],
    ['GET', new RegExp(`${base}/${id}/Members/${id}$`), (m) => ({ status: 200, json: render.queueMember(queue(m[2]), member(queue(m[2]), m[3])) })],
    ['POST', new RegExp(`${base}/${id}/Members/${id}$`), (m) => dequeue(queue(m[2]), m[3])],
  ];
}

// PerCL commands that hold a call outside a conference until something releases it: queues
// (Enqueue/Dequeue) and parking (Park/Unpark). Sources: SPEC components Enqueue, Dequeue, Park,
// Unpark; the Dequeue and queue webhook pages; SDK 2.1.3 percl.enqueue/percl.dequeue.
import { z } from 'zod';
import { Url } from './percl-primitives';

export const Enqueue = z.strictObject({
  // SPEC: "QU" then 40 hex digits; a queue that does not exist yet is created. As for conferenceId,
  // only the prefix is insisted on, so a real account's ID is never refused on an undocumented detail.
  queueId: z.string().startsWith('QU', 'queueId must be a queue ID (QU…)'),
  actionUrl: Url,
  waitUrl: Url,
  notificationUrl: Url.optional(),
});
// [AMBIGUOUS] The docs show Dequeue in the PerCL answered to an Enqueue's waitUrl, but do not say
// what FreeClimb does with a Dequeue in a call that is not queued.
export const Dequeue = z.strictObject({});
export const Park = z.strictObject({
  waitUrl: Url,
  actionUrl: Url,
  notificationUrl: Url.optional(),
});
// [AMBIGUOUS] Likewise for an Unpark from a call that is not parked.
export const Unpark = z.strictObject({});

// Call queues over REST (SPEC create-a-queue … dequeue-a-member; the using-queues guide). Typed
// nullable where SPEC says so, like the other resources in rest.ts.
import { z } from 'zod';
import { Rfc1123Date } from './common';
import { MutableResource, Pagination } from './rest';

/** SPEC: at most 1000 calls; 100 when not given. */
export const QUEUE_MAX_SIZE_LIMIT = 1000;
export const QUEUE_MAX_SIZE_DEFAULT = 100;

export const QueueRequest = z.object({
  alias: z.string().max(64).optional(),
  // SDK 2.1.3 types maxSize as a string; SPEC as an integer. Both are accepted and read as a number.
  maxSize: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().min(1).max(QUEUE_MAX_SIZE_LIMIT)).optional(),
});
export type QueueRequest = z.infer<typeof QueueRequest>;

export const QueueResult = MutableResource.extend({
  accountId: z.string().nullable(),
  queueId: z.string().nullable(),
  alias: z.string().nullable(),
  maxSize: z.number().int().nullable(),
  currentSize: z.number().int().nullable(),
  averageQueueRemovalTime: z.number().int().nullable(),
  subresourceUris: z.object({ members: z.string() }).nullable(),
});
export type QueueResult = z.infer<typeof QueueResult>;

export const QueueMember = z.object({
  uri: z.string().nullable(),
  callId: z.string().nullable(),
  waitTime: z.number().int().nullable(),
  /** 1 for the front of the queue. */
  position: z.number().int().min(1).nullable(),
  dateEnqueued: Rfc1123Date.nullable(),
});
export type QueueMember = z.infer<typeof QueueMember>;

export const QueueList = Pagination.extend({ queues: z.array(QueueResult) });
export const QueueMemberList = Pagination.extend({ queueMembers: z.array(QueueMember) });

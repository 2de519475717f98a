// SMS messages over REST (SPEC send-an-sms-message, list-sms-messages, get-an-sms-message) and the
// Sms PerCL command's message. Nullable where SPEC says so.
import { z } from 'zod';
import { E164 } from './common';
import { MutableResource, Pagination } from './rest';

export const MessageStatus = z.enum(['new', 'queued', 'rejected', 'sending', 'sent', 'failed', 'received', 'undelivered', 'expired', 'deleted', 'unknown']);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const MessageRequest = z.object({
  from: E164,
  to: E164,
  // SPEC: at most 160 characters, ASCII only. Not enforced here: the limit conflicts with SDK 2.1.3's
  // 254 (reference catalog, Sms), and a longer text is the platform's to refuse, not the harness's.
  text: z.string().min(1),
  notificationUrl: z.url().optional(),
  mediaUrls: z.array(z.url()).nullable().optional(),
});
export type MessageRequest = z.infer<typeof MessageRequest>;

export const MessageResult = MutableResource.extend({
  accountId: z.string().nullable(),
  messageId: z.string().nullable(),
  status: MessageStatus.nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  text: z.string().nullable(),
  direction: z.string().nullable(),
  notificationUrl: z.string().nullable(),
  segmentCount: z.number().nullable().optional(),
  phoneNumberId: z.string().nullable().optional(),
  applicationId: z.string().nullable().optional(),
});
export type MessageResult = z.infer<typeof MessageResult>;

export const MessagesList = Pagination.extend({ messages: z.array(MessageResult) });

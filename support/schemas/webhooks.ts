// Every webhook FreeClimb sends that a conference app sees (reference §4), discriminated by
// `requestType`. The receiver validates each incoming body with `Webhook`; an unknown requestType
// is reported as such rather than as a pile of union errors.
import { z } from 'zod';
import { CallDirection, CallEndedReason, CallStatus, WebhookConferenceStatus } from './common';
import { MessageStatus } from './rest-messages';

/** The standard fields most webhooks carry (§4.1). Unused ones are null. */
const Standard = z.object({
  accountId: z.string().startsWith('AC'),
  callId: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  callStatus: z.string().nullable(),
  direction: CallDirection.nullable(),
  conferenceId: z.string().nullable(),
  queueId: z.string().nullable(),
});

/** Recording fields: set only when a recording exists and the conference was emptied (§4.3). */
const RecordingFields = z.object({
  recordingUrl: z.string().nullable().optional(),
  recordingId: z.string().nullable().optional(),
  recordingDurationSec: z.number().int().min(0).nullable().optional(),
});

/**
 * For a REST-created conference, what the call fields of the creation callback hold is not documented
 * (§4.3 [AMBIGUOUS]); they may be null or left out.
 */
const CreationCallFields = {
  callId: z.string().nullish(),
  from: z.string().nullish(),
  to: z.string().nullish(),
  callStatus: z.string().nullish(),
  direction: CallDirection.nullish(),
};

export const CreateConferenceWebhook = Standard.extend({
  ...CreationCallFields,
  requestType: z.literal('createConference'),
  conferenceId: z.string().startsWith('CF'),
  // Present only on the request to statusCallbackUrl (§4.3).
  status: WebhookConferenceStatus.optional(),
}).extend(RecordingFields.shape);

export const ConferenceStatusWebhook = Standard.extend({
  ...CreationCallFields,
  requestType: z.literal('conferenceStatus'),
  conferenceId: z.string().startsWith('CF'),
  status: WebhookConferenceStatus,
}).extend(RecordingFields.shape);

export const ConferenceRecordingStatusWebhook = Standard.extend({
  requestType: z.literal('conferenceRecordingStatus'),
  conferenceId: z.string().startsWith('CF'),
  status: WebhookConferenceStatus.nullable().optional(),
}).extend(RecordingFields.shape);

/** The same webhook as SPEC/SDK spell it under CreateConference `record` (§6.10 [CONFLICT]). */
export const ConferenceRecordingEndedWebhook = ConferenceRecordingStatusWebhook.extend({
  requestType: z.literal('conferenceRecordingEnded'),
});

export const AddToConferenceNotificationWebhook = Standard.extend({
  requestType: z.literal('addToConferenceNotification'),
  callId: z.string().startsWith('CA'),
  conferenceId: z.string().startsWith('CF'),
  status: WebhookConferenceStatus.nullable().optional(),
}).extend(RecordingFields.shape);

export const LeaveConferenceWebhook = Standard.extend({
  requestType: z.literal('leaveConference'),
  callId: z.string().startsWith('CA'),
  conferenceId: z.string().startsWith('CF'),
});

/** callControl carries only these fields (§4.3). */
export const CallControlWebhook = z.object({
  requestType: z.literal('callControl'),
  accountId: z.string().startsWith('AC'),
  callId: z.string().startsWith('CA'),
  conferenceId: z.string().startsWith('CF'),
  digits: z.string(),
});

/** The same webhook under the SPEC RequestType enum's name (§4.1 [CONFLICT]). */
export const ConferenceCallControlWebhook = CallControlWebhook.extend({
  requestType: z.literal('conferenceCallControl'),
});

export const CallStatusWebhook = Standard.extend({
  requestType: z.literal('callStatus'),
  callId: z.string().startsWith('CA'),
  callStatus: z.enum(['completed', 'busy', 'failed', 'noAnswer', 'canceled']),
  callEndedReason: CallEndedReason.nullable().optional(),
  callDuration: z.union([z.string(), z.number()]).nullable().optional(),
}).extend(RecordingFields.shape);

export const InboundCallWebhook = Standard.extend({
  requestType: z.literal('inboundCall'),
  callId: z.string().startsWith('CA'),
  parentCallId: z.string().nullable().optional(),
});

/**
 * The connect webhooks: PerCL is run only when callStatus is inProgress (§4.2). The docs list the
 * outcomes only by example ("e.g. noAnswer"), so any CallStatus is accepted.
 */
const ConnectFields = {
  callId: z.string().startsWith('CA'),
  callStatus: CallStatus,
  parentCallId: z.string().nullable().optional(),
  // Deprecated duplicate of callStatus (§4.3, DOC:outdialapiconnect); a platform may already leave it out.
  dialCallStatus: CallStatus.nullable().optional(),
};

export const OutDialApiConnectWebhook = Standard.extend({
  requestType: z.literal('outDialApiConnect'),
  ...ConnectFields,
});

export const OutDialConnectWebhook = Standard.extend({
  requestType: z.literal('outDialConnect'),
  ...ConnectFields,
});

/** A machine answered a call dialled with ifMachine=redirect (§4.2, §4.3). */
export const MachineDetectedWebhook = Standard.extend({
  requestType: z.literal('machineDetected'),
  callId: z.string().startsWith('CA'),
  parentCallId: z.string().nullable().optional(),
  // SPEC values, then the SDK 2.1.3 enum's spelling of the same two (§4.3).
  machineType: z.enum(['answering machine', 'fax modem', 'answeringMachine', 'faxMachine']),
});

export const OutDialStartWebhook = Standard.extend({
  requestType: z.literal('outDialStart'),
  callId: z.string().startsWith('CA'),
  dialCallId: z.string().startsWith('CA'),
  parentCallId: z.string().nullable().optional(),
});

export const RedirectWebhook = Standard.extend({
  requestType: z.literal('redirect'),
  callId: z.string().startsWith('CA'),
  parentCallId: z.string().nullable().optional(),
});

export const GetDigitsWebhook = Standard.extend({
  requestType: z.literal('getDigits'),
  callId: z.string().startsWith('CA'),
  digits: z.string().nullable(),
  reason: z.enum(['finishKey', 'timeout', 'maxDigits', 'minDigits', 'tone', 'hangup']),
  parentCallId: z.string().nullable().optional(),
});

// ------------------------------------------------------------------ queues (Enqueue, Dequeue)

/** SPEC QueueResultStatus; `dequeued` goes with the dequeue webhook, the rest with removeFromQueueNotification. */
export const QueueResultStatus = z.enum(['queueFull', 'dequeued', 'hangup', 'systemError']);

/** Set only if the call was actually enqueued (DOC:dequeue-1, DOC:removefromqueuenotification). */
const QueueTime = z.number().int().min(0).nullable().optional();

export const AddToQueueNotificationWebhook = Standard.extend({
  requestType: z.literal('addToQueueNotification'),
  callId: z.string().startsWith('CA'),
  queueId: z.string(),
});

export const QueueWaitWebhook = Standard.extend({
  requestType: z.literal('queueWait'),
  callId: z.string().startsWith('CA'),
  queueId: z.string(),
  // SPEC types queuePosition as a string and the member resource's position as an integer.
  queuePosition: z.union([z.string().regex(/^\d+$/), z.number().int().min(1)]),
  queueTime: z.number().int().min(0),
  currentQueueSize: z.number().int().min(1),
});

export const DequeueWebhook = Standard.extend({
  requestType: z.literal('dequeue'),
  callId: z.string().startsWith('CA'),
  queueResult: z.literal('dequeued'),
  queueTime: QueueTime,
});

export const RemoveFromQueueNotificationWebhook = Standard.extend({
  requestType: z.literal('removeFromQueueNotification'),
  callId: z.string().startsWith('CA'),
  queueResult: QueueResultStatus.exclude(['dequeued']),
  queueTime: QueueTime,
});

// ------------------------------------------------------------------ RecordUtterance

export const RecordWebhook = Standard.extend({
  requestType: z.literal('record'),
  callId: z.string().startsWith('CA'),
  // Null only when nothing was recorded (autoStart and no sound before maxLengthSec).
  recordingId: z.string().nullable(),
  recordingUrl: z.string().nullable(),
  recordingSize: z.union([z.string(), z.number()]).nullable().optional(),
  recordingFormat: z.string().nullable().optional(),
  recordingDurationSec: z.number().int().min(0).nullable(),
  termReason: z.enum(['finishKey', 'timeout', 'hangup', 'maxLength']),
  parentCallId: z.string().nullable().optional(),
  privacyMode: z.boolean().optional(),
});

// ------------------------------------------------------------------ GetSpeech

export const GetSpeechWebhook = Standard.extend({
  requestType: z.literal('getSpeech'),
  callId: z.string().startsWith('CA'),
  reason: z.enum(['error', 'hangup', 'digit', 'noInput', 'noMatch', 'recognition']),
  recognitionResult: z.string().nullable().optional(),
  // SPEC: 0 (no confidence) to 100 (certain).
  confidence: z.number().int().min(0).max(100).nullable().optional(),
  parentCallId: z.string().nullable().optional(),
  completionReason: z.string().nullable().optional(),
  completionCause: z.string().nullable().optional(),
  mrcpCode: z.number().int().nullable().optional(),
  mrcpDiagnostic: z.string().nullable().optional(),
});

// ------------------------------------------------------------------ Sms

/** SPEC MessageStatusWebhook: not the standard call fields; callId is the call whose Sms sent it. */
export const MessageStatusWebhook = z.object({
  requestType: z.literal('messageStatus'),
  accountId: z.string().startsWith('AC'),
  messageId: z.string(),
  callId: z.string().nullable().optional(),
  from: z.string(),
  to: z.string(),
  text: z.string().optional(),
  direction: z.string(),
  applicationId: z.string().nullable().optional(),
  status: MessageStatus,
  phoneNumberId: z.string().nullable().optional(),
  // Not sent (no conference or queue is involved); typed so that code reading any webhook's
  // conferenceId sees null or nothing here.
  conferenceId: z.null().optional(),
});

/** SPEC MessageDeliveryWebhook: an SMS received for a number of the account, sent to its smsUrl (notification only). */
export const MessageDeliveryWebhook = z.object({
  requestType: z.literal('messageDelivery'),
  accountId: z.string().startsWith('AC'),
  from: z.string(),
  to: z.string(),
  text: z.string(),
  direction: z.string(),
  applicationId: z.string().nullable().optional(),
  status: z.string(),
  phoneNumberId: z.string().nullable().optional(),
  uri: z.string().optional(),
  // Not sent: no call or conference is involved; typed so that code reading them sees nothing.
  callId: z.null().optional(),
  conferenceId: z.null().optional(),
});

// ------------------------------------------------------------------ TranscribeUtterance (SPEC TranscribeWebhook)

export const TranscribeWebhook = z.object({
  requestType: z.literal('transcribe'),
  accountId: z.string().startsWith('AC'),
  callId: z.string().startsWith('CA'),
  from: z.string().nullable().optional(),
  to: z.string().nullable().optional(),
  conferenceId: z.string().nullable().optional(),
  recordingId: z.string().nullable().optional(),
  recordingUrl: z.string().nullable().optional(),
  recordingSize: z.number().int().nullable().optional(),
  recordingFormat: z.string().nullable().optional(),
  recordingDurationMs: z.number().int().nullable().optional(),
  // Not sent (this webhook gives milliseconds); typed so that code reading any recording's seconds sees nothing.
  recordingDurationSec: z.undefined().optional(),
  termReason: z.enum(['error', 'completed']),
  recordTermReason: z.enum(['finishKey', 'timeout', 'hangup', 'maxLength']).nullable().optional(),
  digit: z.string().nullable().optional(),
  privacyForLogging: z.boolean().optional(),
  privacyForRecording: z.boolean().optional(),
  bargeInReason: z.enum(['noBargeIn', 'bargeInByDTMF', 'bargeInByEnergy']).nullable().optional(),
  bargedInPromptNo: z.number().int().nullable().optional(),
  bargedInPromptMs: z.number().int().nullable().optional(),
  bargedInPromptLoopNo: z.number().int().nullable().optional(),
  bargeInTimeMs: z.number().int().nullable().optional(),
  // null when transcribing failed (see transcribeReason).
  transcript: z.string().nullable().optional(),
  transcribeReason: z.enum(['internalError', 'hangup', 'maxLength', 'digit', 'noInput']).nullable().optional(),
  transcriptionDurationMs: z.number().int().nullable().optional(),
});

export const Webhook = z.discriminatedUnion('requestType', [
  CreateConferenceWebhook,
  ConferenceStatusWebhook,
  ConferenceRecordingStatusWebhook,
  ConferenceRecordingEndedWebhook,
  AddToConferenceNotificationWebhook,
  LeaveConferenceWebhook,
  CallControlWebhook,
  ConferenceCallControlWebhook,
  CallStatusWebhook,
  InboundCallWebhook,
  OutDialApiConnectWebhook,
  OutDialConnectWebhook,
  OutDialStartWebhook,
  MachineDetectedWebhook,
  RedirectWebhook,
  GetDigitsWebhook,
  AddToQueueNotificationWebhook,
  QueueWaitWebhook,
  DequeueWebhook,
  RemoveFromQueueNotificationWebhook,
  RecordWebhook,
  MessageStatusWebhook,
  GetSpeechWebhook,
  MessageDeliveryWebhook,
  TranscribeWebhook,
]);
export type Webhook = z.infer<typeof Webhook>;
export type RequestType = Webhook['requestType'];
export type WebhookOf<T extends RequestType> = Extract<Webhook, { requestType: T }>;

export const REQUEST_TYPES = Webhook.options.map((o) => o.shape.requestType.value) as RequestType[];

/** Webhooks whose answer FreeClimb executes as PerCL (§4.2). The rest are notifications. */
export const PERCL_EXPECTED: ReadonlySet<RequestType> = new Set<RequestType>([
  'inboundCall',
  'outDialApiConnect',
  'outDialConnect',
  'outDialStart',
  'machineDetected',
  'createConference',
  'leaveConference',
  'callControl',
  'conferenceCallControl',
  'redirect',
  'getDigits',
  'queueWait',
  'dequeue',
  'removeFromQueueNotification',
  'record',
  'getSpeech',
  'transcribe',
]);

/**
 * Events the docs name in more than one way ([CONFLICT] markers): every spelling a conformant
 * FreeClimb may send, canonical name first. Queries match events through `isEvent`, never through a
 * single spelling, so a platform or an app that uses the other documented one is not failed for it.
 */
export const EVENT_SPELLINGS = {
  callControl: ['callControl', 'conferenceCallControl'],
  conferenceRecordingStatus: ['conferenceRecordingStatus', 'conferenceRecordingEnded'],
  // A Redirect's webhook (§5.3 [CONFLICT]); only meaningful on the Redirect's own actionUrl.
  redirect: ['redirect', 'inboundCall'],
} as const satisfies Record<string, readonly RequestType[]>;

export type SpelledEvent = keyof typeof EVENT_SPELLINGS;

export function isEvent(requestType: string | undefined, event: SpelledEvent): boolean {
  return requestType !== undefined && (EVENT_SPELLINGS[event] as readonly string[]).includes(requestType);
}

/**
 * Whether FreeClimb runs the answer to this particular webhook as PerCL: a connect webhook's answer
 * is ignored unless the call connected (§4.2, "yes, if callStatus is inProgress").
 */
export function answerIsRun(requestType: string, body: Record<string, unknown>): boolean {
  if (!PERCL_EXPECTED.has(requestType as RequestType)) return false;
  if (requestType === 'outDialConnect' || requestType === 'outDialApiConnect') return body.callStatus === 'inProgress';
  // DOC:removefromqueuenotification: PerCL is expected, except when the caller hung up.
  if (requestType === 'removeFromQueueNotification') return body.queueResult !== 'hangup';
  // DOC:recordutterance: not executed when the recording ended because the call hung up.
  if (requestType === 'record') return body.termReason !== 'hangup';
  // DOC:getspeech-1: likewise for GetSpeech.
  if (requestType === 'getSpeech') return body.reason !== 'hangup';
  // SPEC TranscribeUtterance: likewise.
  if (requestType === 'transcribe') return body.transcribeReason !== 'hangup';
  return true;
}

export type WebhookCheck =
  | { ok: true; webhook: Webhook }
  | { ok: false; reason: 'not-json' | 'not-object' | 'unknown-request-type' | 'invalid'; message: string; issues: string[] };

/** Validate a raw webhook body and explain, in one line per problem, what is wrong and where. */
export function checkWebhook(raw: string): WebhookCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return { ok: false, reason: 'not-json', message: `webhook body is not JSON: ${(e as Error).message}`, issues: [] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'not-object', message: 'webhook body must be a JSON object', issues: [] };
  }
  const requestType = (parsed as Record<string, unknown>).requestType;
  if (typeof requestType !== 'string' || !(REQUEST_TYPES as string[]).includes(requestType)) {
    return {
      ok: false,
      reason: 'unknown-request-type',
      message: `unknown requestType ${JSON.stringify(requestType)} at /requestType; expected one of ${REQUEST_TYPES.join(', ')}`,
      issues: [],
    };
  }
  const result = Webhook.safeParse(parsed);
  if (result.success) return { ok: true, webhook: result.data };
  const issues = result.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`);
  return { ok: false, reason: 'invalid', message: `invalid ${requestType} webhook: ${issues.join('; ')}`, issues };
}

// REST resources and request bodies (reference §2–§3). These schemas validate what the API
// returns in both modes, so nullable/optional follows SPEC: a field the spec marks nullable must
// not fail a real account's response.
import { z } from 'zod';
import {
  CallDirection,
  CallStatus,
  ConferenceStatus,
  PlayBeep,
  Rfc1123Date,
} from './common';

export const MutableResource = z.object({
  uri: z.string().startsWith('/Accounts/', 'uri is relative to /apiserver and starts with /Accounts/'),
  dateCreated: Rfc1123Date,
  dateUpdated: Rfc1123Date,
  revision: z.number().int().min(1),
});

export const ConferenceResult = MutableResource.extend({
  conferenceId: z.string().startsWith('CF'),
  accountId: z.string(),
  alias: z.string().nullable(),
  playBeep: PlayBeep.nullable(),
  record: z.boolean().nullable(),
  status: ConferenceStatus,
  waitUrl: z.string().nullable(),
  actionUrl: z.string().nullable(),
  statusCallbackUrl: z.string().nullable(),
  subresourceUris: z.record(z.string(), z.string()).nullable(),
});
export type ConferenceResult = z.infer<typeof ConferenceResult>;

export const ParticipantResult = MutableResource.extend({
  accountId: z.string(),
  conferenceId: z.string(),
  callId: z.string(),
  talk: z.boolean().nullable(),
  listen: z.boolean().nullable(),
  dtmfPassThrough: z.boolean().nullable().optional(),
  startConfOnEnter: z.boolean().nullable(),
});
export type ParticipantResult = z.infer<typeof ParticipantResult>;

export const CallResult = MutableResource.extend({
  callId: z.string(),
  parentCallId: z.string().nullable(),
  accountId: z.string(),
  from: z.string(),
  to: z.string(),
  phoneNumberId: z.string().nullable(),
  status: CallStatus,
  startTime: z.string().nullable(),
  connectTime: z.string().nullable(),
  endTime: z.string().nullable(),
  duration: z.number().int().nullable(),
  connectDuration: z.number().int().nullable(),
  direction: CallDirection,
  answeredBy: z.enum(['human', 'machine']).nullable(),
  subresourceUris: z.record(z.string(), z.string()).nullable(),
  applicationId: z.string().nullable(),
});
export type CallResult = z.infer<typeof CallResult>;

export const RecordingResult = MutableResource.extend({
  recordingId: z.string(),
  accountId: z.string(),
  callId: z.string().nullable(),
  conferenceId: z.string().nullable(),
  // DOC:recordings-1 types it as a string; SPEC as an integer (§2.3). Accept both, compare as numbers.
  durationSec: z.union([z.number().int(), z.string().regex(/^\d+$/)]),
});
export type RecordingResult = z.infer<typeof RecordingResult>;

export const ApplicationResult = MutableResource.extend({
  accountId: z.string(),
  applicationId: z.string(),
  alias: z.string().nullable(),
  voiceUrl: z.string().nullable(),
  voiceFallbackUrl: z.string().nullable(),
  callConnectUrl: z.string().nullable(),
  statusCallbackUrl: z.string().nullable(),
  smsUrl: z.string().nullable(),
  smsFallbackUrl: z.string().nullable(),
});
export type ApplicationResult = z.infer<typeof ApplicationResult>;

export const IncomingNumberResult = MutableResource.extend({
  phoneNumberId: z.string(),
  accountId: z.string(),
  applicationId: z.string().nullable(),
  phoneNumber: z.string(),
  alias: z.string().nullable(),
  region: z.string().nullable(),
  country: z.string().nullable(),
  capabilities: z
    .object({ voice: z.boolean(), sms: z.boolean(), tollFree: z.boolean(), tenDLC: z.boolean(), shortCode: z.boolean() })
    .partial()
    .nullable(),
});
export type IncomingNumberResult = z.infer<typeof IncomingNumberResult>;

export const Pagination = z.object({
  total: z.number().int().nullable(),
  start: z.number().int().nullable(),
  end: z.number().int().nullable(),
  page: z.number().int().nullable(),
  numPages: z.number().int().nullable(),
  pageSize: z.number().int().nullable(),
  nextPageUri: z.string().nullable(),
});

export const ConferenceList = Pagination.extend({ conferences: z.array(ConferenceResult) });
export const ParticipantList = Pagination.extend({ participants: z.array(ParticipantResult) });
export const CallList = Pagination.extend({ calls: z.array(CallResult) });
export const RecordingList = Pagination.extend({ recordings: z.array(RecordingResult) });
export const ApplicationList = Pagination.extend({ applications: z.array(ApplicationResult) });
export const IncomingNumberList = Pagination.extend({ incomingPhoneNumbers: z.array(IncomingNumberResult) });
export type ConferenceList = z.infer<typeof ConferenceList>;
export type ParticipantList = z.infer<typeof ParticipantList>;
export type CallList = z.infer<typeof CallList>;
export type RecordingList = z.infer<typeof RecordingList>;
export type ApplicationList = z.infer<typeof ApplicationList>;
export type IncomingNumberList = z.infer<typeof IncomingNumberList>;
export type PaginationFields = z.infer<typeof Pagination>;

/** SPEC uses `call`, the CLI fixtures `message` (§1.4 CONFLICT): one of them must be present. */
export const ErrorBody = z
  .object({
    code: z.number().int(),
    call: z.string().optional(),
    message: z.string().optional(),
    url: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((e) => e.call !== undefined || e.message !== undefined, {
    message: 'an error body names the failure in `call` (SPEC) or `message` (CLI fixtures)',
  });
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---- request bodies ----

const Url = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

export const CreateConferenceRequest = z.object({
  alias: z.string().max(64).optional(),
  playBeep: PlayBeep.optional(),
  record: z.boolean().optional(),
  waitUrl: Url.optional(),
  statusCallbackUrl: Url,
});
export type CreateConferenceRequest = z.infer<typeof CreateConferenceRequest>;

export const UpdateConferenceRequest = z.object({
  alias: z.string().max(64).optional(),
  playBeep: PlayBeep.optional(),
  status: z.enum(['empty', 'terminated']).optional(),
});
export type UpdateConferenceRequest = z.infer<typeof UpdateConferenceRequest>;

export const UpdateParticipantRequest = z.object({
  talk: z.boolean().optional(),
  listen: z.boolean().optional(),
  dtmfPassThrough: z.boolean().optional(),
});
export type UpdateParticipantRequest = z.infer<typeof UpdateParticipantRequest>;

export const MakeCallRequest = z
  .object({
    from: z.string().min(1),
    to: z.string().min(1),
    applicationId: z.string().optional(),
    callConnectUrl: Url.optional(),
    parentCallId: z.string().optional(),
    sendDigits: z.string().regex(/^([0-9*#]|\{\d+\})*$/).optional(),
    ifMachine: z.enum(['redirect', 'hangup']).optional(),
    ifMachineUrl: Url.optional(),
    timeout: z.number().int().positive().optional(),
    privacyMode: z.boolean().optional(),
    // Not in MakeCallRequest, but the application's statusCallbackUrl is what FreeClimb uses;
    // we accept it so that legacy clients that send it are not rejected.
    statusCallbackUrl: Url.optional(),
  })
  .refine((r) => r.applicationId || r.callConnectUrl || r.parentCallId, {
    message: 'one of applicationId, callConnectUrl or parentCallId is required',
    path: ['callConnectUrl'],
  })
  // §2.2: ifMachineUrl is required with ifMachine=redirect and must be absent with hangup.
  .refine((r) => r.ifMachine !== 'redirect' || r.ifMachineUrl, { message: 'ifMachineUrl is required when ifMachine is redirect', path: ['ifMachineUrl'] })
  .refine((r) => r.ifMachine !== 'hangup' || r.ifMachineUrl === undefined, { message: 'ifMachineUrl must be absent when ifMachine is hangup', path: ['ifMachineUrl'] });
export type MakeCallRequest = z.infer<typeof MakeCallRequest>;

export const UpdateCallRequest = z.object({ status: z.enum(['canceled', 'completed']) });
export type UpdateCallRequest = z.infer<typeof UpdateCallRequest>;

export const ApplicationRequest = z.object({
  alias: z.string().max(64).optional(),
  voiceUrl: Url.nullable().optional(),
  voiceFallbackUrl: Url.nullable().optional(),
  callConnectUrl: Url.nullable().optional(),
  statusCallbackUrl: Url.nullable().optional(),
  smsUrl: Url.nullable().optional(),
  smsFallbackUrl: Url.nullable().optional(),
});
export type ApplicationRequest = z.infer<typeof ApplicationRequest>;

export const IncomingNumberRequest = z.object({
  applicationId: z.string().nullable().optional(),
  alias: z.string().max(64).optional(),
  campaignId: z.string().nullable().optional(),
});
export type IncomingNumberRequest = z.infer<typeof IncomingNumberRequest>;

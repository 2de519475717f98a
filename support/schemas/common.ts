// Enumerations and identifier formats shared by REST resources, webhooks and PerCL.
// Values are copied from the reference (§1.1, §3, §4); where sources conflict the union of
// documented values is accepted so that a schema never rejects something FreeClimb documents.
import { z } from 'zod';

export const AccountId = z.string().regex(/^AC[0-9a-fA-F]{40}$/, 'accountId must match AC + 40 hex digits');
export const ApplicationId = z.string().regex(/^AP[0-9a-fA-F]{40}$/, 'applicationId must match AP + 40 hex digits');
// The docs show CF/CA prefixes followed by 40 hex digits; we only insist on the prefix so that a
// real account's IDs are never rejected on a detail the docs do not pin down.
export const ConferenceId = z.string().regex(/^CF[0-9a-zA-Z]+$/, 'conferenceId must start with CF');
export const CallId = z.string().regex(/^CA[0-9a-zA-Z]+$/, 'callId must start with CA');
export const E164 = z.string().regex(/^\+[1-9][0-9]{1,14}$/, 'phone numbers are E.164 (+ and up to 15 digits)');

/** The SPEC enum for the conference resource (§3.2). */
export const ConferenceStatus = z.enum(['empty', 'populated', 'inProgress', 'terminated']);
export type ConferenceStatus = z.infer<typeof ConferenceStatus>;

/** Webhook `status` values: the resource enum plus the extra values the webhook docs list (§3.2 CONFLICT). */
export const WebhookConferenceStatus = z.enum([
  'creating',
  'empty',
  'populated',
  'inProgress',
  'terminated',
  'internalError',
  'failed',
]);

export const PlayBeep = z.enum(['always', 'never', 'entryOnly', 'exitOnly']);
export type PlayBeep = z.infer<typeof PlayBeep>;

export const CallStatus = z.enum(['queued', 'ringing', 'inProgress', 'canceled', 'completed', 'failed', 'busy', 'noAnswer']);
export type CallStatus = z.infer<typeof CallStatus>;

/** `outbound` appears on most webhook doc pages, `outboundAPI` in SPEC (§3.4 CONFLICT). */
export const CallDirection = z.enum(['inbound', 'outboundAPI', 'outboundDial', 'outbound']);
export type CallDirection = z.infer<typeof CallDirection>;

export const CallEndedReason = z.enum([
  'busy',
  'failed',
  'noAnswer',
  'callCanceled',
  'farEndHangup',
  'appHangup',
  'appReject',
  'appNoPercl',
  'appInvalidPercl',
  'conferenceTerminated',
  'conferenceEmptied',
  'removedFromConference',
  'machineDetected',
  'webhookFailed',
  'webhookInvalidResponse',
  'voiceDisabled',
  'configErrorNoApplication',
  'configErrorNoVoiceUrl',
  'maxRedirectsError',
  'perclProcessingError',
  'internalError',
  'grpcHangup',
  'maxDuration',
]);
export type CallEndedReason = z.infer<typeof CallEndedReason>;

/** DTMF digits as accepted by sendDigits / callControlSequence. `{n}` inserts a pause. */
export const DtmfString = z.string().regex(/^([0-9*#]|\{\d+\})+$/, 'digits may contain 0-9, *, # and {n} pauses');

/** RFC 1123 dates as used by `dateCreated`/`dateUpdated` (§3.1). */
export const Rfc1123Date = z
  .string()
  .regex(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/, 'dates are RFC 1123, e.g. Mon, 15 Jun 2009 20:45:30 GMT');

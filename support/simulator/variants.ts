// Variants: each point where the documentation allows more than one reading that a client can
// observe becomes an axis here, with the default reading first. The features must pass under every
// option of every axis; that is how we show they assert only what the docs state.
// `ref` points at the [AMBIGUOUS]/[CONFLICT] note in reference/freeclimb-conferences.md.

export const VARIANT_AXES = {
  creationCallback: {
    ref: '§6.2 [AMBIGUOUS]',
    doc: 'requestType of the creation callback sent to statusCallbackUrl',
    options: ['createConference', 'conferenceStatus'],
  },
  perclCreationOrder: {
    ref: '§6.3 (order not found)',
    doc: 'which of actionUrl and statusCallbackUrl is invoked first after CreateConference',
    options: ['actionUrlFirst', 'statusCallbackFirst'],
  },
  startModeratorFirstJoin: {
    ref: '§6.7 [AMBIGUOUS]',
    doc: 'a first joiner with startConfOnEnter reports populated then inProgress, or only inProgress',
    options: ['populatedThenInProgress', 'inProgressOnly'],
  },
  joinNotificationOrder: {
    ref: '§6.19 (order not found)',
    doc: 'addToConferenceNotification before or after the status callback of the same join',
    options: ['statusFirst', 'notificationFirst'],
  },
  recordingReport: {
    ref: '§6.10 [AMBIGUOUS]/[CONFLICT]',
    doc: 'recording fields on a separate conferenceRecordingStatus, on the empty conferenceStatus, or both',
    options: ['separateWebhook', 'fieldsOnEmpty', 'both'],
  },
  recordingTiming: {
    ref: '§6 typical sequence step 5 (timing not documented)',
    doc: 'on terminate, conferenceRecordingStatus arrives before or after terminated',
    options: ['beforeTerminated', 'afterTerminated'],
  },
  terminateEmpty: {
    ref: '§6.15 (not stated explicitly)',
    doc: 'terminating an empty conference reports only terminated, or empty then terminated',
    options: ['terminatedOnly', 'emptyThenTerminated'],
  },
  terminateCallOrder: {
    ref: '§6.13 (order not documented)',
    doc: "participants' callStatus before or after the conference's empty/terminated callbacks",
    options: ['participantsFirst', 'conferenceFirst'],
  },
  leaveOnTerminate: {
    ref: '§6 typical sequence step 5 [AMBIGUOUS]',
    doc: 'whether leaveConference fires for participants hung up by terminate',
    options: ['noLeaveWebhook', 'leaveWebhook'],
  },
  restCreateStatus: {
    ref: '§6.24 [CONFLICT]',
    doc: 'HTTP status of REST conference creation',
    options: ['200', '202'],
  },
  outboundDirection: {
    ref: '§3.4 [CONFLICT]',
    doc: 'webhook direction value for REST-created calls',
    options: ['outboundAPI', 'outbound'],
  },
  callStatusConferenceId: {
    ref: '§4.3 callStatus [CONFLICT]',
    doc: 'conferenceId on callStatus webhooks: null (DOC) or the conference (SPEC)',
    options: ['null', 'conference'],
  },
  callControlRequestType: {
    ref: '§4.1 [CONFLICT]',
    doc: 'requestType of the call-control webhook: callControl (DOC, SPEC discriminator) or conferenceCallControl (SPEC RequestType enum)',
    options: ['callControl', 'conferenceCallControl'],
  },
  recordingRequestType: {
    ref: '§6.10 [CONFLICT]',
    doc: 'requestType of the separate recording webhook: conferenceRecordingStatus (DOC) or conferenceRecordingEnded (SPEC/SDK text under CreateConference record)',
    options: ['conferenceRecordingStatus', 'conferenceRecordingEnded'],
  },
  redirectRequestType: {
    ref: '§5.3 Redirect [CONFLICT]',
    doc: 'requestType of the webhook a Redirect sends: redirect (DOC, SPEC RedirectWebhook) or inboundCall (SPEC: "inbound")',
    options: ['redirect', 'inboundCall'],
  },
  makeCallStatus: {
    ref: '§2.2 [CONFLICT]',
    doc: 'HTTP status of REST make-a-call: 200 with a CallResult (SPEC) or 202, queued (DOC)',
    options: ['200', '202'],
  },
  restCreationCallFields: {
    ref: '§4.3 createConference [AMBIGUOUS]',
    doc: 'call fields (callId, from, to, callStatus, direction) of the creation callback of a REST-created conference: null, or left out',
    options: ['null', 'absent'],
  },
  addWhileInConference: {
    ref: '§5.2 AddToConference [CONFLICT]',
    doc: 'AddToConference from a call already in another conference: it is moved (first removed), or refused until it leaves',
    options: ['moved', 'refused'],
  },
  outDialTimeoutDefault: {
    ref: '§5.3 OutDial timeout (default not found)',
    doc: 'ring time in seconds of an OutDial without `timeout`: 30, the documented POST /Calls default (§2.2) and a doc example value, or a longer 60',
    options: ['30', '60'],
  },
  deprecatedFields: {
    ref: '§4.3 outDialApiConnect/outDialConnect dialCallStatus (deprecated)',
    doc: 'webhook fields the reference marks deprecated (dialCallStatus) are still sent, or already left out',
    options: ['sent', 'omitted'],
  },
  machineType: {
    ref: '§4.3 machineDetected machineType (SPEC vs SDK-2.1.3 values)',
    doc: 'machineType of a machineDetected webhook for an answering machine: `answering machine` (SPEC) or `answeringMachine` (SDK 2.1.3 enum)',
    options: ['answering machine', 'answeringMachine'],
  },
  recordTrailingSilence: {
    ref: 'PerCL RecordUtterance (not documented; catalog [AMBIGUOUS])',
    doc: "a message ended by silenceTimeoutMs: the silence that ended it is part of the recording and of recordingDurationSec, or trimmed off",
    options: ['kept', 'trimmed'],
  },
  errorBodyKey: {
    ref: '§1.4 [CONFLICT]',
    doc: 'the error body names the failure in `call` (SPEC) or `message` (CLI fixtures)',
    options: ['call', 'message'],
  },
} as const;

/**
 * [AMBIGUOUS]/[CONFLICT] markers of the reference that are not variant axes, and why: no client of
 * the REST API or the webhooks can tell the readings apart, or no conformant run reaches them.
 */
export const NOT_VARIANTS = [
  { ref: '§3.2 ConferenceStatus [CONFLICT]', why: 'creating is documented as never called back and precedes the creation callback; internalError/failed are error states a conformant run does not reach. The webhook schema accepts all of them.' },
  { ref: '§5.3 Say/Play in conferences [CONFLICT]', why: 'audio only: no webhook or REST field shows whether a Say reached the conference' },
  { ref: '§6.6 when waitUrl is fetched [AMBIGUOUS/CONFLICT]', why: 'hold music is audio; the harness sets no waitUrl, so no scenario can observe the fetch (C06 is uncheckable)' },
  { ref: '§7.1 DefaultApi.md argument style [CONFLICT]', why: 'a property of an SDK, not of the platform: nothing on the wire differs' },
] as const;

export type VariantAxis = keyof typeof VARIANT_AXES;
export type VariantOption<A extends VariantAxis> = (typeof VARIANT_AXES)[A]['options'][number];
export type Variants = { [A in VariantAxis]: VariantOption<A> };

export const DEFAULT_VARIANTS = Object.fromEntries(
  Object.entries(VARIANT_AXES).map(([axis, def]) => [axis, def.options[0]]),
) as Variants;

/** Every non-default reading, one per run, as `axis=option`. */
export function allVariantSettings(): string[] {
  return Object.entries(VARIANT_AXES).flatMap(([axis, def]) => def.options.slice(1).map((o) => `${axis}=${o}`));
}

/** Parse `axis=option,axis=option`; unknown axes or options are errors that list what exists. */
export function parseVariants(spec: string | undefined): Variants {
  const result: Record<string, string> = { ...DEFAULT_VARIANTS };
  for (const part of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [axis, option] = part.split('=');
    const def = (VARIANT_AXES as Record<string, { options: readonly string[] }>)[axis];
    if (!def) throw new Error(`unknown variant axis "${axis}" in "${part}"; axes: ${Object.keys(VARIANT_AXES).join(', ')}`);
    if (!option || !def.options.includes(option)) {
      throw new Error(`variant ${axis} has no option "${option ?? ''}"; options: ${def.options.join(', ')}`);
    }
    result[axis] = option;
  }
  return result as Variants;
}

export function describeVariants(v: Variants): string {
  const changed = Object.entries(v).filter(([a, o]) => DEFAULT_VARIANTS[a as VariantAxis] !== o);
  return changed.length ? changed.map(([a, o]) => `${a}=${o}`).join(',') : 'default';
}

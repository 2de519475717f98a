// The clause catalog: every documented behaviour the features check, with its source, split into
// the atomic claims its text makes. Features tag scenarios with @clause:<id>. C01–C24 follow the
// numbering of reference §6; S, W, P and R cover signatures, webhook payloads, PerCL and REST.
//
// A clause is covered when a scenario carries its tag; a claim is proven only when something can
// fail it (`npm run check`, stage `claims`):
//  - an exact claim about FreeClimb needs a fault (support/simulator/faults.ts, `breaks`) that turns
//    a scenario of its clause red;
//  - an ambiguous claim needs a variant axis per documented reading (`axes`), and the suite must
//    stay green under every option;
//  - a claim about the harness's own checks (the PerCL validator, the signature verifier) names
//    the unit tests that prove it (`provenBy`), since no FreeClimb deviation can break it;
//  - an uncheckable claim says why.
//
// Every exact claim about FreeClimb is also one a live run can observe (stage `live-faults`: its
// fault, on the simulator served over HTTP like an account, turns a live-capable scenario of its
// clause red), unless it says why not (`notLive`).
import { z } from 'zod';

export const Claim = z
  .object({
    id: z.string().regex(/^[A-Z]\d{2}[a-z]$/),
    text: z.string(),
    kind: z.enum(['exact', 'ambiguous']),
    /** Variant axes (support/simulator/variants.ts) whose options are this claim's readings. */
    axes: z.array(z.string()).optional(),
    /** Unit test files that prove a claim about the harness itself. */
    provenBy: z.array(z.string()).optional(),
    uncheckable: z.string().optional(),
    /** Why a live run cannot observe this exact claim (only real time stands between it and the check). */
    notLive: z.string().optional(),
  })
  .refine((c) => c.kind === 'exact' || c.uncheckable || (c.axes?.length ?? 0) > 0, { message: 'an ambiguous claim names the variant axes of its readings' });
export type Claim = z.infer<typeof Claim>;

export const Clause = z.object({
  id: z.string().regex(/^[A-Z]\d{2}$/),
  title: z.string(),
  /** Paraphrase of the documented text. */
  text: z.string(),
  source: z.string(),
  /** `ambiguous`: the docs allow several readings of part of it; see its ambiguous claims. */
  kind: z.enum(['exact', 'ambiguous']),
  claims: z.array(Claim).min(1),
});
export type Clause = z.infer<typeof Clause>;

const ref = (section: string) => `reference/freeclimb-conferences.md ${section}`;
const exact = (id: string, text: string, more: Partial<Claim> = {}): Claim => ({ id, text, kind: 'exact', ...more });
const readings = (id: string, text: string, axes: string[]): Claim => ({ id, text, kind: 'ambiguous', axes });
const AUDIO = 'audio is not observable through REST or webhooks';
const PERCL = (command: string) => `FreeClimb PerCL reference, ${command} (support/percl/catalog.ts)`;
// The live suite's far end is the harness's own loopback leg: it presses keys but cannot speak, and
// a live run cannot make seconds pass without waiting on the clock.
const SPEECH_LIVE = 'a live far end (the harness\'s loopback leg) can press keys but cannot speak words';
const SOUND_LIVE = 'a message needs seconds of sound from the far end, which a live loopback leg cannot make';
// Sms on an account texts a real number: the live suite does not send messages to check them.
const SMS_LIVE = 'a live run would send a real text message; the live suite sends none, so Sms is proven on the simulator only';
// A recording measured from creation instead of from inProgress is longer only by the time the
// conference spent before inProgress; a live run sees that only if that time crosses a whole
// second, and it cannot make it last a known length without waiting on the clock.
const WHEN_RECORDING_STARTS = 'when the recording starts shows only as seconds added by the time before inProgress, which a live run cannot make last a known length without waiting on the clock';

export const CLAUSES: Clause[] = z.array(Clause).parse([
  {
    id: 'C01', title: 'Conferences are created explicitly', kind: 'exact', source: `${ref('§6.1')}; seeds/conferencing-overview.txt`,
    text: 'A conference exists only once created through REST POST /Conferences or PerCL CreateConference; AddToConference needs an existing conferenceId.',
    claims: [
      exact('C01a', 'REST POST /Conferences creates a conference and answers with its conferenceId'),
      exact('C01b', 'PerCL CreateConference creates a conference'),
      exact('C01c', 'a call cannot join a conferenceId that was never created'),
    ],
  },
  {
    id: 'C02', title: 'A new conference is empty and the statusCallbackUrl is told', kind: 'ambiguous', source: `${ref('§6.2, §4.3')}; seeds/createconference-percl.txt`,
    text: 'On creation the statusCallbackUrl receives the conference ID with status empty; no callback reports creating. Whether its requestType is createConference or conferenceStatus is ambiguous.',
    claims: [
      exact('C02a', 'on creation the statusCallbackUrl receives a callback with the conference ID and status empty'),
      exact('C02b', 'no callback reports the status creating'),
      readings('C02c', 'the creation callback is a createConference or a conferenceStatus', ['creationCallback']),
      readings('C02d', "for a REST-created conference the creation callback's call fields are null or left out", ['restCreationCallFields']),
    ],
  },
  {
    id: 'C03', title: 'PerCL creation invokes actionUrl and statusCallbackUrl', kind: 'ambiguous', source: `${ref('§6.3')}; seeds/createconference-percl.txt`,
    text: 'CreateConference invokes both actionUrl (createConference, PerCL expected) and statusCallbackUrl; their relative order is not documented.',
    claims: [
      exact('C03a', 'the actionUrl receives createConference with the conferenceId'),
      exact('C03b', 'the statusCallbackUrl is invoked too'),
      exact('C03c', "the actionUrl's PerCL answer runs on the creating call"),
      readings('C03d', 'actionUrl and statusCallbackUrl arrive in either order', ['perclCreationOrder']),
    ],
  },
  {
    id: 'C04', title: 'Nothing plays or records while empty', kind: 'exact', source: ref('§6.4'),
    text: 'While empty, Say/Play to the conference are not possible, no wait music plays and nothing is recorded.',
    claims: [
      exact('C04a', 'while empty, nothing plays to the conference', { uncheckable: AUDIO }),
      exact('C04b', 'time spent empty is not recorded', { notLive: WHEN_RECORDING_STARTS }),
    ],
  },
  {
    id: 'C05', title: 'The first participant makes it populated', kind: 'exact', source: `${ref('§6.5')}; seeds/conferencing-overview.txt`,
    text: 'empty → populated when the first participant joins; statusCallbackUrl is invoked.',
    claims: [
      exact('C05a', 'the first participant joining reports populated to the statusCallbackUrl'),
      exact('C05b', 'GET and list report the conference as populated'),
    ],
  },
  {
    id: 'C06', title: 'Wait music while populated', kind: 'ambiguous', source: ref('§6.6'),
    text: 'While populated, wait music (waitUrl or a default) plays to listening participants.',
    claims: [exact('C06a', 'wait music plays to listening participants while populated', { uncheckable: `${AUDIO}, and when waitUrl is fetched is itself ambiguous` })],
  },
  {
    id: 'C07', title: 'A start moderator makes it inProgress', kind: 'ambiguous', source: `${ref('§6.7, §3.3')}; seeds/conferencing-overview.txt`,
    text: 'populated → inProgress when the first participant with startConfOnEnter (default true) joins; there may be any number of start moderators. A first joiner that is a start moderator may report populated then inProgress, or only inProgress.',
    claims: [
      exact('C07a', 'the first participant with startConfOnEnter makes the conference inProgress, reported to the statusCallbackUrl'),
      exact('C07b', 'startConfOnEnter defaults to true'),
      exact('C07c', 'the participant whose join started the conference has startConfOnEnter true; others false'),
      exact('C07d', 'when both are reported, populated comes before inProgress'),
      exact('C07e', 'further start moderators do not report inProgress again'),
      readings('C07f', 'a first joiner that starts the conference reports populated then inProgress, or only inProgress', ['startModeratorFirstJoin']),
    ],
  },
  {
    id: 'C08', title: 'Recording starts at inProgress', kind: 'exact', source: `${ref('§6.8')}; seeds/conferencing-overview.txt`,
    text: 'With record=true, recording starts when the conference starts (inProgress); a conference that never started records nothing.',
    claims: [
      exact('C08a', 'with record=true the recording runs from inProgress', { notLive: WHEN_RECORDING_STARTS }),
      exact('C08b', 'a recorded conference that never reached inProgress records nothing'),
      exact('C08c', 'without record=true nothing is recorded'),
    ],
  },
  {
    id: 'C09', title: 'The last participant leaving makes it empty', kind: 'exact', source: `${ref('§6.9')}; seeds/conferencing-overview.txt`,
    text: 'inProgress (or populated) → empty when the last participant leaves; statusCallbackUrl is invoked and recording stops.',
    claims: [
      exact('C09a', 'the last participant leaving an inProgress conference reports empty'),
      exact('C09b', 'the last participant leaving a populated conference reports empty'),
      exact('C09c', 'the conference does not report empty while participants remain'),
      exact('C09d', 'the recording stops when the conference empties'),
    ],
  },
  {
    id: 'C10', title: 'The recording is reported when the conference empties', kind: 'ambiguous', source: `${ref('§6.10, §4.3, §2.3')}; seeds/createconference-percl.txt`,
    text: 'After inProgress → empty (or terminate) the statusCallbackUrl receives recordingUrl, recordingId and recordingDurationSec (rounded up). On conferenceStatus, on conferenceRecordingStatus, or both, is ambiguous; so is the separate webhook\'s name.',
    claims: [
      exact('C10a', 'after inProgress → empty the statusCallbackUrl receives recordingUrl, recordingId and recordingDurationSec'),
      exact('C10b', 'recordingDurationSec is rounded up to whole seconds'),
      exact('C10c', 'terminating a recorded inProgress conference reports the recording too'),
      exact('C10d', 'the recording is reported with or after the empty callback, never before'),
      exact('C10e', 'the reported recording is a Recording resource readable through REST'),
      readings('C10f', 'the fields arrive on the empty conferenceStatus, on a separate webhook, or both; on terminate, before or after terminated', ['recordingReport', 'recordingTiming']),
      readings('C10g', 'the separate webhook is conferenceRecordingStatus or conferenceRecordingEnded', ['recordingRequestType']),
    ],
  },
  {
    id: 'C11', title: 'Reuse while empty', kind: 'exact', source: `${ref('§6.11')}; seeds/conferencing-overview.txt`,
    text: 'An empty conference can be filled again; the cycle can repeat until it is terminated.',
    claims: [
      exact('C11a', 'an empty conference accepts participants again'),
      exact('C11b', 'every cycle reports populated, inProgress and empty again'),
    ],
  },
  {
    id: 'C12', title: 'Termination is final', kind: 'exact', source: `${ref('§6.12')}; seeds/createconference-percl.txt`,
    text: 'A terminated conference cannot be used again, participants cannot be added, and its ID is never reused; it is archived, not deleted, and stays readable with status terminated.',
    claims: [
      exact('C12a', 'participants cannot be added to a terminated conference, and no join is notified'),
      exact('C12b', 'REST updates cannot bring a terminated conference back'),
      exact('C12c', 'a terminated conference stays readable through GET and list with status terminated'),
      exact('C12d', "a terminated conference's ID is never given to a new conference"),
    ],
  },
  {
    id: 'C13', title: 'Terminate removes the participants', kind: 'ambiguous', source: `${ref('§6.13, §6 sequence step 5')}; seeds/conferencing-overview.txt`,
    text: "Terminating hangs up every participant; each call's statusCallbackUrl receives callStatus; the conference's statusCallbackUrl receives terminated. The order, and whether leaveConference fires for them, is not documented.",
    claims: [
      exact('C13a', "terminating hangs up the participants' calls"),
      exact('C13b', 'every participant is hung up, not only the first'),
      exact('C13c', "each participant's call statusCallbackUrl receives callStatus"),
      exact('C13d', "the conference's statusCallbackUrl receives terminated"),
      exact('C13e', 'the terminated conference lists no participants'),
      readings('C13f', "participants' callStatus comes before or after the conference callbacks; leaveConference may or may not fire for them", ['terminateCallOrder', 'leaveOnTerminate']),
    ],
  },
  {
    id: 'C14', title: 'Empty, then terminated', kind: 'exact', source: `${ref('§6.14')}; seeds/createconference-percl.txt`,
    text: 'Terminating a populated or inProgress conference calls statusCallbackUrl twice: empty, then terminated; nothing about the conference follows.',
    claims: [
      exact('C14a', 'empty comes before terminated'),
      exact('C14b', 'both empty and terminated are reported'),
      exact('C14c', 'no status callback follows terminated'),
    ],
  },
  {
    id: 'C15', title: 'An empty conference can be terminated', kind: 'ambiguous', source: `${ref('§6.15')}; seeds/conferencing-overview.txt`,
    text: 'Terminate works on an empty conference; whether only terminated or empty then terminated follows is not stated.',
    claims: [
      exact('C15a', 'an empty conference can be terminated'),
      readings('C15b', 'terminating an empty conference reports terminated, or empty then terminated', ['terminateEmpty']),
    ],
  },
  {
    id: 'C16', title: 'Ways to terminate', kind: 'exact', source: ref('§6.16, §2.1'),
    text: 'REST POST /Conferences/{id} with status=terminated (204), or PerCL TerminateConference from a call in the conference.',
    claims: [
      exact('C16a', 'REST POST /Conferences/{id} with status=terminated answers 204'),
      exact('C16b', 'TerminateConference from a participant terminates its conference'),
    ],
  },
  {
    id: 'C17', title: 'Removing unbridges; leaveConferenceUrl decides what follows', kind: 'exact', source: ref('§6.17, §2.1, §5.2'),
    text: 'RemoveFromConference or REST DELETE unbridges the call; with leaveConferenceUrl it receives leaveConference and continues with the PerCL returned; without one the call is disconnected.',
    claims: [
      exact('C17a', 'removal (PerCL or REST DELETE) unbridges the call rather than hanging it up'),
      exact('C17b', 'leaveConference goes to the leaveConferenceUrl with the call and the conference'),
      exact('C17c', 'the PerCL returned to leaveConference continues the call'),
      exact('C17d', 'without a leaveConferenceUrl the removed call is disconnected'),
      exact('C17e', 'a removed participant is no longer listed'),
    ],
  },
  {
    id: 'C18', title: 'leaveConference when a participant hangs up', kind: 'exact', source: ref('§6.18'),
    text: 'leaveConference is still sent when a participant leaves by hanging up; its PerCL is ignored.',
    claims: [
      exact('C18a', 'leaveConference is sent when a participant hangs up'),
      exact('C18b', 'the PerCL returned to it is ignored'),
    ],
  },
  {
    id: 'C19', title: 'Join notification', kind: 'ambiguous', source: ref('§6.19, §5.2'),
    text: 'After a call is bridged, addToConferenceNotification goes to notificationUrl; its order relative to the populated callback is not documented.',
    claims: [
      exact('C19a', 'addToConferenceNotification reaches the notificationUrl with the call and the conference'),
      exact('C19b', 'every join is notified, not only the first'),
      readings('C19c', 'the notification comes before or after the status callback of the same join', ['joinNotificationOrder']),
      readings('C19d', 'AddToConference from a call already in another conference moves it, or is refused', ['addWhileInConference']),
    ],
  },
  {
    id: 'C20', title: 'Call control', kind: 'ambiguous', source: ref('§6.20, §4.1, §4.3'),
    text: 'With allowCallControl, entering callControlSequence sends callControl (callId, conferenceId, digits) to callControlUrl; PerCL is expected and invalid PerCL terminates that leg. Its requestType is callControl or conferenceCallControl.',
    claims: [
      exact('C20a', 'entering callControlSequence sends callId, conferenceId and digits to the callControlUrl'),
      exact('C20b', "the answer's PerCL runs on that participant"),
      exact('C20c', 'invalid PerCL in the answer terminates that leg'),
      exact('C20d', 'without allowCallControl nothing is sent'),
      readings('C20e', 'the webhook is a callControl or a conferenceCallControl', ['callControlRequestType']),
    ],
  },
  {
    id: 'C21', title: 'Changing privileges', kind: 'exact', source: ref('§6.21'),
    text: 'talk/listen/dtmfPassThrough change through REST POST /Participants/{callId} (returns the participant) or SetTalk/SetListen/SetDTMFPassThrough.',
    claims: [
      exact('C21a', 'REST POST /Participants/{callId} changes talk and returns the updated participant'),
      exact('C21b', "SetTalk changes the current participant's talk"),
    ],
  },
  {
    id: 'C22', title: 'Hanging up through REST', kind: 'exact', source: ref('§6.22, §2.2'),
    text: 'POST /Calls/{id} status=completed hangs up an in-progress call (202); callStatus follows; canceled does not affect a call in progress.',
    claims: [
      exact('C22a', 'status=completed hangs up an in-progress call'),
      exact('C22b', 'callStatus follows'),
      exact('C22c', 'status=canceled does not affect a call in progress'),
    ],
  },
  {
    id: 'C23', title: 'Child calls join with parentCallId', kind: 'exact', source: ref('§6.23'),
    text: 'A child call created with parentCallId joins with lower latency.',
    claims: [exact('C23a', 'a child call with parentCallId joins with lower latency', { uncheckable: 'latency is not observable, and the documented effect is only a performance hint' })],
  },
  {
    id: 'C24', title: 'REST create answers 200 or 202', kind: 'ambiguous', source: ref('§6.24, §2.2'),
    text: 'SPEC says 200 with a ConferenceResult, the docs 202; both are accepted. Make-a-call has the same conflict.',
    claims: [
      exact('C24a', 'REST creation answers with the conference'),
      readings('C24b', 'REST creation answers 200 or 202', ['restCreateStatus']),
      readings('C24c', 'REST make-a-call answers 200 or 202', ['makeCallStatus']),
    ],
  },
  // Issue 22: the PerCL commands beyond conferences. Sources are the FreeClimb PerCL reference pages
  // and SPEC components captured in support/percl/catalog.ts (docs/percl-commands.md).
  {
    id: 'Q01', title: 'Enqueue holds the call and loops its wait script', kind: 'exact', source: `${PERCL('Enqueue')}; the using-queues guide`,
    text: 'Enqueue puts the call in the queue (a member until it leaves), requests waitUrl with queueWait (queuePosition 1 at the front) and requests it again whenever its PerCL runs out; notificationUrl hears addToQueueNotification.',
    claims: [
      exact('Q01a', 'a queued call is listed as a member of its queue through REST'),
      exact('Q01b', "waitUrl receives queueWait with the call's queuePosition, 1 at the front"),
      exact('Q01c', 'waitUrl is requested again when its PerCL has run out while the call still waits', { notLive: 'the loop comes round after the wait script has played, which a live run can only wait for on the clock' }),
      exact('Q01d', 'the notificationUrl receives addToQueueNotification for the call'),
    ],
  },
  {
    id: 'Q02', title: 'Dequeue ends the wait at the actionUrl', kind: 'exact', source: `${PERCL('Dequeue')}; DOC:dequeue-1, SPEC dequeue-a-member`,
    text: "A Dequeue, through REST (POST /Queues/{id}/Members/{callId}) or in the wait script's PerCL, ends the wait: the Enqueue actionUrl receives dequeue with queueResult dequeued and its PerCL continues the call, which is no longer a member.",
    claims: [
      exact('Q02a', 'a REST dequeue sends dequeue with queueResult dequeued to the Enqueue actionUrl'),
      exact('Q02b', "a Dequeue in the wait script's PerCL does the same"),
      exact('Q02c', 'the PerCL answered to the dequeue webhook continues the call'),
      exact('Q02d', 'a dequeued call is no longer a member of the queue'),
    ],
  },
  {
    id: 'Q03', title: 'A caller who hangs up while queued', kind: 'exact', source: `${PERCL('Enqueue')}; DOC:removefromqueuenotification`,
    text: 'A queued call that ends is reported to the Enqueue actionUrl as removeFromQueueNotification with queueResult hangup, and leaves the queue.',
    claims: [
      exact('Q03a', 'the actionUrl receives removeFromQueueNotification with queueResult hangup'),
      exact('Q03b', 'the call is no longer a member of the queue'),
    ],
  },
  {
    id: 'U01', title: 'RecordUtterance records a message and reports why it ended', kind: 'ambiguous', source: `${PERCL('RecordUtterance')}; SPEC RecordWebhook, DOC:recordings-1`,
    text: 'RecordUtterance records until finishOnKey, silenceTimeoutMs of silence, maxLengthSec or a hang-up; the actionUrl receives record with recordingId, recordingUrl, recordingDurationSec (rounded up) and termReason; the recording is readable through REST; the PerCL answered continues the call (not after a hang-up). Whether trailing silence counts is not documented.',
    claims: [
      exact('U01a', 'the actionUrl receives record with recordingId, recordingUrl and recordingDurationSec', { notLive: SOUND_LIVE }),
      exact('U01b', 'finishOnKey ends the recording with termReason finishKey', { notLive: SOUND_LIVE }),
      exact('U01c', 'silenceTimeoutMs of silence ends the recording with termReason timeout', { notLive: SOUND_LIVE }),
      exact('U01d', 'maxLengthSec ends the recording with termReason maxLength, that long', { notLive: SOUND_LIVE }),
      exact('U01e', 'a hang-up ends the recording with termReason hangup, and record is still sent', { notLive: 'no webhook says the recording has begun, so a live hang-up can come before RecordUtterance starts (then no record is due): only the clock could order them' }),
      exact('U01f', 'recordingDurationSec is rounded up to whole seconds', { notLive: SOUND_LIVE }),
      exact('U01g', 'the recording is readable through REST with the reported length', { notLive: SOUND_LIVE }),
      exact('U01h', 'the PerCL answered to record continues the call', { notLive: SOUND_LIVE }),
      readings('U01i', 'the trailing silence that ends a message is part of the recording, or trimmed', ['recordTrailingSilence']),
    ],
  },
  {
    id: 'G01', title: 'GetSpeech reports what was said', kind: 'exact', source: `${PERCL('GetSpeech')}; SPEC GetSpeechWebhook, GetSpeechReason, GrammarFileBuiltIn`,
    text: 'GetSpeech listens after its prompts; the actionUrl receives getSpeech with reason recognition and recognitionResult for words the grammar matches, noMatch for words it does not, noInput when nothing is said before noInputTimeoutMs; confidence is 0 to 100; the PerCL answered continues the call.',
    claims: [
      exact('G01a', 'words the grammar matches are reported with reason recognition and the recognitionResult', { notLive: SPEECH_LIVE }),
      exact('G01b', 'words a built-in grammar does not match are reported with reason noMatch', { notLive: SPEECH_LIVE }),
      exact('G01c', 'nothing said before noInputTimeoutMs is reported with reason noInput', { notLive: 'the no-input timeout is seconds of real time, which a live run can only wait for on the clock' }),
      exact('G01d', 'confidence is a whole number from 0 to 100', { notLive: SPEECH_LIVE }),
      exact('G01e', 'the PerCL answered to getSpeech continues the call', { notLive: SPEECH_LIVE }),
    ],
  },
  {
    id: 'M01', title: 'Sms sends a message and the script goes on', kind: 'exact', source: `${PERCL('Sms')}; SPEC MessageResult, MessageStatusWebhook`,
    text: "Sms sends text from one of the account's numbers to `to`; it does not end the script; the message is readable through GET /Messages and its notificationUrl receives messageStatus.",
    claims: [
      exact('M01a', 'the message is listed through REST with its to, from and text', { notLive: SMS_LIVE }),
      exact('M01b', 'the command after Sms runs', { notLive: SMS_LIVE }),
      exact('M01c', 'the notificationUrl receives messageStatus', { notLive: SMS_LIVE }),
    ],
  },
  {
    id: 'K01', title: "StartRecordCall's recording is reported on callStatus", kind: 'exact', source: `${PERCL('StartRecordCall')}; DOC:callstatus`,
    text: "StartRecordCall records the rest of the call without ending the script; the call's callStatus carries recordingId, recordingUrl and recordingDurationSec; the recording is readable through REST.",
    claims: [
      exact('K01a', 'the callStatus at the end of the call carries the recording and its length', { notLive: 'its length is seconds of real time, which a live run can only wait for on the clock' }),
      exact('K01b', 'the recording is readable through REST', { notLive: 'its scenario is the one above, which waits seconds on the clock' }),
    ],
  },
  {
    id: 'E01', title: 'PlayEarlyMedia plays before the call is answered', kind: 'exact', source: PERCL('PlayEarlyMedia'),
    text: 'PlayEarlyMedia plays audio to an inbound caller before the call is answered, and does not answer it.',
    claims: [exact('E01a', 'the audio plays before the call is answered', { uncheckable: `${AUDIO}; the platform suite places its calls outbound, where early media has no effect` })],
  },
  {
    id: 'S01', title: 'Webhooks are signed', kind: 'exact', source: ref('§4.5'),
    text: 'FreeClimb-Signature carries t and v1 = HMAC-SHA256(secret, "t.body"); verification rejects mismatches, stale timestamps (5 minutes) and missing headers.',
    claims: [
      exact('S01a', 'v1 is the HMAC-SHA256 of "t.body" under the signing secret'),
      exact('S01b', 't is the current time'),
      exact('S01c', 'every webhook carries the header'),
      exact('S01d', 'the harness rejects mismatches, stale timestamps and missing headers', { provenBy: ['test/signature.test.ts', 'test/receiver.test.ts'] }),
    ],
  },
  {
    id: 'W01', title: 'Webhooks match their documented payloads', kind: 'ambiguous', source: ref('§4.3, §3.4'),
    text: 'Every webhook carries a known requestType and the fields documented for it; direction and the callStatus conferenceId have two documented readings.',
    claims: [
      exact('W01a', 'conference status webhooks carry status'),
      exact('W01b', 'the harness knows every documented requestType and field', { provenBy: ['test/schemas.test.ts', 'test/webhook-types.test.ts'] }),
      readings('W01c', 'REST-created calls report direction outboundAPI or outbound; callStatus carries conferenceId null or the conference', ['outboundDirection', 'callStatusConferenceId']),
    ],
  },
  {
    id: 'P01', title: 'PerCL is a JSON array of single-key commands; terminal commands end the script', kind: 'ambiguous', source: ref('§5.1, §5.3'),
    text: 'A script is an array of {Command: attributes}; commands after a terminal command are ignored; a script that runs out without a terminal command hangs up. A Redirect sends redirect (or, per SPEC, an inbound webhook).',
    claims: [
      exact('P01a', 'the harness reports every malformed script with its JSON pointer and rule', { provenBy: ['test/percl-validate.test.ts'] }),
      exact('P01b', 'commands after a terminal command are ignored'),
      exact('P01c', 'a script that runs out without a terminal command hangs up'),
      readings('P01d', "a Redirect's webhook is a redirect or an inboundCall", ['redirectRequestType']),
      exact('P01e', "the harness validates every command of the PerCL reference and of SDK 2.1.3's builders (Enqueue, Dequeue, RecordUtterance, StartRecordCall, PlayEarlyMedia, GetSpeech, Sms, Park, Unpark, TranscribeUtterance and the conference commands): attributes, types, enums and required ones; unknown commands stay errors", { provenBy: ['test/percl-commands.test.ts', 'test/percl-catalog.test.ts'] }),
      exact('P01f', 'Enqueue, Dequeue, RecordUtterance, GetSpeech, TranscribeUtterance, Park and Unpark end the script; StartRecordCall, Sms and PlayEarlyMedia do not', { provenBy: ['test/percl-commands.test.ts'] }),
      exact('P01g', "the harness reports the documented pairings and placements: ifMachineUrl with ifMachine, grammarFile with grammarType, PlayEarlyMedia only at the start, GetDigits/GetSpeech not in a conference", { provenBy: ['test/percl-commands.test.ts'] }),
    ],
  },
  {
    id: 'P02', title: 'Only Say, Play and Pause nest in prompts', kind: 'exact', source: `${ref('§5.3')}; DOC:getspeech-1, DOC:transcribeutterance`,
    text: 'Nesting happens only through the prompts of GetDigits, GetSpeech and TranscribeUtterance, which may hold Say, Play and Pause.',
    claims: [
      exact('P02a', 'the harness reports any other nesting', { provenBy: ['test/percl-validate.test.ts'] }),
      exact('P02b', 'the harness reports any other nesting in GetSpeech and TranscribeUtterance prompts', { provenBy: ['test/percl-commands.test.ts'] }),
    ],
  },
  {
    id: 'P03', title: 'Legacy attributes are tolerated', kind: 'exact', source: ref('§7.4, §7.6'),
    text: 'Attributes removed in 2024 that SDK 2.1.3 still sends (callId, conferenceId) are accepted with a warning.',
    claims: [
      exact('P03a', 'the harness warns about legacy attributes without rejecting the script', { provenBy: ['test/percl-validate.test.ts'] }),
      exact('P03b', 'TerminateConference in the SDK 2.1.3 shape still terminates'),
    ],
  },
  {
    id: 'R01', title: 'Authentication and error bodies', kind: 'ambiguous', source: ref('§1.1, §1.3, §1.4'),
    text: 'HTTP Basic with account ID and API key; 401 on bad credentials, 404 on unknown resources, with a PlatformError body naming the failure in call (SPEC) or message (CLI).',
    claims: [
      exact('R01a', 'wrong credentials get 401'),
      exact('R01b', 'an unknown conference gets 404'),
      exact('R01c', 'errors carry a PlatformError body'),
      readings('R01d', 'the error body names the failure in call or in message', ['errorBodyKey']),
    ],
  },
]);

export const CLAIMS: (Claim & { clause: string })[] = CLAUSES.flatMap((c) => c.claims.map((claim) => ({ ...claim, clause: c.id })));

/** An exact claim about FreeClimb (not the harness's own, not uncheckable) that a live run can observe. */
export const liveObservable = (c: Claim): boolean => c.kind === 'exact' && !c.provenBy && !c.uncheckable && !c.notLive;

/** A clause no scenario can check: all of its claims are uncheckable. */
export function uncheckable(clause: Clause): string | undefined {
  return clause.claims.every((c) => c.uncheckable) ? clause.claims.map((c) => c.uncheckable).join('; ') : undefined;
}

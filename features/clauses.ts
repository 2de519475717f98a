// The clause catalog: every documented behaviour the features check, with its source. Features tag
// scenarios with @clause:<id>; `npm run check` fails when a clause has no scenario unless it is
// marked uncheckable here, with the reason. C01–C24 follow the numbering of reference §6.
import { z } from 'zod';

export const Clause = z.object({
  id: z.string().regex(/^[A-Z]\d{2}$/),
  title: z.string(),
  /** Paraphrase of the documented text. */
  text: z.string(),
  source: z.string(),
  /** `ambiguous`: the docs allow several readings; the scenarios accept each (see VARIANT_AXES). */
  kind: z.enum(['exact', 'ambiguous']),
  uncheckable: z.string().optional(),
});
export type Clause = z.infer<typeof Clause>;

const ref = (section: string) => `reference/freeclimb-conferences.md ${section}`;

export const CLAUSES: Clause[] = z.array(Clause).parse([
  { id: 'C01', title: 'Conferences are created explicitly', kind: 'exact', source: `${ref('§6.1')}; seeds/conferencing-overview.txt`, text: 'A conference exists only once created through REST POST /Conferences or PerCL CreateConference.' },
  { id: 'C02', title: 'A new conference is empty and the statusCallbackUrl is told', kind: 'ambiguous', source: `${ref('§6.2')}; seeds/createconference-percl.txt`, text: 'On creation the statusCallbackUrl receives the conference ID with status empty; participants can be added once it has. Whether its requestType is createConference or conferenceStatus is ambiguous.' },
  { id: 'C03', title: 'PerCL creation invokes actionUrl and statusCallbackUrl', kind: 'ambiguous', source: `${ref('§6.3')}; seeds/createconference-percl.txt`, text: 'CreateConference invokes both actionUrl (createConference, PerCL expected) and statusCallbackUrl; their relative order is not documented.' },
  { id: 'C04', title: 'Nothing plays or records while empty', kind: 'exact', source: ref('§6.4'), text: 'While empty, Say/Play to the conference are not possible, no wait music plays and nothing is recorded.', uncheckable: 'audio is not observable through REST or webhooks; the "nothing is recorded" part is checked under C08' },
  { id: 'C05', title: 'The first participant makes it populated', kind: 'exact', source: `${ref('§6.5')}; seeds/conferencing-overview.txt`, text: 'empty → populated when the first participant joins; statusCallbackUrl is invoked.' },
  { id: 'C06', title: 'Wait music while populated', kind: 'ambiguous', source: ref('§6.6'), text: 'While populated, wait music (waitUrl or a default) plays to listening participants.', uncheckable: 'audio is not observable through REST or webhooks, and when waitUrl is fetched is itself ambiguous' },
  { id: 'C07', title: 'A start moderator makes it inProgress', kind: 'ambiguous', source: `${ref('§6.7')}; seeds/conferencing-overview.txt`, text: 'populated → inProgress when the first participant with startConfOnEnter (default true) joins. A first joiner that is a start moderator may report populated then inProgress, or only inProgress.' },
  { id: 'C08', title: 'Recording starts at inProgress', kind: 'exact', source: `${ref('§6.8')}; seeds/conferencing-overview.txt`, text: 'With record=true, recording starts when the conference starts (inProgress); a conference that never started records nothing.' },
  { id: 'C09', title: 'The last participant leaving makes it empty', kind: 'exact', source: `${ref('§6.9')}; seeds/conferencing-overview.txt`, text: 'inProgress (or populated) → empty when the last participant leaves; statusCallbackUrl is invoked and recording stops.' },
  { id: 'C10', title: 'The recording is reported when the conference empties', kind: 'ambiguous', source: `${ref('§6.10')}; seeds/createconference-percl.txt`, text: 'After inProgress → empty (or terminate) the statusCallbackUrl receives recordingUrl, recordingId and recordingDurationSec (rounded up). On conferenceStatus, on conferenceRecordingStatus, or both, is ambiguous.' },
  { id: 'C11', title: 'Reuse while empty', kind: 'exact', source: `${ref('§6.11')}; seeds/conferencing-overview.txt`, text: 'An empty conference can be filled again; the cycle can repeat until it is terminated.' },
  { id: 'C12', title: 'Termination is final', kind: 'exact', source: `${ref('§6.12')}; seeds/createconference-percl.txt`, text: 'A terminated conference cannot be used again, participants cannot be added, and its ID is never reused; it stays readable with status terminated.' },
  { id: 'C13', title: 'Terminate removes the participants', kind: 'exact', source: `${ref('§6.13')}; seeds/conferencing-overview.txt`, text: "Terminating hangs up every participant; each call's statusCallbackUrl receives callStatus; the conference's statusCallbackUrl receives terminated." },
  { id: 'C14', title: 'Empty, then terminated', kind: 'exact', source: `${ref('§6.14')}; seeds/createconference-percl.txt`, text: 'Terminating a populated or inProgress conference calls statusCallbackUrl twice: empty, then terminated.' },
  { id: 'C15', title: 'An empty conference can be terminated', kind: 'ambiguous', source: `${ref('§6.15')}; seeds/conferencing-overview.txt`, text: 'Terminate works on an empty conference; whether only terminated or empty then terminated follows is not stated.' },
  { id: 'C16', title: 'Ways to terminate', kind: 'exact', source: ref('§6.16'), text: 'REST POST /Conferences/{id} with status=terminated (204), or PerCL TerminateConference from a call in the conference.' },
  { id: 'C17', title: 'Removing unbridges; leaveConferenceUrl decides what follows', kind: 'exact', source: ref('§6.17'), text: 'RemoveFromConference or REST DELETE unbridges the call; with leaveConferenceUrl it receives leaveConference and continues with the PerCL returned; without one the call is disconnected.' },
  { id: 'C18', title: 'leaveConference when a participant hangs up', kind: 'exact', source: ref('§6.18'), text: 'leaveConference is still sent when a participant leaves by hanging up; its PerCL is ignored.' },
  { id: 'C19', title: 'Join notification', kind: 'ambiguous', source: ref('§6.19'), text: 'After a call is bridged, addToConferenceNotification goes to notificationUrl; its order relative to the populated callback is not documented.' },
  { id: 'C20', title: 'Call control', kind: 'exact', source: ref('§6.20'), text: 'With allowCallControl, entering callControlSequence sends callControl (callId, conferenceId, digits) to callControlUrl; PerCL is expected and invalid PerCL terminates that leg.' },
  { id: 'C21', title: 'Changing privileges', kind: 'exact', source: ref('§6.21'), text: 'talk/listen/dtmfPassThrough change through REST POST /Participants/{callId} (returns the participant) or SetTalk/SetListen/SetDTMFPassThrough.' },
  { id: 'C22', title: 'Hanging up through REST', kind: 'exact', source: ref('§6.22'), text: 'POST /Calls/{id} status=completed hangs up an in-progress call (202); callStatus follows.' },
  { id: 'C23', title: 'Child calls join with parentCallId', kind: 'exact', source: ref('§6.23'), text: 'A child call created with parentCallId joins with lower latency.', uncheckable: 'latency is not observable, and the documented effect is only a performance hint' },
  { id: 'C24', title: 'REST create answers 200 or 202', kind: 'ambiguous', source: ref('§6.24'), text: 'SPEC says 200 with a ConferenceResult, the docs 202; both are accepted.' },
  { id: 'S01', title: 'Webhooks are signed', kind: 'exact', source: ref('§4.5'), text: 'FreeClimb-Signature carries t and v1 = HMAC-SHA256(secret, "t.body"); verification rejects mismatches, stale timestamps (5 minutes) and missing headers.' },
  { id: 'W01', title: 'Webhooks match their documented payloads', kind: 'exact', source: ref('§4.3'), text: 'Every webhook carries a known requestType and the fields documented for it.' },
  { id: 'P01', title: 'PerCL is a JSON array of single-key commands; terminal commands end the script', kind: 'exact', source: ref('§5.1'), text: 'A script is an array of {Command: attributes}; attributes follow §5.2–5.3; commands after a terminal command are ignored.' },
  { id: 'P02', title: 'Only Say, Play and Pause nest in GetDigits.prompts', kind: 'exact', source: ref('§5.3'), text: 'Nesting happens only through GetDigits.prompts, which may hold Say, Play and Pause.' },
  { id: 'P03', title: 'Legacy attributes are tolerated', kind: 'exact', source: ref('§7.4, §7.6'), text: 'Attributes removed in 2024 that SDK 2.1.3 still sends (callId, conferenceId) are accepted with a warning.' },
  { id: 'R01', title: 'Authentication and error bodies', kind: 'ambiguous', source: ref('§1.1, §1.3, §1.4'), text: 'HTTP Basic with account ID and API key; 401 on bad credentials, 404 on unknown resources, with a PlatformError body naming the failure in call (SPEC) or message (CLI).' },
]);

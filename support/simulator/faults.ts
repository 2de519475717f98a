// Faults: deliberate deviations from the documentation. `npm run check` runs the suite once per
// fault and requires exactly the scenarios it selects to fail. Each fault names the atomic claims
// of the clause catalog (features/clauses.ts) it breaks; an exact claim counts as proven only when
// a fault that breaks it turns a scenario of that claim's clause red.
//
// By default a scenario declares which faults it catches with a `@fault:<name>` tag. Faults that
// break an operation many scenarios rely on select their scenarios by what those scenarios do.

export interface FaultDef {
  behaviour:
    | 'statuses'
    | 'callback-ordering'
    | 'reuse-while-empty'
    | 'terminate'
    | 'recording-on-empty'
    | 'signatures'
    | 'rest'
    | 'webhooks'
    | 'participants'
    | 'percl'
    | 'queues'
    | 'voicemail'
    | 'speech'
    | 'messages'
    | 'call-recording';
  doc: string;
  /** Claim ids (e.g. `C17c`) this deviation breaks. */
  breaks: readonly string[];
  /** Tag expression selecting the scenarios that must fail; defaults to `@fault:<name>`. */
  catches?: string;
  /**
   * For faults that break an operation many scenarios rely on: every scenario with a step matching
   * this pattern must fail too (in addition to `catches`).
   */
  catchesSteps?: RegExp;
  /** Like catchesSteps, for a pattern that must match at least `times` steps of one scenario. */
  catchesRepeatedSteps?: { pattern: RegExp; times: number };
}

// Steps that make a participant answer call control: every scenario with one needs callControl.
const CALL_CONTROL_STEPS = /by PerCL$|by PerCL in the legacy shape|mutes itself by PerCL|answers call control with/;
const CREATES_CONFERENCE = /conference created through REST|creates a .*conference by PerCL|REST creation/;

export const FAULTS = {
  // statuses
  'no-populated-status': { behaviour: 'statuses', breaks: ['C05a'], doc: 'the first joiner leaves the conference empty: no populated status, no callback' },
  'stale-rest-status': { behaviour: 'statuses', breaks: ['C05b'], doc: 'GET and list report the status the conference had when it was created' },
  'start-moderator-ignored': { behaviour: 'statuses', breaks: ['C07a'], doc: 'a participant with startConfOnEnter does not move the conference to inProgress' },
  'list-ignores-status-filter': { behaviour: 'statuses', breaks: ['C05b'], doc: 'GET /Conferences ignores the status filter' },
  'start-conf-default-false': { behaviour: 'statuses', breaks: ['C07b'], doc: 'AddToConference without startConfOnEnter does not start the conference (default taken as false)' },
  'start-flag-not-recorded': { behaviour: 'statuses', breaks: ['C07c'], doc: 'the participant resource reports startConfOnEnter false for the participant that started the conference' },
  'inprogress-before-populated': { behaviour: 'statuses', breaks: ['C07d'], doc: 'a first joiner with startConfOnEnter reports inProgress, then populated (swapped)' },
  'second-moderator-restarts': { behaviour: 'statuses', breaks: ['C07e'], doc: 'every further start moderator reports inProgress again' },
  'populated-does-not-empty': { behaviour: 'statuses', breaks: ['C09b'], doc: 'the last participant leaving a populated (never started) conference leaves it populated' },
  'empty-on-any-leave': { behaviour: 'statuses', breaks: ['C09c'], doc: 'any participant leaving reports empty, even while others remain' },
  'creating-callback': { behaviour: 'statuses', breaks: ['C02b'], doc: 'a creating status callback precedes the empty creation callback', catchesSteps: /creation callback reports|status callbacks are/ },
  // callback ordering
  'no-creation-callback': { behaviour: 'callback-ordering', breaks: ['C02a', 'C03b'], doc: 'statusCallbackUrl is not invoked when a conference is created', catchesSteps: /created through REST|status callbacks are|creation callback|REST creation/ },
  'no-action-url': { behaviour: 'callback-ordering', breaks: ['C03a'], doc: 'CreateConference does not invoke actionUrl' },
  'action-answer-ignored': { behaviour: 'callback-ordering', breaks: ['C03c'], doc: "the actionUrl's PerCL answer is not run on the creating call", catchesSteps: /creates a .*conference by PerCL and joins it/ },
  'percl-create-ignored': { behaviour: 'callback-ordering', breaks: ['C01b'], doc: 'CreateConference creates nothing', catchesSteps: /creates a .*conference by PerCL/ },
  'terminated-before-empty': { behaviour: 'callback-ordering', breaks: ['C14a'], doc: 'terminating a populated conference reports terminated before empty' },
  'terminate-skips-empty': { behaviour: 'callback-ordering', breaks: ['C14b'], doc: 'terminating a populated or inProgress conference reports only terminated' },
  'status-after-terminated': { behaviour: 'callback-ordering', breaks: ['C14c'], doc: 'a conferenceStatus callback arrives after terminated' },
  'no-join-notification': { behaviour: 'callback-ordering', breaks: ['C19a'], doc: 'addToConferenceNotification is never sent', catchesSteps: /joins (it|the conference)/ },
  'join-notification-first-only': {
    behaviour: 'callback-ordering',
    breaks: ['C19b'],
    doc: 'only the first participant of a conference is notified of its join',
    catchesRepeatedSteps: { pattern: /joins (it|the conference)/, times: 2 },
  },
  'no-leave-webhook': { behaviour: 'callback-ordering', breaks: ['C17b', 'C18a'], doc: 'leaveConference is never sent' },
  // participants: removal, hang-up, call control, privileges
  'remove-hangs-up': { behaviour: 'participants', breaks: ['C17a'], doc: 'a removed participant is hung up after its leaveConference, instead of continuing' },
  'leave-answer-ignored': { behaviour: 'participants', breaks: ['C17c'], doc: "a removed participant's leaveConference answer is not run; the call idles" },
  'removed-call-stays-up': { behaviour: 'participants', breaks: ['C17d'], doc: 'a participant removed without a leaveConferenceUrl stays connected' },
  'hangup-leave-answer-run': { behaviour: 'participants', breaks: ['C18b'], doc: "the leaveConference answer of a participant who hung up is run anyway" },
  'no-call-control': { behaviour: 'participants', breaks: ['C20a'], doc: 'entering the call-control sequence sends nothing', catchesSteps: CALL_CONTROL_STEPS },
  'call-control-answer-ignored': { behaviour: 'participants', breaks: ['C20b'], doc: "the callControl answer's PerCL is not run", catchesSteps: CALL_CONTROL_STEPS },
  'invalid-control-percl-ignored': { behaviour: 'participants', breaks: ['C20c'], doc: 'invalid PerCL in a callControl answer leaves the leg connected' },
  'call-control-without-allow': { behaviour: 'participants', breaks: ['C20d'], doc: 'callControl is sent for a participant that joined without allowCallControl' },
  'participant-update-ignored': { behaviour: 'participants', breaks: ['C21a'], doc: 'REST participant updates change nothing and return the participant unchanged' },
  'set-talk-ignored': { behaviour: 'participants', breaks: ['C21b'], doc: 'SetTalk does nothing' },
  'rest-hangup-ignored': { behaviour: 'participants', breaks: ['C22a'], doc: 'POST /Calls/{id} status=completed answers 202 but the call goes on' },
  'rest-hangup-no-call-status': { behaviour: 'participants', breaks: ['C22b'], doc: 'a call hung up through REST sends no callStatus' },
  'cancel-ends-in-progress': { behaviour: 'participants', breaks: ['C22c'], doc: 'status=canceled hangs up a call that is already in progress' },
  'join-unknown-creates': { behaviour: 'participants', breaks: ['C01c'], doc: 'AddToConference with an unknown conferenceId creates that conference and joins it' },
  // reuse while empty
  'empty-is-final': { behaviour: 'reuse-while-empty', breaks: ['C11a'], doc: 'a conference that became empty again refuses new participants' },
  'stays-populated-after-last-leave': { behaviour: 'reuse-while-empty', breaks: ['C09a'], doc: 'the conference does not return to empty when the last participant leaves' },
  'second-cycle-not-reported': { behaviour: 'reuse-while-empty', breaks: ['C11b'], doc: 'after the first cycle, populated, inProgress and empty are no longer reported' },
  'terminated-accepts-participants': { behaviour: 'reuse-while-empty', breaks: ['C12a'], doc: 'AddToConference succeeds on a terminated conference' },
  'terminated-accepts-updates': { behaviour: 'reuse-while-empty', breaks: ['C12b'], doc: 'REST updates revive a terminated conference' },
  'terminated-deleted': { behaviour: 'reuse-while-empty', breaks: ['C12c'], doc: 'a terminated conference disappears: GET answers 404 and lists omit it' },
  'conference-id-reused': { behaviour: 'reuse-while-empty', breaks: ['C12d'], doc: 'a new conference gets the ID of a terminated one' },
  // terminate
  'terminate-keeps-participants': { behaviour: 'terminate', breaks: ['C13a'], doc: 'terminating leaves participant calls connected and listed' },
  'terminate-ends-first-only': { behaviour: 'terminate', breaks: ['C13b'], doc: 'terminating hangs up only the first participant' },
  'terminate-no-call-status': { behaviour: 'terminate', breaks: ['C13c'], doc: 'participant calls ended by terminate send no callStatus' },
  'no-terminated-callback': { behaviour: 'terminate', breaks: ['C13d'], doc: 'terminating never reports terminated to the statusCallbackUrl' },
  'terminate-empty-rejected': { behaviour: 'terminate', breaks: ['C15a'], doc: 'terminating an empty conference fails with 409' },
  'terminate-percl-ignored': { behaviour: 'terminate', breaks: ['C16b'], doc: 'the TerminateConference command does nothing' },
  'terminate-answers-200': { behaviour: 'terminate', breaks: ['C16a'], doc: 'REST terminate answers 200 with a body instead of 204', catchesSteps: /terminated through REST/ },
  // recording on empty
  'no-recording-report': { behaviour: 'recording-on-empty', breaks: ['C10a'], doc: 'the recording is never reported' },
  'recording-duration-from-creation': { behaviour: 'recording-on-empty', breaks: ['C08a', 'C04b'], doc: 'recording length is measured from creation, not from inProgress' },
  'recording-without-inprogress': { behaviour: 'recording-on-empty', breaks: ['C08b'], doc: 'a conference that never reached inProgress reports a recording' },
  'recording-not-readable': { behaviour: 'recording-on-empty', breaks: ['C10e'], doc: 'the reported recording cannot be read through REST' },
  'recording-when-not-requested': { behaviour: 'recording-on-empty', breaks: ['C08c'], doc: 'a conference created with record=false reports a recording' },
  'recording-continues-after-empty': { behaviour: 'recording-on-empty', breaks: ['C09d'], doc: 'the recording does not stop when the conference empties; it is reported at terminate' },
  'recording-duration-rounded-down': { behaviour: 'recording-on-empty', breaks: ['C10b'], doc: 'recordingDurationSec is rounded down instead of up' },
  'no-recording-report-on-terminate': { behaviour: 'recording-on-empty', breaks: ['C10c'], doc: 'terminating a recorded inProgress conference discards the recording' },
  'recording-before-empty': { behaviour: 'recording-on-empty', breaks: ['C10d'], doc: 'the recording report is sent before the empty callback (swapped)' },
  // signatures: every callback is affected, so every scenario that receives callbacks must fail
  'bad-signature': { behaviour: 'signatures', breaks: ['S01a'], doc: 'webhooks are signed with the wrong secret', catches: 'not @no-callbacks' },
  'stale-signature': { behaviour: 'signatures', breaks: ['S01b'], doc: 'webhook signatures carry a timestamp ten minutes old', catches: 'not @no-callbacks' },
  'unsigned-webhooks': { behaviour: 'signatures', breaks: ['S01c'], doc: 'webhooks carry no FreeClimb-Signature header', catches: 'not @no-callbacks' },
  // REST results and webhook bodies
  'auth-not-enforced': { behaviour: 'rest', breaks: ['R01a'], doc: 'requests with wrong credentials are served' },
  'unknown-conference-500': { behaviour: 'rest', breaks: ['R01b'], doc: 'an unknown conference answers 500 instead of 404' },
  'error-body-missing': { behaviour: 'rest', breaks: ['R01c'], doc: 'error answers carry no PlatformError body' },
  'create-returns-no-id': { behaviour: 'rest', breaks: ['C01a', 'C24a'], doc: 'REST conference creation returns a body without conferenceId', catchesSteps: /created through REST|REST creation/ },
  'participant-list-stale': { behaviour: 'rest', breaks: ['C13e', 'C17e'], doc: 'removed participants stay in the participant list' },
  'webhook-missing-status': { behaviour: 'webhooks', breaks: ['W01a', 'C02a'], doc: 'conferenceStatus webhooks lack the status field', catchesSteps: CREATES_CONFERENCE },
  // PerCL execution
  'commands-after-terminal-run': { behaviour: 'percl', breaks: ['P01b'], doc: 'commands after a Redirect still run' },
  'script-end-keeps-call': { behaviour: 'percl', breaks: ['P01c'], doc: 'a script that runs out without a terminal command leaves the call up' },
  'legacy-attributes-rejected': { behaviour: 'percl', breaks: ['P03b'], doc: 'PerCL with attributes SDK 2.1.3 still sends is treated as invalid' },
  // queues (issue 22): Enqueue, Dequeue and the queue webhooks
  'enqueue-not-listed': { behaviour: 'queues', breaks: ['Q01a'], doc: 'GET /Queues/{id}/Members lists no one, even while calls wait' },
  'queue-position-zero-based': { behaviour: 'queues', breaks: ['Q01b'], doc: 'queueWait counts queuePosition from 0, so the front call is told 0' },
  'wait-not-looped': { behaviour: 'queues', breaks: ['Q01c'], doc: 'waitUrl is requested once; when its PerCL runs out the call waits in silence' },
  'no-queue-notification': { behaviour: 'queues', breaks: ['Q01d'], doc: 'the Enqueue notificationUrl never hears addToQueueNotification' },
  'rest-dequeue-ignored': { behaviour: 'queues', breaks: ['Q02a'], doc: 'a REST dequeue answers 202 but the call keeps waiting' },
  'percl-dequeue-ignored': { behaviour: 'queues', breaks: ['Q02b'], doc: "a Dequeue in the wait script's PerCL does nothing" },
  'dequeue-answer-ignored': { behaviour: 'queues', breaks: ['Q02c'], doc: 'the PerCL answered to the dequeue webhook is not run; the call idles' },
  'departed-still-listed': { behaviour: 'queues', breaks: ['Q02d', 'Q03b'], doc: 'a call that left the queue (dequeued or hung up) stays listed as a member' },
  'queue-hangup-unreported': { behaviour: 'queues', breaks: ['Q03a'], doc: 'a queued caller who hangs up is not reported to the Enqueue actionUrl' },
  // voicemail: RecordUtterance
  'no-record-webhook': { behaviour: 'voicemail', breaks: ['U01a'], doc: 'RecordUtterance never sends its record webhook' },
  'finish-key-ignored': { behaviour: 'voicemail', breaks: ['U01b'], doc: 'the finishOnKey key does not end the recording' },
  'record-silence-ignored': { behaviour: 'voicemail', breaks: ['U01c'], doc: 'silence does not end a recording; only the maximum length does' },
  'record-max-length-ignored': { behaviour: 'voicemail', breaks: ['U01d'], doc: 'maxLengthSec does not end a recording while the far end keeps talking' },
  'record-hangup-unreported': { behaviour: 'voicemail', breaks: ['U01e'], doc: 'a hang-up during RecordUtterance drops the recording and sends no record webhook' },
  'utterance-duration-rounded-down': { behaviour: 'voicemail', breaks: ['U01f'], doc: "a message's recordingDurationSec is rounded down instead of up" },
  'utterance-not-readable': { behaviour: 'voicemail', breaks: ['U01g'], doc: 'the recorded message cannot be read through REST' },
  'record-answer-ignored': { behaviour: 'voicemail', breaks: ['U01h'], doc: 'the PerCL answered to the record webhook is not run; the call idles' },
  // speech: GetSpeech
  'speech-never-recognized': { behaviour: 'speech', breaks: ['G01a'], doc: 'every utterance is reported as noMatch, even words the grammar holds' },
  'speech-matches-anything': { behaviour: 'speech', breaks: ['G01b'], doc: 'a built-in grammar accepts any words as a recognition' },
  'speech-no-input-unreported': { behaviour: 'speech', breaks: ['G01c'], doc: 'a caller who says nothing is listened to for ever: no noInput' },
  'speech-confidence-fraction': { behaviour: 'speech', breaks: ['G01d'], doc: 'confidence is reported as a fraction of 1 (0.93) instead of 0 to 100' },
  'speech-answer-ignored': { behaviour: 'speech', breaks: ['G01e'], doc: 'the PerCL answered to getSpeech is not run; the call idles' },
  // messages: Sms
  'sms-not-sent': { behaviour: 'messages', breaks: ['M01a'], doc: 'the Sms command sends nothing: no message is listed' },
  'sms-ends-script': { behaviour: 'messages', breaks: ['M01b'], doc: 'Sms is treated as terminal: the command after it never runs' },
  'sms-no-status': { behaviour: 'messages', breaks: ['M01c'], doc: 'the Sms notificationUrl never hears messageStatus' },
  // call recording: StartRecordCall
  'record-call-unreported': { behaviour: 'call-recording', breaks: ['K01a'], doc: "StartRecordCall's recording is missing from the call's callStatus" },
  'call-recording-not-readable': { behaviour: 'call-recording', breaks: ['K01b'], doc: "the call's recording cannot be read through REST" },
} as const satisfies Record<string, FaultDef>;

export type FaultName = keyof typeof FAULTS;
export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

export function parseFault(name: string | undefined): FaultName | undefined {
  if (!name) return undefined;
  if (!(name in FAULTS)) throw new Error(`unknown fault "${name}"; faults: ${FAULT_NAMES.join(', ')}`);
  return name as FaultName;
}

export function faultCatches(name: FaultName): { tags: string; steps?: RegExp; repeated?: { pattern: RegExp; times: number } } {
  const def: FaultDef = FAULTS[name];
  return { tags: def.catches ?? `@fault:${name}`, steps: def.catchesSteps, repeated: def.catchesRepeatedSteps };
}

/** Whether a scenario with these step texts must fail under the fault (besides its tags). */
export function stepsCatch(name: FaultName, steps: readonly string[]): boolean {
  const { steps: pattern, repeated } = faultCatches(name);
  if (pattern && steps.some((s) => pattern.test(s))) return true;
  return repeated !== undefined && steps.filter((s) => repeated.pattern.test(s)).length >= repeated.times;
}

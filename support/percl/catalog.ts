// The PerCL command catalog: for every command the validator knows, what the reference says about
// it beyond its attributes (which come from the zod schemas, support/schemas/percl*.ts): whether it
// ends the script, what it nests, where it may not run, the webhooks it causes, and what the docs
// leave open ([AMBIGUOUS]/[CONFLICT]). Paraphrased from the SPEC components, the doc pages named in
// `source` and SDK 2.1.3's percl.js/enums; test/percl-catalog.test.ts holds it to the schemas.
import type { CommandName } from '../schemas/percl';

export interface CommandEntry {
  summary: string;
  /** Nothing after it in the same script runs. */
  terminal: boolean;
  /** Its `prompts` attribute holds Say, Play and Pause. */
  holdsPrompts: boolean;
  /** Other rules about where it may stand. */
  rules: string[];
  /** Webhooks it causes, `requestType → URL attribute`. */
  webhooks: string[];
  /** Points the docs leave open, each with the reading the harness takes. */
  open: string[];
  source: string;
  /** The SDK 2.1.3 builder, when it has one. */
  sdk213?: string;
  /** How the simulator executes it (support/simulator/*), or that it does not. */
  simulator: string;
  /** Unit tests (and the SDK 2.1.3 fixture they validate) that exercise it by name; checked by test/percl-catalog.test.ts. */
  provenBy: string[];
}

const NOT_NESTED = 'not nested in any other command; nests nothing';

export const PERCL_CATALOG: Record<CommandName, CommandEntry> = {
  CreateConference: {
    provenBy: ['test/percl-validate.test.ts', 'test/fixtures/percl/sdk-2.1.3.json'],
    simulator: 'creates the conference; createConference to actionUrl, creation callback to statusCallbackUrl',
    summary: 'creates an empty conference; control continues at actionUrl',
    terminal: true, holdsPrompts: false, rules: [NOT_NESTED],
    webhooks: ['createConference → actionUrl (PerCL expected)', 'createConference/conferenceStatus → statusCallbackUrl', 'conferenceRecordingStatus → statusCallbackUrl'],
    open: ['[AMBIGUOUS] creation callback requestType and order (clauses C02, C03)'],
    source: 'reference §5.2, DOC:createconference', sdk213: 'createConference(actionUrl, options)',
  },
  AddToConference: {
    provenBy: ['test/percl-validate.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/engine.test.ts'],
    simulator: 'joins the conference (populated/inProgress, notification, leave, call control)',
    summary: 'bridges the current call into an existing conference',
    terminal: true, holdsPrompts: false, rules: [NOT_NESTED, 'the conference must exist'],
    webhooks: ['addToConferenceNotification → notificationUrl', 'leaveConference → leaveConferenceUrl', 'callControl → callControlUrl'],
    open: ['[CONFLICT] a call already in another conference is moved, or must leave first', 'SDK 2.1.3 still sends callId (legacy warning)'],
    source: 'reference §5.2, DOC:addtoconference', sdk213: 'addToConference(conferenceId, callId, options)',
  },
  RemoveFromConference: {
    provenBy: ['test/fixtures/percl/sdk-2.1.3.json', 'test/engine.test.ts'],
    simulator: 'unbridges the call; leaveConference or disconnect',
    summary: 'unbridges the current call from its conference without hanging up',
    terminal: false, holdsPrompts: false, rules: [NOT_NESTED],
    webhooks: ['leaveConference → leaveConferenceUrl of the participant'],
    open: ['[CONFLICT] three doc versions disagree on callId; SDK 2.1.3 sends it (legacy warning)'],
    source: 'reference §5.2, DOC:removefromconference', sdk213: 'removeFromConference(callId)',
  },
  TerminateConference: {
    provenBy: ['test/percl-validate.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/engine.test.ts'],
    simulator: 'terminates the conference the call is in',
    summary: 'terminates the conference the current call is in; participants are hung up',
    terminal: true, holdsPrompts: false, rules: [NOT_NESTED, 'the requesting call must be in that conference'],
    webhooks: ['conferenceStatus empty/terminated → statusCallbackUrl', 'callStatus of each participant'],
    open: ['SDK 2.1.3 still sends conferenceId (legacy warning)'],
    source: 'reference §5.2, DOC:terminateconference', sdk213: 'terminateConference(conferenceId)',
  },
  SetListen: {
    provenBy: ['test/fixtures/percl/sdk-2.1.3.json'],
    simulator: 'changes the participant', summary: 'changes the listen privilege of the current participant', terminal: false, holdsPrompts: false, rules: [NOT_NESTED], webhooks: [], open: ['SDK 2.1.3 sends callId (legacy warning)'], source: 'reference §5.2, DOC:setlisten', sdk213: 'setListen(callId, listen?)' },
  SetTalk: {
    provenBy: ['test/percl-validate.test.ts', 'test/percl-commands.test.ts', 'test/fixtures/percl/sdk-2.1.3.json'],
    simulator: 'changes the participant', summary: 'changes the talk privilege of the current participant', terminal: false, holdsPrompts: false, rules: [NOT_NESTED], webhooks: [], open: ['SDK 2.1.3 sends callId (legacy warning)'], source: 'reference §5.2, DOC:settalk', sdk213: 'setTalk(callId, talk?)' },
  SetDTMFPassThrough: {
    provenBy: [],
    simulator: 'changes the participant', summary: 'changes whether the participant\'s DTMF reaches the others', terminal: false, holdsPrompts: false, rules: [NOT_NESTED], webhooks: [], open: ['[AMBIGUOUS] no doc page; default not documented (reading: true)'], source: 'SPEC SetDTMFPassThrough' },
  Say: {
    provenBy: ['test/percl-validate.test.ts', 'test/percl-commands.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/engine.test.ts', 'test/phones.test.ts', 'test/queues.test.ts', 'test/call-recording.test.ts', 'test/speech.test.ts', 'test/transcription.test.ts', 'test/early-media.test.ts', 'test/messages.test.ts'],
    simulator: 'heard by the far end (no webhook)',
    summary: 'speaks text to the caller',
    terminal: false, holdsPrompts: false, rules: ['may be nested in GetDigits, GetSpeech and TranscribeUtterance prompts', 'language is not combined with engine (warning)'],
    webhooks: [], open: ['[CONFLICT] "only when not in a conference" (DOC:say) against Say to a populated conference (DOC:conferences)'],
    source: 'reference §5.3, DOC:say, SPEC Language', sdk213: 'say(text, options)',
  },
  Play: {
    provenBy: ['test/percl-validate.test.ts', 'test/percl-commands.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/queues.test.ts'],
    simulator: 'heard by the far end (no webhook)', summary: 'plays an audio file to the caller', terminal: false, holdsPrompts: false, rules: ['may be nested in prompts'], webhooks: [], open: [], source: 'reference §5.3, SPEC Play', sdk213: 'play(file, options)' },
  Pause: {
    provenBy: ['test/percl-validate.test.ts', 'test/percl-commands.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/engine.test.ts', 'test/phones.test.ts', 'test/queues.test.ts', 'test/sdk-queues-messages.test.ts', 'test/call-recording.test.ts', 'test/early-media.test.ts'],
    simulator: 'waits on the virtual clock', summary: 'waits silently; as the first command it delays answering', terminal: false, holdsPrompts: false, rules: ['may be nested in prompts'], webhooks: [], open: [], source: 'reference §5.3, DOC:pause', sdk213: 'pause(length)' },
  Hangup: {
    provenBy: ['test/percl-validate.test.ts', 'test/percl-commands.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/engine.test.ts', 'test/queues.test.ts', 'test/call-recording.test.ts', 'test/speech.test.ts', 'test/transcription.test.ts', 'test/early-media.test.ts', 'test/messages.test.ts'],
    simulator: 'ends the call (appHangup)',
    summary: 'ends the call (answered and billed even as the first command)',
    terminal: false, holdsPrompts: false, rules: [NOT_NESTED],
    webhooks: ['callStatus → statusCallbackUrl'],
    open: ['not listed as terminal; the call ends, so what follows never runs either way'],
    source: 'reference §5.3, DOC:hangup', sdk213: 'hangup(options)',
  },
  Reject: {
    provenBy: ['test/fixtures/percl/sdk-2.1.3.json'],
    simulator: 'ends the ringing call (appReject)', summary: 'refuses an inbound call without answering it', terminal: true, holdsPrompts: false, rules: [NOT_NESTED], webhooks: ['callStatus → statusCallbackUrl'], open: [], source: 'reference §5.3, SPEC Reject', sdk213: 'reject(reason)' },
  Redirect: {
    provenBy: ['test/percl-validate.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/engine.test.ts'],
    simulator: 'redirect webhook, its PerCL runs', summary: 'continues the call with the PerCL of another URL (at most 256 per call)', terminal: true, holdsPrompts: false, rules: [NOT_NESTED], webhooks: ['redirect → actionUrl (PerCL expected)'], open: ['[CONFLICT] requestType redirect or inboundCall (clause P01d)'], source: 'reference §5.3, DOC:redirect-1', sdk213: 'redirect(actionUrl)' },
  OutDial: {
    provenBy: ['test/percl-validate.test.ts', 'test/percl-commands.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/phones.test.ts'],
    simulator: 'dials a child call; outDialStart, outDialConnect, machineDetected, callStatus',
    summary: 'dials a number as a child call; the parent continues at actionUrl',
    terminal: true, holdsPrompts: false, rules: [NOT_NESTED, 'ifMachineUrl is required when ifMachine is redirect, and left out when it is hangup'],
    webhooks: ['outDialStart → actionUrl', 'outDialConnect → callConnectUrl', 'machineDetected → ifMachineUrl', 'callStatus → statusCallbackUrl'],
    open: ['[AMBIGUOUS] timeout default (variant outDialTimeoutDefault)'],
    source: 'reference §5.3, DOC:outdial-1, SPEC OutDial', sdk213: 'outDial(to, from, actionUrl, callConnectUrl, options)',
  },
  GetDigits: {
    provenBy: ['test/percl-validate.test.ts', 'test/percl-commands.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/phones.test.ts'],
    simulator: 'collects DTMF; getDigits webhook',
    summary: 'collects DTMF while its prompts play',
    terminal: true, holdsPrompts: true, rules: ['single-party calls only: not in a conference (warning when the validator is told the call is in one)'],
    webhooks: ['getDigits → actionUrl (PerCL expected, not run after a hang-up)'],
    open: ['[AMBIGUOUS] timeout defaults; initialTimeoutMs was a string before SDK 3.6.0'],
    source: 'reference §5.3, DOC:getdigits-1', sdk213: 'getDigits(actionUrl, options)',
  },
  SendDigits: {
    provenBy: ['test/percl-validate.test.ts', 'test/fixtures/percl/sdk-2.1.3.json'],
    simulator: 'DTMF reaches the other leg', summary: 'plays DTMF tones on the call', terminal: false, holdsPrompts: false, rules: [NOT_NESTED], webhooks: [], open: [], source: 'SPEC SendDigits', sdk213: 'sendDigits(digits, options)' },
  Enqueue: {
    provenBy: ['test/percl-commands.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/queues.test.ts', 'test/sdk-queues-messages.test.ts'],
    simulator: 'queues the call (support/simulator/queues.ts): addToQueueNotification, queueWait loop, dequeue / removeFromQueueNotification (hangup, queueFull)',
    summary: 'puts the call in a queue (created if missing, 100 places by default); waitUrl PerCL loops while it waits',
    terminal: true, holdsPrompts: false, rules: [NOT_NESTED],
    webhooks: ['addToQueueNotification → notificationUrl (notification only)', 'queueWait → waitUrl (PerCL expected, requested again when it runs out)', 'dequeue / removeFromQueueNotification → actionUrl with queueResult'],
    open: ['[AMBIGUOUS] no stored page says "terminal" in words; the call moves to waitUrl and actionUrl, so nothing after it can run (reading: terminal)', '[AMBIGUOUS] queueId: SPEC wants QU + 40 hex, the validator checks the prefix only', '[AMBIGUOUS] how soon waitUrl is requested again: each wait cycle lasts at least 1 s of virtual time in the simulator', '[AMBIGUOUS] order of addToQueueNotification and the first queueWait (reading: notification first)', '[CONFLICT] the using-queues guide deletes empty queues; SPEC lets REST create one: the simulator keeps them', '[AMBIGUOUS] queueTime on a queueFull refusal (reading: null)'],
    source: 'SPEC Enqueue, DOC:dequeue-1, DOC:removefromqueuenotification', sdk213: 'enqueue(queueId, actionUrl, waitUrl, notificationUrl?)',
  },
  Dequeue: {
    provenBy: ['test/percl-commands.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/queues.test.ts'],
    simulator: 'dequeues the waiting call; outside a queue it ends the call (perclProcessingError)',
    summary: 'takes the waiting caller out of its queue; the call continues at the Enqueue actionUrl',
    terminal: true, holdsPrompts: false, rules: [NOT_NESTED, 'meant for the waitUrl PerCL of a queued call'],
    webhooks: ['dequeue → the Enqueue actionUrl, queueResult dequeued'],
    open: ['[AMBIGUOUS] what a Dequeue does in a call that is not queued'],
    source: 'DOC:dequeue, DOC:dequeue-1', sdk213: 'dequeue()',
  },
  Park: {
    provenBy: ['test/percl-commands.test.ts'],
    simulator: 'not simulated: the call ends (perclProcessingError)', summary: 'holds the call; waitUrl PerCL loops until Unpark or REST resumes it', terminal: true, holdsPrompts: false, rules: [NOT_NESTED], webhooks: ['notificationUrl when parked', 'waitUrl (PerCL, looped)', 'actionUrl when resumed'], open: ['[AMBIGUOUS] webhook requestTypes of Park are not in the SPEC enum'], source: 'SPEC Park' },
  Unpark: {
    provenBy: ['test/percl-commands.test.ts'],
    simulator: 'not simulated: the call ends (perclProcessingError)', summary: 'resumes a parked call at the Park actionUrl', terminal: true, holdsPrompts: false, rules: [NOT_NESTED], webhooks: ['the Park actionUrl'], open: ['[AMBIGUOUS] what an Unpark does in a call that is not parked'], source: 'SPEC Unpark' },
  RecordUtterance: {
    provenBy: ['test/percl-commands.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/call-recording.test.ts'],
    simulator: 'records (support/simulator/call-recording.ts): record webhook with termReason finishKey, timeout, maxLength or hangup; a Recording resource',
    summary: 'records what the caller says; the recording is reported to actionUrl',
    terminal: true, holdsPrompts: false, rules: [NOT_NESTED],
    webhooks: ['record → actionUrl with recordingId, recordingUrl, recordingDurationSec, termReason (PerCL expected, not run after a hang-up)'],
    open: ['[AMBIGUOUS] defaults of silenceTimeoutMs, maxLengthSec, playBeep and autoStart', '[AMBIGUOUS] whether the trailing silence is part of the recording (variant recordTrailingSilence: kept, the default, or trimmed)', '[AMBIGUOUS] the record webhook when autoStart heard nothing (reading: null recording fields, termReason maxLength)'],
    source: 'DOC:recordutterance, SPEC RecordUtterance, SDK 2.1.3 enums.recordUtteranceTermReason', sdk213: 'recordUtterance(actionUrl, options)',
  },
  StartRecordCall: {
    provenBy: ['test/percl-commands.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/call-recording.test.ts'],
    simulator: 'records the whole call; the recording is on the callStatus webhook and a Recording resource',
    summary: 'starts recording the whole call and goes on with the next command',
    terminal: false, holdsPrompts: false, rules: [NOT_NESTED],
    webhooks: ['recording fields on callStatus → the statusCallbackUrl (OutDial\'s for a child call, else the application\'s)'],
    open: [], source: 'DOC:startrecordcall', sdk213: 'startRecordCall()',
  },
  GetSpeech: {
    provenBy: ['test/percl-commands.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/queues.test.ts', 'test/speech.test.ts'],
    simulator: 'listens (support/simulator/speech.ts): built-in grammars matched, URL grammars take the words as said; getSpeech webhook',
    summary: 'recognizes what the caller says against a grammar while its prompts play',
    terminal: true, holdsPrompts: true,
    rules: ['grammarFile is a built-in grammar name when grammarType is BUILTIN, a URL when it is URL', 'single call leg only: not in a conference (warning when the validator is told the call is in one)'],
    webhooks: ['getSpeech → actionUrl with reason, recognitionResult, confidence (PerCL expected, not run after a hang-up)'],
    open: ['[AMBIGUOUS] the default grammarType: a non-URL grammarFile without grammarType is a warning', '[AMBIGUOUS] timeout and threshold defaults', '[AMBIGUOUS] a URL grammar is not evaluated by the simulator: the words are taken as said', '[AMBIGUOUS] confidence of a match (reading: 100; 0 otherwise)'],
    source: 'DOC:getspeech-1, SPEC GetSpeech/GrammarType/GrammarFileBuiltIn', sdk213: 'getSpeech(actionUrl, grammarFile, options)',
  },
  TranscribeUtterance: {
    provenBy: ['test/percl-commands.test.ts', 'test/transcription.test.ts'],
    simulator: 'transcribes (support/simulator/transcription.ts): the words as said, a recording with record.saveRecording; transcribe webhook',
    summary: 'transcribes what the caller says, optionally keeping the recording',
    terminal: true, holdsPrompts: true, rules: ['not nested in any other command'],
    webhooks: ['transcribe → actionUrl (PerCL expected, not run after a hang-up)'],
    open: ['[AMBIGUOUS] the end-of-speech silence default (reading: 2000 ms)', '[AMBIGUOUS] a caller who says nothing (reading: transcribeReason noInput at maxLengthSec, null transcript)', '[AMBIGUOUS] transcribeReason of a normal ending (reading: null)'],
    source: 'DOC:transcribeutterance, SPEC TranscribeUtterance',
  },
  PlayEarlyMedia: {
    provenBy: ['test/percl-commands.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/early-media.test.ts'],
    simulator: 'heard while an inbound call rings, without answering it; nothing once answered',
    summary: 'plays audio before an inbound call is answered',
    terminal: false, holdsPrompts: false, rules: [NOT_NESTED, 'only at the start of the answer to an inbound call (warning elsewhere in the script)'],
    webhooks: [],
    open: ['[AMBIGUOUS] the very first command only (older page) or a leading run of them (newer page); reading: a leading run'],
    source: 'DOC:playearlymedia, SPEC PlayEarlyMedia', sdk213: 'playEarlyMedia(file)',
  },
  Sms: {
    provenBy: ['test/percl-commands.test.ts', 'test/fixtures/percl/sdk-2.1.3.json', 'test/messages.test.ts'],
    simulator: 'sends the message (support/simulator/messages.ts): a Message resource, messageStatus to notificationUrl',
    summary: 'sends a text message during the call and goes on with the next command',
    terminal: false, holdsPrompts: false, rules: [NOT_NESTED, 'from must be a number of the account'],
    webhooks: ['messageStatus → notificationUrl (notification only)'],
    open: ['[CONFLICT] text length: SPEC 160, SDK 2.1.3 254 (over 160 warns, over 254 fails)', 'SDK 2.1.3 typings name the option notificatioUrl and swap to/from; the builder sends {from, to, text}', "[AMBIGUOUS] how a sender that is not the account's number is refused (reading: the message is rejected)", '[AMBIGUOUS] which status changes reach notificationUrl (reading: one, queued to sent)'],
    source: 'DOC:sms-4 (reference-link), SPEC Sms', sdk213: 'sms(from, to, text, options)',
  },
};

// In-memory account state of the simulator. REST resources are rendered from these records by
// resources.ts, so the REST view and the webhook view can never disagree about a status.
import type { CallEndedReason, CallStatus, ConferenceStatus, PlayBeep } from '../schemas/common';
import type { Heard } from '../schemas/conversation';
import type { MessageStatus } from '../schemas/rest-messages';
import type { Attributes } from '../schemas/percl';

export interface Stamped {
  created: number;
  updated: number;
  revision: number;
}

export interface ConferenceState extends Stamped {
  conferenceId: string;
  alias: string | null;
  playBeep: PlayBeep;
  record: boolean;
  waitUrl: string | null;
  actionUrl: string | null;
  statusCallbackUrl: string | null;
  status: ConferenceStatus;
  /** Status at creation, kept for the `stale-rest-status` fault. */
  initialStatus: ConferenceStatus;
  /** Participants in join order, keyed by callId. */
  participants: Map<string, ParticipantState>;
  /** Virtual time the current recording started, while one is running. */
  recordingSince?: number;
  /** The call whose CreateConference made this conference, if any. */
  creatorCallId: string | null;
  /** How many times the conference went from populated/inProgress back to empty. */
  emptiedCount: number;
}

export type AddToConferenceAttrs = Attributes<'AddToConference'>;

export interface ParticipantState extends Stamped {
  callId: string;
  conferenceId: string;
  talk: boolean;
  listen: boolean;
  dtmfPassThrough: boolean;
  startConfOnEnter: boolean;
  attrs: AddToConferenceAttrs;
  /** DTMF heard from this participant since the last call-control match. */
  dtmf: string;
}

/** What is on the other end of a call: a simulated phone, or another leg of this account. */
export type Peer = { kind: 'phone' } | { kind: 'leg'; callId: string };

export interface PendingGetDigits {
  attrs: Attributes<'GetDigits'>;
  digits: string;
  token: number;
  timer?: number;
}

export interface CallState extends Stamped {
  callId: string;
  parentCallId: string | null;
  from: string;
  to: string;
  direction: 'inbound' | 'outboundAPI' | 'outboundDial';
  status: CallStatus;
  applicationId: string | null;
  phoneNumberId: string | null;
  callConnectUrl: string | null;
  statusCallbackUrl: string | null;
  startTime: number | null;
  connectTime: number | null;
  endTime: number | null;
  endedReason: CallEndedReason | null;
  conferenceId: string | null;
  /** The conference the call was last in, for callStatus under the SPEC reading. */
  lastConferenceId: string | null;
  peer: Peer;
  /** Incremented whenever a new script starts or the call ends, cancelling stale continuations. */
  scriptToken: number;
  redirects: number;
  /** DTMF received and not yet consumed by GetDigits. */
  dtmfBuffer: string;
  getDigits?: PendingGetDigits;
  /** The virtual-clock timer of a running Pause, cancelled if the call ends first. */
  pauseTimer?: number;
  sendDigits: string | null;
  /** Every Say and Play run on this call (app gating: what the caller heard). */
  heard?: Heard[];
  /** How an outbound call is dialled (OutDial or POST /Calls); absent for inbound calls. */
  dialing?: Dialing;
  /** Set only when answering-machine detection was used (§3.4 answeredBy). */
  answeredBy?: 'human' | 'machine';
  /** The virtual-clock timer that ends the ringing of a named phone, cancelled if the call ends first. */
  ringTimer?: number;
  /** The queue the call waits in (Enqueue), until it is dequeued or hangs up. */
  queueId?: string | null;
}

export interface Dialing {
  /** Ring time in seconds before the call ends noAnswer. */
  timeoutSec: number;
  ifMachine?: 'redirect' | 'hangup';
  ifMachineUrl?: string;
}

/** What a caller decides when placing a call; the engine fills in the rest. */
export type NewCall = Pick<
  CallState,
  'parentCallId' | 'from' | 'to' | 'direction' | 'applicationId' | 'phoneNumberId' | 'callConnectUrl' | 'statusCallbackUrl' | 'peer' | 'sendDigits' | 'dialing'
>;

export interface RecordingState extends Stamped {
  recordingId: string;
  conferenceId: string | null;
  callId: string | null;
  durationSec: number;
}

export interface QueueMemberState {
  callId: string;
  /** Virtual time the call entered the queue. */
  enqueued: number;
  attrs: Attributes<'Enqueue'>;
  /** Virtual time the current waitUrl request was made, to pace the wait loop. */
  waitRequested?: number;
  /** The virtual-clock timer of the next waitUrl request, cancelled when the call leaves. */
  waitTimer?: number;
}

export interface QueueState extends Stamped {
  queueId: string;
  alias: string | null;
  maxSize: number;
  /** Front first. */
  members: QueueMemberState[];
  /** Seconds each removed member spent in the queue, for averageQueueRemovalTime. */
  removalSecs: number[];
}

export interface MessageState extends Stamped {
  messageId: string;
  from: string;
  to: string;
  text: string;
  direction: 'outbound';
  status: MessageStatus;
  notificationUrl: string | null;
  /** The call whose Sms command sent it; null when sent through REST. */
  callId: string | null;
  phoneNumberId: string | null;
  applicationId: string | null;
}

export interface ApplicationState extends Stamped {
  applicationId: string;
  alias: string | null;
  voiceUrl: string | null;
  voiceFallbackUrl: string | null;
  callConnectUrl: string | null;
  statusCallbackUrl: string | null;
  smsUrl: string | null;
  smsFallbackUrl: string | null;
}

export interface NumberState extends Stamped {
  phoneNumberId: string;
  phoneNumber: string;
  alias: string | null;
  applicationId: string | null;
}

export interface AccountState {
  accountId: string;
  conferences: Map<string, ConferenceState>;
  calls: Map<string, CallState>;
  recordings: Map<string, RecordingState>;
  applications: Map<string, ApplicationState>;
  numbers: Map<string, NumberState>;
  queues: Map<string, QueueState>;
  messages: Map<string, MessageState>;
}

export function stamp(now: number): Stamped {
  return { created: now, updated: now, revision: 1 };
}

export function touch(record: Stamped, now: number): void {
  record.updated = now;
  record.revision += 1;
}

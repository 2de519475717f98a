// The lifecycle engine: conferences, participants and calls, and the webhooks their changes cause
// (reference §6). REST (rest.ts) and PerCL (percl-runner.ts) are both thin layers over these
// operations, so a conference behaves the same however it was created or changed.
import type { CallEndedReason, CallStatus, ConferenceStatus } from '../schemas/common';
import type { MakeCallRequest } from '../schemas/rest';
import type { WebhookAnswer } from './dispatcher';
import type { CallFields, EngineApi, EngineOptions, ScriptRunner } from './engine-api';
import type { FaultName } from './faults';
import { newId } from './ids';
import { MAKE_CALL_TIMEOUT_DEFAULT_SEC, Phones } from './phones';
import { CallRecording } from './call-recording';
import { Messages } from './messages';
import { Queues } from './queues';
import { Speech } from './speech';
import { Transcription } from './transcription';
import type { VariantAxis, VariantOption } from './variants';
import {
  stamp,
  touch,
  type AccountState,
  type AddToConferenceAttrs,
  type CallState,
  type NewCall,
  type ConferenceState,
  type ParticipantState,
  type RecordingState,
} from './state';

export type { EngineOptions, ScriptRunner } from './engine-api';

export class SimulatorError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Fields = CallFields;

export class Engine implements EngineApi {
  readonly state: AccountState;
  /** Human-readable trace of what the engine did, attached to reports on failure. */
  readonly events: string[] = [];
  runner!: ScriptRunner;
  /** The people at numbers outside the account, and how they pick up (app gating). */
  readonly phones = new Phones(this);
  /** Call queues (Enqueue, Dequeue, /Queues). */
  readonly queues = new Queues(this);
  /** RecordUtterance and StartRecordCall recordings. */
  readonly callRecording = new CallRecording(this);
  /** SMS sent by the Sms command or POST /Messages. */
  readonly messages = new Messages(this);
  /** GetSpeech recognition. */
  readonly speech = new Speech(this);
  /** TranscribeUtterance. */
  readonly transcription = new Transcription(this);
  private readonly startedAt: number;
  /** Conferences that have notified a join, for the `join-notification-first-only` fault. */
  private readonly notifiedConferences = new Set<string>();

  constructor(readonly opts: EngineOptions) {
    this.startedAt = opts.clock.now();
    this.state = {
      accountId: opts.accountId,
      conferences: new Map(),
      calls: new Map(),
      recordings: new Map(),
      applications: new Map(),
      numbers: new Map(),
      queues: new Map(),
      messages: new Map(),
    };
  }

  get now(): number {
    return this.opts.clock.now();
  }

  has(fault: FaultName): boolean {
    return this.opts.fault === fault;
  }

  variant<A extends VariantAxis>(axis: A): VariantOption<A> {
    return this.opts.variants[axis];
  }

  private readonly traceListeners: ((event: string) => void)[] = [];

  trace(message: string): void {
    const event = `[t+${this.now - this.startedAt}ms] ${message}`;
    this.events.push(event);
    this.traceListeners.forEach((l) => l(event));
  }

  /** Be told of every engine event as it happens (tests wait on these instead of polling). */
  onTrace(listener: (event: string) => void): void {
    this.traceListeners.push(listener);
  }

  // ---------------------------------------------------------------- webhooks

  private webhook(url: string | null | undefined, body: Fields, onAnswer?: (a: WebhookAnswer) => void): void {
    if (!url) return;
    this.opts.dispatcher.webhook(url, { accountId: this.state.accountId, ...body }, this.now, onAnswer);
  }

  /** The standard fields (§4.1) describing a call, or nulls when no call is involved. */
  callFields(call: CallState | undefined): Fields {
    if (!call) return { callId: null, from: null, to: null, callStatus: null, direction: null, conferenceId: null, queueId: null };
    const direction = call.direction === 'outboundAPI' ? this.variant('outboundDirection') : call.direction;
    return {
      callId: call.callId,
      from: call.from,
      to: call.to,
      callStatus: call.status,
      direction,
      conferenceId: call.conferenceId,
      queueId: call.queueId ?? null,
    };
  }

  /** Fields the reference marks deprecated (§4.3): sent, or left out under deprecatedFields=omitted. */
  deprecated(fields: Fields): Fields {
    return this.variant('deprecatedFields') === 'sent' ? fields : {};
  }

  // ---------------------------------------------------------------- conferences

  createConference(
    input: { alias?: string; playBeep?: ConferenceState['playBeep']; record?: boolean; waitUrl?: string; statusCallbackUrl?: string; actionUrl?: string; conferenceId?: string },
    creator?: CallState,
  ): ConferenceState {
    const conf: ConferenceState = {
      ...stamp(this.now),
      conferenceId: input.conferenceId ?? this.newConferenceId(),
      alias: input.alias ?? null,
      playBeep: input.playBeep ?? 'always',
      record: input.record ?? false,
      waitUrl: input.waitUrl ?? null,
      actionUrl: input.actionUrl ?? null,
      statusCallbackUrl: input.statusCallbackUrl ?? null,
      status: 'empty',
      initialStatus: 'empty',
      participants: new Map(),
      creatorCallId: creator?.callId ?? null,
      emptiedCount: 0,
    };
    this.state.conferences.set(conf.conferenceId, conf);
    this.trace(`conference ${conf.conferenceId} created ${creator ? `by PerCL on ${creator.callId}` : 'through REST'}`);

    const creationCallback = () => {
      if (this.has('no-creation-callback')) return;
      if (this.has('creating-callback')) this.sendStatus(conf, 'creating', creator);
      const requestType = this.variant('creationCallback');
      // §4.3 [AMBIGUOUS]: what the call fields hold for a REST-created conference is not documented.
      const callFields = creator || this.variant('restCreationCallFields') === 'null' ? this.callFields(creator) : { queueId: null };
      this.webhook(conf.statusCallbackUrl, {
        requestType,
        ...callFields,
        conferenceId: conf.conferenceId,
        ...this.statusField('empty'),
        ...nullRecordingFields(),
      });
    };
    const actionCallback = () => {
      if (!creator || this.has('no-action-url')) return;
      this.webhook(
        conf.actionUrl,
        { requestType: 'createConference', ...this.callFields(creator), conferenceId: conf.conferenceId, ...nullRecordingFields() },
        (answer) => {
          if (!this.has('action-answer-ignored')) this.runner.runAnswer(creator, answer);
        },
      );
    };
    if (creator && this.variant('perclCreationOrder') === 'actionUrlFirst') {
      actionCallback();
      creationCallback();
    } else {
      creationCallback();
      actionCallback();
    }
    return conf;
  }

  private newConferenceId(): string {
    if (this.has('conference-id-reused')) {
      const terminated = [...this.state.conferences.values()].find((c) => c.status === 'terminated');
      if (terminated) return terminated.conferenceId;
    }
    return newId('CF');
  }

  private statusField(status: ConferenceStatus | 'creating'): Fields {
    return this.has('webhook-missing-status') ? {} : { status };
  }

  private setStatus(conf: ConferenceState, status: ConferenceStatus, cause: CallState | undefined, extra: Fields = {}): void {
    conf.status = status;
    touch(conf, this.now);
    this.trace(`conference ${conf.conferenceId} → ${status}`);
    this.sendStatus(conf, status, cause, extra);
  }

  private sendStatus(conf: ConferenceState, status: ConferenceStatus | 'creating', cause: CallState | undefined, extra: Fields = {}): void {
    if (this.has('no-terminated-callback') && status === 'terminated') return;
    // The first cycle ends with the emptying that made emptiedCount 1; everything later is the next cycle.
    if (this.has('second-cycle-not-reported') && status !== 'terminated' && conf.emptiedCount > (status === 'empty' ? 1 : 0)) return;
    this.webhook(conf.statusCallbackUrl, {
      requestType: 'conferenceStatus',
      ...this.callFields(cause ?? this.state.calls.get(conf.creatorCallId ?? '')),
      conferenceId: conf.conferenceId,
      ...this.statusField(status),
      ...extra,
    });
  }

  activeParticipants(conf: ConferenceState): ParticipantState[] {
    return [...conf.participants.values()].filter((p) => this.state.calls.get(p.callId)?.conferenceId === conf.conferenceId);
  }

  /** AddToConference for `call`. Returns false when the command fails (the caller ends the call). */
  join(call: CallState, attrs: AddToConferenceAttrs): boolean {
    let conf = this.state.conferences.get(attrs.conferenceId);
    if (!conf && this.has('join-unknown-creates')) conf = this.createConference({ conferenceId: attrs.conferenceId });
    if (!conf) {
      this.trace(`AddToConference on ${call.callId}: no conference ${attrs.conferenceId}`);
      return false;
    }
    if (conf.status === 'terminated' && !this.has('terminated-accepts-participants')) {
      this.trace(`AddToConference on ${call.callId}: conference ${conf.conferenceId} is terminated`);
      return false;
    }
    if (this.has('empty-is-final') && conf.emptiedCount > 0) {
      this.trace(`AddToConference on ${call.callId}: refused (fault empty-is-final)`);
      return false;
    }
    if (call.conferenceId && call.conferenceId !== conf.conferenceId) {
      if (this.variant('addWhileInConference') === 'refused') {
        this.trace(`AddToConference on ${call.callId}: the call is still in ${call.conferenceId}`);
        return false;
      }
      this.leave(call, 'moved');
    }

    const startConf = attrs.startConfOnEnter ?? !this.has('start-conf-default-false'); // documented default true (§5.2)
    conf.participants.set(call.callId, {
      ...stamp(this.now),
      callId: call.callId,
      conferenceId: conf.conferenceId,
      talk: attrs.talk ?? true,
      listen: attrs.listen ?? true,
      dtmfPassThrough: attrs.dtmfPassThrough ?? true,
      startConfOnEnter: startConf && !this.has('start-flag-not-recorded'),
      attrs,
      dtmf: '',
    });
    call.conferenceId = conf.conferenceId;
    call.lastConferenceId = conf.conferenceId;
    touch(call, this.now);
    this.trace(`call ${call.callId} joined ${conf.conferenceId}${startConf ? ' (startConfOnEnter)' : ''}`);

    const transitions: ConferenceStatus[] = [];
    const starts = startConf && (conf.status !== 'inProgress' || this.has('second-moderator-restarts')) && !this.has('start-moderator-ignored');
    if ((conf.status === 'empty' || conf.status === 'terminated') && !this.has('no-populated-status')) {
      if (!(starts && this.variant('startModeratorFirstJoin') === 'inProgressOnly')) transitions.push('populated');
    }
    if (starts) transitions.push('inProgress');
    if (this.has('inprogress-before-populated')) transitions.reverse();

    const notify = () => {
      if (this.has('no-join-notification')) return;
      if (this.has('join-notification-first-only') && this.notifiedConferences.has(conf.conferenceId)) return;
      this.notifiedConferences.add(conf.conferenceId);
      // SPEC lists status and the recording fields too (§4.3); the status is the one this join leads to,
      // whichever of the notification and the status callback goes first.
      this.webhook(attrs.notificationUrl, {
        requestType: 'addToConferenceNotification',
        ...this.callFields(call),
        conferenceId: conf.conferenceId,
        status: transitions.at(-1) ?? conf.status,
        ...nullRecordingFields(),
      });
    };
    if (this.variant('joinNotificationOrder') === 'notificationFirst') notify();
    for (const status of transitions) {
      this.setStatus(conf, status, call);
      if (status === 'inProgress') this.startRecording(conf);
    }
    if (this.has('recording-without-inprogress') && transitions.includes('populated')) this.startRecording(conf);
    if (this.variant('joinNotificationOrder') === 'statusFirst') notify();
    return true;
  }

  private startRecording(conf: ConferenceState): void {
    const wanted = conf.record || this.has('recording-when-not-requested');
    if (!wanted || conf.recordingSince !== undefined) return;
    conf.recordingSince = this.has('recording-duration-from-creation') ? conf.created : this.now;
    this.trace(`recording of ${conf.conferenceId} started`);
  }

  /** Stops a running recording and returns it; recordings are never reported under `no-recording-report`. */
  private stopRecording(conf: ConferenceState, opts: { discard?: boolean } = {}): RecordingState | undefined {
    if (conf.recordingSince === undefined) return undefined;
    if (opts.discard) {
      conf.recordingSince = undefined;
      return undefined;
    }
    const round = this.has('recording-duration-rounded-down') ? Math.floor : Math.ceil;
    const durationSec = round((this.now - conf.recordingSince) / 1000); // rounded up (§4.3)
    conf.recordingSince = undefined;
    if (this.has('no-recording-report')) return undefined;
    const recording: RecordingState = { ...stamp(this.now), recordingId: newId('RE'), conferenceId: conf.conferenceId, callId: null, durationSec };
    this.state.recordings.set(recording.recordingId, recording);
    this.trace(`recording ${recording.recordingId} of ${conf.conferenceId}: ${durationSec}s`);
    return recording;
  }

  recordingUrl(recording: RecordingState): string {
    return `${this.opts.apiBaseUrl}/Accounts/${this.state.accountId}/Recordings/${recording.recordingId}/Download`;
  }

  private recordingFields(recording: RecordingState): Fields {
    return { recordingUrl: this.recordingUrl(recording), recordingId: recording.recordingId, recordingDurationSec: recording.durationSec };
  }

  /** Fields to put on the `empty` callback, depending on how the recording is reported (§6.10). */
  private emptyExtras(recording: RecordingState | undefined): Fields {
    if (!recording || this.variant('recordingReport') === 'separateWebhook') return {};
    return this.recordingFields(recording);
  }

  private sendRecordingStatus(conf: ConferenceState, recording: RecordingState | undefined): void {
    if (!recording || this.variant('recordingReport') === 'fieldsOnEmpty') return;
    this.webhook(conf.statusCallbackUrl, {
      requestType: this.variant('recordingRequestType'),
      ...this.callFields(undefined),
      conferenceId: conf.conferenceId,
      ...this.statusField('empty'),
      ...this.recordingFields(recording),
    });
  }

  /**
   * Unbridges `call` from its conference. `how` decides what follows: a removed call continues with
   * the PerCL from leaveConferenceUrl (or is disconnected without one, §6.17); a hung-up call's
   * leaveConference answer is ignored (§6.18); terminate handles the conference's status itself.
   */
  leave(call: CallState, how: 'removed' | 'hangup' | 'terminated' | 'moved'): void {
    const conf = call.conferenceId ? this.state.conferences.get(call.conferenceId) : undefined;
    if (!conf) return;
    const participant = conf.participants.get(call.callId);
    if (!this.has('participant-list-stale')) conf.participants.delete(call.callId);
    call.conferenceId = null;
    touch(call, this.now);
    this.trace(`call ${call.callId} left ${conf.conferenceId} (${how})`);

    const leaveUrl = participant?.attrs.leaveConferenceUrl;
    const sendLeave = leaveUrl && !this.has('no-leave-webhook') && (how !== 'terminated' || this.variant('leaveOnTerminate') === 'leaveWebhook');
    if (sendLeave) {
      this.webhook(leaveUrl, { requestType: 'leaveConference', ...this.callFields(call), conferenceId: conf.conferenceId }, (answer) => {
        if (how === 'removed' && this.has('remove-hangs-up')) this.endCall(call, 'completed', 'removedFromConference');
        else if (how === 'removed' && !this.has('leave-answer-ignored')) this.runner.runAnswer(call, answer);
        else if (how === 'hangup' && this.has('hangup-leave-answer-run')) this.runner.runAnswer(call, answer, { evenIfEnded: true });
      });
    } else if (how === 'removed' && !this.has('removed-call-stays-up')) {
      this.endCall(call, 'completed', 'removedFromConference');
    }
    if (how !== 'terminated') this.afterLeave(conf, call);
  }

  private afterLeave(conf: ConferenceState, cause: CallState): void {
    if (this.activeParticipants(conf).length > 0 && !this.has('empty-on-any-leave')) return;
    if (conf.status !== 'populated' && conf.status !== 'inProgress') return;
    if (this.has('stays-populated-after-last-leave')) return;
    if (this.has('populated-does-not-empty') && conf.status === 'populated') return;
    const recording = this.has('recording-continues-after-empty') ? undefined : this.stopRecording(conf);
    conf.emptiedCount += 1;
    if (this.has('recording-before-empty')) this.sendRecordingStatus(conf, recording);
    this.setStatus(conf, 'empty', cause, this.emptyExtras(recording));
    if (!this.has('recording-before-empty')) this.sendRecordingStatus(conf, recording);
  }

  /** Terminate through REST or PerCL (§6.12–§6.16). */
  terminate(conf: ConferenceState): void {
    if (conf.status === 'terminated') throw new SimulatorError(409, `conference ${conf.conferenceId} is already terminated`);
    if (this.has('terminate-empty-rejected') && conf.status === 'empty') {
      throw new SimulatorError(409, `conference ${conf.conferenceId} is empty and cannot be terminated (fault)`);
    }
    this.trace(`terminating ${conf.conferenceId} from ${conf.status}`);
    const wasActive = conf.status === 'populated' || conf.status === 'inProgress';
    const participants = this.activeParticipants(conf).slice(0, this.has('terminate-ends-first-only') ? 1 : undefined);
    const recording = this.stopRecording(conf, { discard: this.has('no-recording-report-on-terminate') });

    const endParticipants = () => {
      if (this.has('terminate-keeps-participants')) return;
      for (const p of participants) {
        const call = this.state.calls.get(p.callId);
        if (!call) continue;
        this.leave(call, 'terminated');
        this.endCall(call, 'completed', 'conferenceTerminated', { silent: this.has('terminate-no-call-status') });
      }
    };
    const conferenceCallbacks = () => {
      const statuses: ConferenceStatus[] =
        (wasActive && !this.has('terminate-skips-empty')) || (!wasActive && this.variant('terminateEmpty') === 'emptyThenTerminated') ? ['empty', 'terminated'] : ['terminated'];
      if (this.has('terminated-before-empty')) statuses.reverse();
      for (const status of statuses) {
        if (status === 'empty') {
          this.setStatus(conf, 'empty', undefined, this.emptyExtras(recording));
          if (this.variant('recordingTiming') === 'beforeTerminated') this.sendRecordingStatus(conf, recording);
        } else {
          this.setStatus(conf, 'terminated', undefined);
        }
      }
      if (!statuses.includes('empty') && this.variant('recordingTiming') === 'beforeTerminated') this.sendRecordingStatus(conf, recording);
      if (this.variant('recordingTiming') === 'afterTerminated') this.sendRecordingStatus(conf, recording);
      if (this.has('status-after-terminated')) this.sendStatus(conf, 'empty', undefined);
      conf.status = 'terminated';
    };
    if (this.variant('terminateCallOrder') === 'participantsFirst') {
      endParticipants();
      conferenceCallbacks();
    } else {
      conferenceCallbacks();
      endParticipants();
    }
  }

  // ---------------------------------------------------------------- calls

  newCall(input: NewCall): CallState {
    const call: CallState = {
      ...stamp(this.now),
      ...input,
      callId: newId('CA'),
      status: 'queued',
      startTime: null,
      connectTime: null,
      endTime: null,
      endedReason: null,
      conferenceId: null,
      lastConferenceId: null,
      scriptToken: 0,
      redirects: 0,
      dtmfBuffer: '',
    };
    this.state.calls.set(call.callId, call);
    return call;
  }

  /** REST make-a-call (§2.2). The far end is another number of this account or a simulated phone. */
  makeCall(req: MakeCallRequest): CallState {
    const app = req.applicationId ? this.state.applications.get(req.applicationId) : undefined;
    if (req.applicationId && !app) throw new SimulatorError(400, `applicationId ${req.applicationId} does not exist`, { pointer: '/applicationId' });
    const parent = req.parentCallId ? this.state.calls.get(req.parentCallId) : undefined;
    if (req.parentCallId && (!parent || parent.endTime !== null)) {
      throw new SimulatorError(400, `parentCallId ${req.parentCallId} is not an active call`, { pointer: '/parentCallId' });
    }
    const callConnectUrl = req.callConnectUrl ?? app?.callConnectUrl ?? parent?.callConnectUrl ?? null;
    if (!callConnectUrl) throw new SimulatorError(400, 'no callConnectUrl: give one, or an applicationId whose application has one', { pointer: '/callConnectUrl' });
    const call = this.newCall({
      parentCallId: parent?.callId ?? null,
      from: req.from,
      to: req.to,
      direction: 'outboundAPI',
      applicationId: app?.applicationId ?? null,
      phoneNumberId: this.numberByPhone(req.from)?.phoneNumberId ?? null,
      callConnectUrl,
      statusCallbackUrl: app?.statusCallbackUrl ?? parent?.statusCallbackUrl ?? req.statusCallbackUrl ?? null,
      peer: { kind: 'phone' },
      sendDigits: req.sendDigits ?? null,
      dialing: { timeoutSec: req.timeout ?? MAKE_CALL_TIMEOUT_DEFAULT_SEC, ifMachine: req.ifMachine, ifMachineUrl: req.ifMachineUrl },
    });
    this.trace(`call ${call.callId} ${req.from} → ${req.to} queued`);
    this.opts.dispatcher.task(() => this.ring(call));
    return call;
  }

  /** Places a child call created by OutDial. */
  dialChild(call: CallState): void {
    this.opts.dispatcher.task(() => this.ring(call));
  }

  numberByPhone(phone: string) {
    return [...this.state.numbers.values()].find((n) => n.phoneNumber === phone);
  }

  private ring(call: CallState): void {
    if (call.endTime !== null) return;
    call.status = 'ringing';
    call.startTime = this.now;
    touch(call, this.now);
    const number = this.numberByPhone(call.to);
    const app = number?.applicationId ? this.state.applications.get(number.applicationId) : undefined;
    if (!number) {
      if (this.phones.ring(call)) return;
      // Nobody named at this number: a simulated phone answers at once and stays on the line until someone hangs up.
      this.opts.dispatcher.task(() => this.connect(call));
      return;
    }
    // A number of this account: FreeClimb places an inbound call to the application's voiceUrl.
    if (!app?.voiceUrl) {
      this.notConnected(call, 'failed', app ? 'configErrorNoVoiceUrl' : 'configErrorNoApplication');
      return;
    }
    const leg = this.newCall({
      parentCallId: null,
      from: call.from,
      to: call.to,
      direction: 'inbound',
      applicationId: app.applicationId,
      phoneNumberId: number.phoneNumberId,
      callConnectUrl: null,
      statusCallbackUrl: app.statusCallbackUrl,
      peer: { kind: 'leg', callId: call.callId },
      sendDigits: null,
    });
    leg.status = 'ringing';
    leg.startTime = this.now;
    call.peer = { kind: 'leg', callId: leg.callId };
    this.trace(`inbound leg ${leg.callId} for ${call.callId}`);
    this.webhook(app.voiceUrl, { requestType: 'inboundCall', ...this.callFields(leg), parentCallId: null }, (answer) =>
      this.runner.runAnswer(leg, answer),
    );
  }

  /** An inbound leg is answered by its first PerCL command; the outbound leg connects then. */
  answerInbound(leg: CallState): void {
    if (leg.status !== 'ringing') return;
    leg.status = 'inProgress';
    leg.connectTime = this.now;
    touch(leg, this.now);
    const other = leg.peer.kind === 'leg' ? this.state.calls.get(leg.peer.callId) : undefined;
    if (other && other.status === 'ringing') this.opts.dispatcher.task(() => this.connect(other));
  }

  /** The far end picked up: the outbound call is in progress from now on. */
  markAnswered(call: CallState): void {
    call.status = 'inProgress';
    call.connectTime = this.now;
    touch(call, this.now);
    this.trace(`call ${call.callId} connected${call.answeredBy ? ` (answered by ${call.answeredBy})` : ''}`);
  }

  /** The outbound call connected: the connect webhook's PerCL runs on it (§4.2). */
  connect(call: CallState): void {
    if (call.endTime !== null) return;
    this.markAnswered(call);
    this.webhook(call.callConnectUrl, this.connectFields(call), (answer) => this.runner.runAnswer(call, answer));
    this.afterAnswer(call);
  }

  /**
   * The outbound call never connected: the connect webhook reports why, its answer is ignored
   * (§4.2: PerCL only if inProgress), and then the leg ends with its callStatus.
   */
  notConnected(call: CallState, status: 'noAnswer' | 'busy' | 'failed', reason: CallEndedReason): void {
    if (call.endTime !== null) return;
    call.status = status;
    touch(call, this.now);
    this.webhook(call.callConnectUrl, this.connectFields(call));
    this.endCall(call, status, reason);
  }

  /** ifMachine=redirect and a machine answered: ifMachineUrl's answer is the call's PerCL (§4.2). */
  machineDetected(call: CallState, ifMachineUrl: string): void {
    this.webhook(
      ifMachineUrl,
      { requestType: 'machineDetected', ...this.callFields(call), parentCallId: call.parentCallId, machineType: this.variant('machineType') },
      (answer) => this.runner.runAnswer(call, answer),
    );
    this.afterAnswer(call);
  }

  private connectFields(call: CallState): Fields {
    const requestType = call.direction === 'outboundDial' ? 'outDialConnect' : 'outDialApiConnect';
    return { requestType, ...this.callFields(call), parentCallId: call.parentCallId, ...this.deprecated({ dialCallStatus: call.status }) };
  }

  private afterAnswer(call: CallState): void {
    if (call.sendDigits) {
      const digits = call.sendDigits.replace(/\{\d+\}/g, '');
      this.opts.dispatcher.task(() => this.sendDtmfToPeer(call, digits));
    }
  }

  /** DTMF produced by `from` (SendDigits or sendDigits) reaches whatever is on its other end. */
  sendDtmfToPeer(from: CallState, digits: string): void {
    if (from.peer.kind !== 'leg') return;
    const other = this.state.calls.get(from.peer.callId);
    if (other && other.endTime === null) this.runner.receiveDtmf(other, digits);
  }

  /** Ends a call and reports it to the call's statusCallbackUrl (§4.3 callStatus). */
  endCall(call: CallState, status: Extract<CallStatus, 'completed' | 'canceled' | 'failed' | 'busy' | 'noAnswer'>, reason: CallEndedReason, opts: { silent?: boolean } = {}): void {
    if (call.endTime !== null) return;
    if (call.conferenceId) this.leave(call, 'hangup');
    if (call.queueId) this.queues.hungUp(call);
    this.callRecording.hungUp(call);
    this.speech.hungUp(call);
    this.transcription.hungUp(call);
    call.status = status;
    call.endTime = this.now;
    call.endedReason = reason;
    call.scriptToken += 1;
    if (call.getDigits?.timer) this.opts.clock.cancel(call.getDigits.timer);
    if (call.pauseTimer) this.opts.clock.cancel(call.pauseTimer);
    if (call.ringTimer) this.opts.clock.cancel(call.ringTimer);
    call.getDigits = undefined;
    touch(call, this.now);
    this.trace(`call ${call.callId} ended: ${status} (${reason})`);
    // A StartRecordCall recording ends with the call and is reported on its callStatus (DOC:startrecordcall).
    const recordingFields = this.callRecording.callEnded(call);
    if (!opts.silent) {
      this.webhook(call.statusCallbackUrl, {
        requestType: 'callStatus',
        ...this.callFields(call),
        conferenceId: this.variant('callStatusConferenceId') === 'conference' ? call.lastConferenceId : null,
        callEndedReason: reason,
        callDuration: call.connectTime === null ? 0 : Math.ceil((this.now - call.connectTime) / 1000),
        // Filled only for a whole-call recording (StartRecordCall); nulls otherwise.
        ...recordingFields,
      });
    }
    if (call.peer.kind === 'leg') {
      const other = this.state.calls.get(call.peer.callId);
      if (other && other.endTime === null) this.opts.dispatcher.task(() => this.endCall(other, 'completed', 'farEndHangup'));
    }
  }

  /**
   * The person on the far end of `call` speaks for `ms` of virtual time: heard by a RecordUtterance
   * in progress (as sound), by a GetSpeech and a TranscribeUtterance (as `text`). Silence is simply not calling this.
   */
  callerSpeaks(call: CallState, text: string, ms: number): void {
    if (call.endTime !== null) return;
    this.trace(`the far end of ${call.callId} says "${text}" (${ms} ms)`);
    this.callRecording.speak(call, ms);
    this.speech.hear(call, text, ms);
    this.transcription.hear(call, text, ms);
  }

  /** Stops the script running on `call` (a Pause or GetDigits in progress included); the call stays up. */
  stopScript(call: CallState): void {
    call.scriptToken += 1;
    if (call.pauseTimer) this.opts.clock.cancel(call.pauseTimer);
    if (call.getDigits?.timer) this.opts.clock.cancel(call.getDigits.timer);
    call.pauseTimer = undefined;
    call.getDigits = undefined;
    // [AMBIGUOUS] what becomes of a GetSpeech or RecordUtterance cut short this way is not
    // documented; the call has moved on, so they end without a webhook.
    this.speech.cancel(call);
    this.callRecording.cancel(call);
    this.transcription.cancel(call);
  }

  /** REST POST /Calls/{id} (§2.2, §6.22). */
  updateCall(call: CallState, status: 'canceled' | 'completed'): void {
    if (call.endTime !== null) throw new SimulatorError(404, `call ${call.callId} has ended`);
    if (status === 'canceled') {
      if (call.status === 'queued' || call.status === 'ringing') this.endCall(call, 'canceled', 'callCanceled');
      else if (this.has('cancel-ends-in-progress')) this.endCall(call, 'canceled', 'callCanceled');
      return; // canceled does not affect calls already in progress
    }
    if (this.has('rest-hangup-ignored')) return;
    this.endCall(call, 'completed', 'appHangup', { silent: this.has('rest-hangup-no-call-status') });
  }
}

function nullRecordingFields(): Fields {
  return { recordingUrl: null, recordingId: null, recordingDurationSec: null };
}

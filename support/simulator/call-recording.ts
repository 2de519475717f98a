// Recordings made on a call: RecordUtterance (what the caller says, reported to its actionUrl as a
// `record` webhook) and StartRecordCall (the whole call, reported on its callStatus). Both become
// Recording resources readable through /Recordings. Sources: DOC:recordutterance, SPEC
// RecordUtterance/RecordWebhook/RecordUtteranceTermReason, DOC:startrecordcall, DOC:callstatus,
// DOC:recordings-1. What the caller does (speaks, stays silent, presses a key, hangs up) comes from
// the person on the line: `speak` here, DTMF through the runner, hang-ups through the engine.
import type { Attributes } from '../schemas/percl';
import type { EngineApi } from './engine-api';
import { newId } from './ids';
import { stamp, type CallState, type RecordingState } from './state';

// [AMBIGUOUS] No stored source gives RecordUtterance's defaults; these are the usual voicemail ones.
export const RECORD_SILENCE_TIMEOUT_DEFAULT_MS = 3000;
export const RECORD_MAX_LENGTH_DEFAULT_SEC = 60;
/** 8 kHz 8-bit WAV (the format the PlayEarlyMedia page names): bytes per second, and the header. */
const WAV_BYTES_PER_SEC = 8000;
const WAV_HEADER_BYTES = 44;

export type TermReason = 'finishKey' | 'timeout' | 'hangup' | 'maxLength';

export interface UtteranceInProgress {
  attrs: Attributes<'RecordUtterance'>;
  /** When the recording started; unset until sound starts under autoStart. */
  startedAt?: number;
  /** When the last sound ends: a trimmed recording (variant recordTrailingSilence) stops there. */
  soundEndsAt?: number;
  silenceTimer?: number;
  maxTimer?: number;
}

type Fields = Record<string, unknown>;

export class CallRecording {
  private readonly utterances = new Map<string, UtteranceInProgress>();
  /** Virtual time each call's StartRecordCall recording began. */
  private readonly wholeCall = new Map<string, number>();

  constructor(private readonly engine: EngineApi) {}

  recording(call: CallState): boolean {
    return this.utterances.has(call.callId);
  }

  /** RecordUtterance on `call`. */
  recordUtterance(call: CallState, attrs: Attributes<'RecordUtterance'>): void {
    const e = this.engine;
    const pending: UtteranceInProgress = { attrs };
    this.utterances.set(call.callId, pending);
    const maxMs = (attrs.maxLengthSec ?? RECORD_MAX_LENGTH_DEFAULT_SEC) * 1000;
    if (!e.has('record-max-length-ignored')) pending.maxTimer = e.opts.clock.after(maxMs, () => this.finish(call, 'maxLength'));
    // SPEC autoStart: false (or absent) records from now on; true waits for sound, and records
    // nothing if none comes before maxLengthSec.
    if (!attrs.autoStart) {
      pending.startedAt = e.now;
      this.armSilence(call, pending, e.now);
    }
    e.trace(`RecordUtterance on ${call.callId}${attrs.autoStart ? ' (waits for sound)' : ''}`);
  }

  /** The person on `call` speaks for `ms` of virtual time, starting now. */
  speak(call: CallState, ms: number): void {
    const pending = this.utterances.get(call.callId);
    if (!pending) return;
    const e = this.engine;
    pending.startedAt ??= e.now;
    this.armSilence(call, pending, e.now + ms);
  }

  /** The silence timeout counts from the end of the last sound. */
  private armSilence(call: CallState, pending: UtteranceInProgress, soundEndsAt: number): void {
    const clock = this.engine.opts.clock;
    pending.soundEndsAt = soundEndsAt;
    if (pending.silenceTimer !== undefined) clock.cancel(pending.silenceTimer);
    if (this.engine.has('record-silence-ignored')) return;
    const silenceMs = pending.attrs.silenceTimeoutMs ?? RECORD_SILENCE_TIMEOUT_DEFAULT_MS;
    pending.silenceTimer = clock.at(soundEndsAt + silenceMs, () => this.finish(call, 'timeout'));
  }

  /** A key pressed during RecordUtterance: only finishOnKey matters. Returns whether it was consumed. */
  dtmf(call: CallState, digits: string): boolean {
    const pending = this.utterances.get(call.callId);
    if (!pending) return false;
    if (this.engine.has('finish-key-ignored')) return true;
    if (pending.attrs.finishOnKey !== undefined && digits.includes(pending.attrs.finishOnKey)) this.finish(call, 'finishKey');
    return true;
  }

  /** The call ended while recording: the webhook still goes out, its PerCL cannot run. */
  hungUp(call: CallState): void {
    if (!this.utterances.has(call.callId)) return;
    if (this.engine.has('record-hangup-unreported')) this.cancel(call);
    else this.finish(call, 'hangup');
  }

  /** The script was stopped (a queued call dequeued): the utterance is dropped, nothing reported. */
  cancel(call: CallState): void {
    const pending = this.utterances.get(call.callId);
    if (!pending) return;
    this.utterances.delete(call.callId);
    if (pending.silenceTimer !== undefined) this.engine.opts.clock.cancel(pending.silenceTimer);
    if (pending.maxTimer !== undefined) this.engine.opts.clock.cancel(pending.maxTimer);
  }

  private finish(call: CallState, termReason: TermReason): void {
    const e = this.engine;
    const pending = this.utterances.get(call.callId);
    if (!pending) return;
    this.utterances.delete(call.callId);
    if (pending.silenceTimer !== undefined) e.opts.clock.cancel(pending.silenceTimer);
    if (pending.maxTimer !== undefined) e.opts.clock.cancel(pending.maxTimer);
    // [AMBIGUOUS] whether FreeClimb trims the trailing silence is not documented (variant
    // recordTrailingSilence): kept, the recording runs until it ended; trimmed, until the last sound.
    const trimmed = termReason === 'timeout' && e.variant('recordTrailingSilence') === 'trimmed' && pending.soundEndsAt !== undefined;
    const endsAt = trimmed ? Math.min(e.now, pending.soundEndsAt!) : e.now;
    const recording = pending.startedAt === undefined ? undefined : this.store(call, Math.max(0, endsAt - pending.startedAt), 'utterance');
    if (e.has('no-record-webhook')) return;
    e.trace(`RecordUtterance on ${call.callId} ended: ${termReason}${recording ? `, ${recording.recordingId} ${recording.durationSec}s` : ', nothing recorded'}`);
    e.opts.dispatcher.webhook(
      pending.attrs.actionUrl,
      {
        accountId: e.state.accountId,
        requestType: 'record',
        ...e.callFields(call),
        ...this.fields(recording),
        recordingSize: recording ? String(WAV_HEADER_BYTES + recording.durationSec * WAV_BYTES_PER_SEC) : null,
        recordingFormat: 'audio/wav',
        termReason,
        parentCallId: call.parentCallId,
        privacyMode: pending.attrs.privacyMode ?? false,
      },
      e.now,
      // DOC:recordutterance: after a hang-up the PerCL returned is not executed.
      termReason === 'hangup' || e.has('record-answer-ignored') ? undefined : (answer) => e.runner.runAnswer(call, answer),
    );
  }

  /** StartRecordCall: non-blocking; a second one on the same call changes nothing. */
  startRecordCall(call: CallState): void {
    if (this.wholeCall.has(call.callId)) return;
    this.wholeCall.set(call.callId, this.engine.now);
    this.engine.trace(`recording of call ${call.callId} started`);
  }

  /** At the end of the call: the whole-call recording's fields for its callStatus, or nulls. */
  callEnded(call: CallState): Fields {
    const since = this.wholeCall.get(call.callId);
    if (since === undefined) return this.fields(undefined);
    this.wholeCall.delete(call.callId);
    const recording = this.store(call, this.engine.now - since, 'call');
    return this.engine.has('record-call-unreported') ? this.fields(undefined) : this.fields(recording);
  }

  private store(call: CallState, ms: number, kind: 'utterance' | 'call'): RecordingState {
    const e = this.engine;
    // Rounded up to the whole second (SPEC RecordWebhook.recordingDurationSec).
    const round = kind === 'utterance' && e.has('utterance-duration-rounded-down') ? Math.floor : Math.ceil;
    const recording: RecordingState = { ...stamp(e.now), recordingId: newId('RE'), conferenceId: null, callId: call.callId, durationSec: round(ms / 1000) };
    const unreadable = e.has(kind === 'utterance' ? 'utterance-not-readable' : 'call-recording-not-readable');
    if (!unreadable) e.state.recordings.set(recording.recordingId, recording);
    return recording;
  }

  private fields(recording: RecordingState | undefined): Fields {
    if (!recording) return { recordingUrl: null, recordingId: null, recordingDurationSec: null };
    return { recordingUrl: this.engine.recordingUrl(recording), recordingId: recording.recordingId, recordingDurationSec: recording.durationSec };
  }
}

// TranscribeUtterance: the caller's words are transcribed (and, with record.saveRecording, kept as a
// recording) and reported to actionUrl as a `transcribe` webhook. Sources: DOC:transcribeutterance,
// SPEC TranscribeUtterance/TranscribeUtteranceRecord/TranscribeWebhook/TranscribeReason.
//
// Readings where the docs are silent ([AMBIGUOUS]):
// - the transcript is the caller's words as said;
// - the silence that ends the utterance defaults to 2000 ms (rcrdTerminationSilenceTimeMs, 1–3000);
// - a caller who says nothing until maxLengthSec gets transcribeReason noInput and a null transcript;
// - a transcription that completed normally has no transcribeReason (null): the enum lists only
//   the other endings.
import type { Attributes } from '../schemas/percl';
import type { EngineApi } from './engine-api';
import { newId } from './ids';
import { stamp, type CallState, type RecordingState } from './state';

export const TRANSCRIBE_SILENCE_DEFAULT_MS = 2000;
export const TRANSCRIBE_MAX_LENGTH_DEFAULT_SEC = 60; // SPEC TranscribeUtteranceRecord.maxLengthSec default

type Ending = { transcribeReason: 'hangup' | 'maxLength' | 'digit' | 'noInput' | null; recordTermReason: 'finishKey' | 'timeout' | 'hangup' | 'maxLength'; digit?: string };

interface Transcribing {
  attrs: Attributes<'TranscribeUtterance'>;
  startedAt: number;
  words: string[];
  spokeAt?: number;
  silenceTimer?: number;
  maxTimer?: number;
}

export class Transcription {
  private readonly pending = new Map<string, Transcribing>();

  constructor(private readonly engine: EngineApi) {}

  start(call: CallState, attrs: Attributes<'TranscribeUtterance'>): void {
    const e = this.engine;
    const t: Transcribing = { attrs, startedAt: e.now, words: [] };
    this.pending.set(call.callId, t);
    const maxMs = (attrs.record?.maxLengthSec ?? TRANSCRIBE_MAX_LENGTH_DEFAULT_SEC) * 1000;
    t.maxTimer = e.opts.clock.after(maxMs, () =>
      this.finish(call, t.spokeAt === undefined ? { transcribeReason: 'noInput', recordTermReason: 'maxLength' } : { transcribeReason: 'maxLength', recordTermReason: 'maxLength' }),
    );
    e.trace(`TranscribeUtterance on ${call.callId}`);
  }

  hear(call: CallState, text: string, ms: number): void {
    const t = this.pending.get(call.callId);
    if (!t) return;
    const clock = this.engine.opts.clock;
    t.spokeAt ??= this.engine.now;
    t.words.push(text.trim());
    if (t.silenceTimer !== undefined) clock.cancel(t.silenceTimer);
    const silenceMs = t.attrs.record?.rcrdTerminationSilenceTimeMs ?? TRANSCRIBE_SILENCE_DEFAULT_MS;
    t.silenceTimer = clock.after(ms + silenceMs, () => this.finish(call, { transcribeReason: null, recordTermReason: 'timeout' }));
  }

  /** A key ends the utterance (transcribeReason digit). Returns whether it was consumed. */
  dtmf(call: CallState, digits: string): boolean {
    if (!this.pending.has(call.callId)) return false;
    this.finish(call, { transcribeReason: 'digit', recordTermReason: 'finishKey', digit: digits[0] });
    return true;
  }

  hungUp(call: CallState): void {
    if (this.pending.has(call.callId)) this.finish(call, { transcribeReason: 'hangup', recordTermReason: 'hangup' });
  }

  cancel(call: CallState): void {
    const t = this.pending.get(call.callId);
    if (!t) return;
    this.pending.delete(call.callId);
    this.clear(t);
  }

  private clear(t: Transcribing): void {
    const clock = this.engine.opts.clock;
    if (t.silenceTimer !== undefined) clock.cancel(t.silenceTimer);
    if (t.maxTimer !== undefined) clock.cancel(t.maxTimer);
  }

  private finish(call: CallState, ending: Ending): void {
    const e = this.engine;
    const t = this.pending.get(call.callId);
    if (!t) return;
    this.pending.delete(call.callId);
    this.clear(t);
    const durationMs = e.now - t.startedAt;
    let recording: RecordingState | undefined;
    if (t.attrs.record?.saveRecording) {
      recording = { ...stamp(e.now), recordingId: newId('RE'), conferenceId: null, callId: call.callId, durationSec: Math.ceil(durationMs / 1000) };
      e.state.recordings.set(recording.recordingId, recording);
    }
    const transcript = ending.transcribeReason === 'noInput' ? null : t.words.join(' ').toLowerCase();
    e.trace(`TranscribeUtterance on ${call.callId} ended: ${ending.transcribeReason ?? 'completed'}`);
    e.opts.dispatcher.webhook(
      t.attrs.actionUrl,
      {
        accountId: e.state.accountId,
        requestType: 'transcribe',
        callId: call.callId,
        from: call.from,
        to: call.to,
        conferenceId: null,
        recordingId: recording?.recordingId ?? null,
        recordingUrl: recording ? e.recordingUrl(recording) : null,
        recordingSize: recording ? 44 + recording.durationSec * 8000 : null,
        recordingFormat: recording ? 'audio/wav' : null,
        recordingDurationMs: recording ? durationMs : null,
        termReason: 'completed',
        recordTermReason: ending.recordTermReason,
        digit: ending.digit ?? null,
        privacyForLogging: t.attrs.privacyForLogging ?? false,
        privacyForRecording: t.attrs.privacyForRecording ?? false,
        bargeInReason: 'noBargeIn',
        transcript,
        transcribeReason: ending.transcribeReason,
        transcriptionDurationMs: t.spokeAt === undefined ? 0 : durationMs,
      },
      e.now,
      // SPEC TranscribeUtterance: after a hang-up the PerCL returned is not executed.
      ending.transcribeReason === 'hangup' ? undefined : (answer) => e.runner.runAnswer(call, answer),
    );
  }
}

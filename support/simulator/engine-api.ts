// What the engine's parts (phones, queues, call recording, messages, speech, transcription) use
// of the engine that builds them. The engine hands itself to each part; typed by this interface, a
// part need not import engine.ts, which imports the parts, so the two never import each other.
// The engine's options and its PerCL runner's shape live here for the same reason.
import type { CallEndedReason, CallStatus } from '../schemas/common';
import type { VirtualClock } from './clock';
import type { Dispatcher, WebhookAnswer } from './dispatcher';
import type { FaultName } from './faults';
import type { AccountState, CallState, NumberState, RecordingState } from './state';
import type { VariantAxis, VariantOption, Variants } from './variants';

export interface EngineOptions {
  accountId: string;
  variants: Variants;
  fault?: FaultName;
  clock: VirtualClock;
  dispatcher: Dispatcher;
  /** Base of recording URLs in webhooks, e.g. https://www.freeclimb.com/apiserver. */
  apiBaseUrl: string;
}

/** Runs PerCL for a call; provided by percl-runner.ts (kept separate to keep the engine about lifecycle). */
export interface ScriptRunner {
  /** `evenIfEnded` exists only for the `hangup-leave-answer-run` fault. */
  runAnswer(call: CallState, answer: WebhookAnswer, opts?: { evenIfEnded?: boolean }): void;
  receiveDtmf(call: CallState, digits: string): void;
}

export type CallFields = Record<string, unknown>;

/** The engine as its parts see it (engine.ts implements it). */
export interface EngineApi {
  readonly opts: EngineOptions;
  readonly state: AccountState;
  readonly runner: ScriptRunner;
  readonly now: number;
  has(fault: FaultName): boolean;
  variant<A extends VariantAxis>(axis: A): VariantOption<A>;
  trace(message: string): void;
  /** The standard fields (§4.1) describing a call, or nulls when no call is involved. */
  callFields(call: CallState | undefined): CallFields;
  recordingUrl(recording: RecordingState): string;
  numberByPhone(phone: string): NumberState | undefined;
  markAnswered(call: CallState): void;
  connect(call: CallState): void;
  notConnected(call: CallState, status: 'noAnswer' | 'busy' | 'failed', reason: CallEndedReason): void;
  machineDetected(call: CallState, ifMachineUrl: string): void;
  endCall(call: CallState, status: Extract<CallStatus, 'completed' | 'canceled' | 'failed' | 'busy' | 'noAnswer'>, reason: CallEndedReason, opts?: { silent?: boolean }): void;
  stopScript(call: CallState): void;
}

// What a scenario needs from "FreeClimb" beyond its REST API. The steps never ask which mode they
// run in; the difference between a simulator and a real account lives behind this interface.
import type { CallbackReceiver, Inbox } from '../callbacks/receiver';

export interface ScenarioBackend {
  readonly mode: 'mock' | 'live';
  /**
   * Place `name`'s call through REST; when it connects FreeClimb asks `callConnectUrl` for PerCL.
   * The backend decides whom to call so that the far end can press keys on request.
   */
  dial(name: string, callConnectUrl: string): Promise<string>;
  /**
   * Run `create`, a conference creation through REST. A live run makes sure Ctrl-C cannot lose the
   * conference it creates (refused once cleanup began, awaited by it); elsewhere it just runs.
   */
  creatingConference<T>(create: () => Promise<T>, idOf: (result: T) => string | undefined): Promise<T>;
  /** Record a conference this scenario created, so it is cleaned up even if the scenario fails. */
  conferenceCreated(conferenceId: string): void;
  /** The far end of `callId` presses `digits` (DTMF reaches the participant's call). */
  pressDigits(callId: string, digits: string): Promise<void>;
  /** The far end of `callId` speaks `text` for `ms` (mock only: a loopback far end cannot speak words). */
  speak?(callId: string, text: string, ms: number): Promise<void>;
  /** Let `ms` of conference time pass. Only virtual time can do this without waiting. */
  elapse(ms: number): Promise<void>;
  /** Resolves when the platform has nothing more to say for now (see each backend for how). */
  settle(): Promise<void>;
  /** Virtual time in ms (mock mode only: a live platform's clock is not ours to read). */
  virtualNow?(): number;
  /** Extra evidence for the report (simulator trace, deliveries). */
  evidence(): Record<string, unknown>;
  dispose(): Promise<void>;
}

export interface BackendContext {
  inbox: Inbox;
  /** A per-scenario alias prefix, so leftovers can be found and swept. */
  aliasPrefix: string;
  /** The run's receiver (mock mode's in-process transport hands webhooks to it directly). */
  receiver?: CallbackReceiver;
}

// What the app-gating steps (steps/app/*.ts) need from a scenario: the mock gate's GatedScenario
// (the simulator) and the live gate's LiveAppScenario (a real account) both provide it, so the
// same features run in both.
import type { PhoneAnswer } from '../simulator/phones';
import type { TriggerRequest } from './web-trigger';

export interface AppScenario {
  readonly run: { readonly variant: string; readonly appCfg: { readonly joinDigits?: string; readonly requireSignatures: boolean } };
  callApp(name: string, from?: string): Promise<void>;
  press(name: string, digits: string): Promise<void>;
  pressInConference(name: string, digits: string): Promise<void>;
  hangUp(name: string): Promise<void>;
  hears(name: string, text: string): Promise<void>;
  callEnds(name: string): Promise<void>;
  collectingDigits(name: string): Promise<unknown>;
  inConference(name: string): Promise<string>;
  notInConference(name: string): Promise<void>;
  conferenceOf(name: string): string;
  terminateConferenceOf(name: string): Promise<void>;
  /** `expected`: a live gate waits (bounded) for the status, since the app may still be on its way to it. */
  conferenceStatusOf(name: string, expected?: string): Promise<string>;
  probeSignatures(): Promise<string[]>;
  isAt(name: string, number: string): void;
  willAnswer(name: string, answer: PhoneAnswer): void;
  appCalls(name: string): Promise<void>;
  appDoesNotCall(name: string, seconds: number): Promise<void>;
  receive(path: string, contentType: TriggerRequest['contentType'], body: string): Promise<void>;
}

// The ScenarioBackend of an app-gate scenario, so the shared steps that only need time and
// settling ("When 30 seconds pass") work unchanged. Placing calls through REST is the platform
// suite's business; in app gating the callers call the app.
import type { ScenarioBackend } from '../backend/backend';
import type { GatedRun } from './gated-run';

export class GatedBackend implements ScenarioBackend {
  readonly mode = 'mock' as const;

  constructor(private readonly run: GatedRun) {}

  async dial(): Promise<string> {
    throw new Error('this platform step places calls through REST; in app gating callers call the app: When "alice" calls the app');
  }

  creatingConference<T>(create: () => Promise<T>): Promise<T> {
    return create();
  }

  conferenceCreated(): void {}

  async pressDigits(callId: string, digits: string): Promise<void> {
    this.run.sim.press(callId, digits);
    await this.run.settle();
  }

  /** Virtual time passes timer by timer, the app answering what each causes. */
  async elapse(ms: number): Promise<void> {
    await this.run.advance(ms);
    const broken = this.run.broken();
    if (broken) throw new Error(broken);
  }

  settle(): Promise<void> {
    return this.run.settle();
  }

  evidence(): Record<string, unknown> {
    return { variant: this.run.variant, trace: this.run.sim.events };
  }

  async dispose(): Promise<void> {}
}

// Live mode: a real FreeClimb account (or anything that speaks its API, such as the simulator's
// HTTP server). Calls are loopback calls through LiveRun; time cannot be advanced; "settled" means
// no callback has arrived for a quiet period; everything a scenario created is cleaned up after it.
import type { Inbox } from '../callbacks/receiver';
import { WaitTimeoutError } from '../callbacks/wait';
import type { FreeClimbClient } from '../client/freeclimb-client';
import { hangUpIfLive, terminateIfLive, type LiveRun } from '../live/run';
import type { BackendContext, ScenarioBackend } from './backend';

export class LiveBackend implements ScenarioBackend {
  readonly mode = 'live' as const;
  private readonly conferences: string[] = [];
  private readonly calls: string[] = [];
  private readonly cleanupLog: string[] = [];

  constructor(
    private readonly run: LiveRun,
    private readonly client: FreeClimbClient,
    private readonly inbox: Inbox,
    private readonly settleMs: number,
  ) {}

  static start(run: LiveRun, client: FreeClimbClient, ctx: BackendContext, settleMs: number): LiveBackend {
    return new LiveBackend(run, client, ctx.inbox, settleMs);
  }

  async dial(name: string, callConnectUrl: string): Promise<string> {
    const callId = await this.run.placeCall(this.inbox, name, callConnectUrl);
    this.calls.push(callId);
    return callId;
  }

  creatingConference<T>(create: () => Promise<T>, idOf: (result: T) => string | undefined): Promise<T> {
    return this.run.creatingConference(create, idOf);
  }

  conferenceCreated(conferenceId: string): void {
    this.conferences.push(conferenceId);
    this.run.conferenceCreated(conferenceId);
  }

  pressDigits(callId: string, digits: string): Promise<void> {
    return this.run.pressDigits(callId, digits);
  }

  async elapse(): Promise<void> {
    throw new Error('live mode cannot make conference time pass without waiting for it; tag this scenario @mock-only');
  }

  /** Resolves once no callback has arrived for settleMs (bounded by the callback timeout). */
  async settle(): Promise<void> {
    for (;;) {
      const seen = this.inbox.records.length;
      try {
        await this.inbox.waitFor(() => true, { description: `quiet for ${this.settleMs} ms`, fromIndex: seen, timeoutMs: this.settleMs });
      } catch (e) {
        if (e instanceof WaitTimeoutError) return;
        throw e;
      }
    }
  }

  evidence(): Record<string, unknown> {
    return { conferences: this.conferences, calls: this.calls, cleanup: this.cleanupLog };
  }

  /** Terminate what this scenario created and hang up its calls, whether it passed or not. */
  async dispose(): Promise<void> {
    for (const id of this.conferences) {
      this.cleanupLog.push(await terminateIfLive(this.client, id));
      this.run.forget('conferences', id);
    }
    for (const id of this.calls) {
      this.cleanupLog.push(await hangUpIfLive(this.client, id));
      this.run.forget('calls', id);
    }
    this.run.release(this.inbox);
  }
}

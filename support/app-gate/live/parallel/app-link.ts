// A worker's side of a parallel live app gate: how it tells the front (app-front.ts) where its face
// listens, asks for the dial lock and the people numbers of its scenario, and says which calls it
// placed. Present only when `fch app test --live --parallel N` started the worker.
import { FrontRefusal } from '../../../live/parallel/link';
import { APP_FRONT_ENV, APP_WORKER_ENV } from './app-front';

export class AppFrontLink {
  constructor(
    private readonly controlUrl: string,
    readonly worker: string,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): AppFrontLink | undefined {
    const url = env[APP_FRONT_ENV];
    return url ? new AppFrontLink(url, env[APP_WORKER_ENV] ?? '0') : undefined;
  }

  async register(localUrl: string): Promise<void> {
    await this.post('worker', { url: localUrl });
  }

  /** Waits until this worker may place one caller (one of the shared budget); throws FrontRefusal when it may not. */
  async dial(): Promise<number> {
    return ((await this.post('dial', {})) as { grant: number }).grant;
  }

  /** The call a worker placed: routed to it from now on, and ended by the run's cleanup if need be. */
  async placed(callId: string): Promise<void> {
    await this.post('placed', { callId });
  }

  /** The caller placed with `grant` reached the app, or never will: the next worker may dial. */
  async releaseDial(grant: number): Promise<void> {
    await this.post('release-dial', { grant });
  }

  /** Waits until every one of `numbers` is this worker's for its scenario; throws FrontRefusal otherwise. */
  async hold(numbers: string[]): Promise<void> {
    await this.post('hold', { numbers });
  }

  async release(): Promise<void> {
    await this.post('release', {});
  }

  /** The worker is stopping: what still comes for it is answered by the front, and counted apart. */
  async finished(): Promise<void> {
    await this.post('finished', {});
  }

  private async post(verb: string, body: Record<string, unknown>): Promise<unknown> {
    const res = await fetch(`${this.controlUrl}/${verb}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ worker: this.worker, ...body }) });
    const answer = (await res.json()) as { ok?: boolean; reason?: string; message?: string; error?: string };
    if (!res.ok || answer.ok === false) throw new FrontRefusal(answer.reason ?? String(res.status), answer.message ?? answer.error ?? `the front answered ${res.status}`);
    return answer;
  }
}

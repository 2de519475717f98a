// A worker's side of a parallel live run: how it tells the front (front.ts) who it is, which DTMF
// token and call id are its own, and what it created. Present only when the launcher started the
// worker (HARNESS_LIVE_FRONT set, CUCUMBER_WORKER_ID from Cucumber); a single-process run has none.
import { FRONT_ENV } from './front';
import { workerPrefix } from './routing';

export class FrontRefusal extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export class FrontLink {
  /** Notifications under way, awaited before the worker stops (so the front's cleanup list is exact). */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly controlUrl: string,
    readonly worker: string,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): FrontLink | undefined {
    const url = env[FRONT_ENV];
    if (!url) return undefined;
    return new FrontLink(url, env.CUCUMBER_WORKER_ID ?? '0');
  }

  /** This worker's public base: the run's one public URL plus its own path prefix. */
  publicBase(runPublicUrl: string): string {
    return `${runPublicUrl.replace(/\/+$/, '')}${workerPrefix(this.worker)}`;
  }

  register(localUrl: string): Promise<void> {
    return this.post('worker', { url: localUrl }).then(() => undefined);
  }

  /** One call of the run's budget, placed with `token`; throws FrontRefusal (budget, duplicate, closed). */
  async claimToken(token: string): Promise<void> {
    await this.post('token', { token });
  }

  placed(token: string, callId?: string): Promise<void> {
    return this.post('placed', { token, callId }).then(() => undefined);
  }

  /** About to create a conference through REST (`key` names the attempt); throws FrontRefusal after Ctrl-C. */
  async creatingConference(key: string): Promise<void> {
    await this.post('creating-conference', { key });
  }

  /** The creation announced as `key` answered with `id`, or failed (no id). Awaited: Ctrl-C waits for it. */
  async conferenceCreatedFor(key: string, id: string | undefined): Promise<void> {
    await this.post('conference', { key, id });
  }

  /** A conference this worker learned of otherwise (created by PerCL): noted, not awaited. */
  conferenceCreated(id: string): void {
    this.notify('conference', { id });
  }

  ended(id: string): void {
    this.notify('ended', { id });
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private notify(verb: string, body: Record<string, unknown>): void {
    const p = this.post(verb, body).catch((e: Error) => console.error(`parallel live run: could not tell the front ${verb} ${JSON.stringify(body)}: ${e.message}`));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async post(verb: string, body: Record<string, unknown>): Promise<unknown> {
    const res = await fetch(`${this.controlUrl}/${verb}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ worker: this.worker, ...body }),
    });
    const answer = (await res.json()) as { ok?: boolean; reason?: string; message?: string; error?: string };
    if (!res.ok || answer.ok === false) throw new FrontRefusal(answer.reason ?? String(res.status), answer.message ?? answer.error ?? `front answered ${res.status}`);
    return answer;
  }
}

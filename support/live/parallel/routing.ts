// The routing table of a parallel live run: which worker owns which webhook. It is pure state, no
// HTTP, so the unit tests drive it directly; support/live/parallel/front.ts puts it behind a port.
//
// Three kinds of URL reach the front, because FreeClimb is given three kinds:
//  - a worker's own URLs (scenario inboxes, a far end's Redirect) carry /w/<worker>/ in their path,
//    because each worker builds them from its own public base URL: routed by path;
//  - the application's shared URLs (voiceUrl, statusCallbackUrl, callConnectUrl), set once by
//    live:setup, carry no worker: an inbound leg's first request goes to any worker (the answer,
//    GetDigits, is the same everywhere), its digits go to the worker that claimed that DTMF token,
//    and a callStatus goes to the worker that claimed the call id;
//  - anything else is nobody's (404).
// The same table counts the calls placed against the run's one HARNESS_MAX_CALLS budget, and keeps
// what every worker created so that Ctrl-C can end it all once, from one place.

export type Decision =
  | { kind: 'worker'; worker: string; path: string }
  /** No owner yet, and none is expected: any worker may answer (round robin). */
  | { kind: 'any'; path: string }
  /** A call whose owner is about to claim it (its POST /Calls has not answered yet): wait for the claim. */
  | { kind: 'await-call'; callId: string; path: string }
  | { kind: 'none'; reason: string };

export type ClaimResult = { ok: true } | { ok: false; reason: 'budget' | 'duplicate' | 'closed' | 'unknown-worker'; message: string };

const WORKER_PATH = /^\/w\/([A-Za-z0-9_-]+)(\/.*)?$/;

/** The path prefix a worker's URLs carry, so the front can route them without a table. */
export function workerPrefix(worker: string): string {
  return `/w/${worker}`;
}

export class RouteTable {
  private readonly workerUrls = new Map<string, string>();
  private readonly tokenOwners = new Map<string, string>();
  private readonly callOwners = new Map<string, string>();
  /** Tokens claimed whose POST /Calls has not answered yet (their call id is still unknown). */
  private readonly placing = new Set<string>();
  /** Conference creations announced whose POST /Conferences has not answered yet (keys). */
  private readonly creating = new Set<string>();
  /** Inbound legs that asked the voiceUrl but have not sent their token yet. */
  private readonly unidentified = new Set<string>();
  private settled: (() => void)[] = [];
  private readonly waiters = new Map<string, ((worker: string | undefined) => void)[]>();
  private readonly liveCalls = new Map<string, string>();
  private readonly liveConferences = new Map<string, string>();
  private readonly endedIds = new Set<string>();
  private readonly forwarded = new Map<string, number>();
  private next = 0;
  private closedReason: string | undefined;
  callsPlaced = 0;

  constructor(readonly maxCalls: number) {}

  addWorker(worker: string, url: string): void {
    this.workerUrls.set(worker, url.replace(/\/+$/, ''));
    this.forwarded.set(worker, this.forwarded.get(worker) ?? 0);
  }

  urlOf(worker: string): string | undefined {
    return this.workerUrls.get(worker);
  }

  get workers(): string[] {
    return [...this.workerUrls.keys()];
  }

  /** Workers in round-robin order for a request any of them may answer; the caller tries them in turn. */
  anyWorkers(): string[] {
    const all = this.workers;
    if (all.length === 0) return [];
    const start = this.next++ % all.length;
    return [...all.slice(start), ...all.slice(0, start)];
  }

  /**
   * A worker is about to place a call with `token` as its DTMF token: one call of the shared budget.
   * A token another worker holds is refused (the worker draws another), so digits name one owner.
   */
  claimToken(worker: string, token: string): ClaimResult {
    if (!this.workerUrls.has(worker)) return { ok: false, reason: 'unknown-worker', message: `worker ${worker} did not register with the front` };
    if (this.closedReason) return { ok: false, reason: 'closed', message: this.closedReason };
    if (this.tokenOwners.has(token)) return { ok: false, reason: 'duplicate', message: `token ${token} is taken` };
    if (this.callsPlaced >= this.maxCalls) {
      return { ok: false, reason: 'budget', message: `HARNESS_MAX_CALLS (${this.maxCalls}) reached across all workers: this run will not place another call. Raise it if the run needs more.` };
    }
    this.callsPlaced += 1;
    this.tokenOwners.set(token, worker);
    this.placing.add(token);
    return { ok: true };
  }

  /** POST /Calls answered (`callId`) or failed (no `callId`) for the call placed with `token`. */
  placed(worker: string, token: string, callId?: string): void {
    this.placing.delete(token);
    if (callId) {
      this.own(callId, worker);
      this.liveCalls.set(callId, worker);
    }
    this.maybeSettled();
  }

  /**
   * A worker is about to create a conference through REST (`key` names the attempt). Refused once
   * the run is closing; otherwise Ctrl-C waits for the answer, so a conference created just as the
   * run is interrupted is still known, and ended, by the run's cleanup.
   */
  creatingConference(worker: string, key: string): ClaimResult {
    if (!this.workerUrls.has(worker)) return { ok: false, reason: 'unknown-worker', message: `worker ${worker} did not register with the front` };
    if (this.closedReason) return { ok: false, reason: 'closed', message: this.closedReason };
    this.creating.add(key);
    return { ok: true };
  }

  /** A conference a worker created (`conferenceId`), or a creation announced as `key` that ended without one. */
  conferenceCreated(worker: string, conferenceId: string | undefined, key?: string): void {
    if (key) this.creating.delete(key);
    if (conferenceId) this.liveConferences.set(conferenceId, worker);
    this.maybeSettled();
  }

  /** Calls and conferences whose creation (POST /Calls, POST /Conferences) is still under way. */
  get placingCount(): number {
    return this.placing.size + this.creating.size;
  }

  /** Resolves true once no creation is under way, or false after `timeoutMs` (with some still under way). */
  whenPlaced(timeoutMs: number): Promise<boolean> {
    if (this.placingCount === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.settled = this.settled.filter((s) => s !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.settled.push(done);
    });
  }

  /** A worker ended (or saw end) a call or conference it created: Ctrl-C need not end it again. */
  ended(id: string): void {
    this.liveCalls.delete(id);
    this.liveConferences.delete(id);
    this.endedIds.add(id);
  }

  /**
   * A webhook the front handed to `worker`: a conference it names belongs to the run, even one a
   * worker never reported (created by PerCL, or by a POST whose worker was stopped before it could
   * say so); a terminated status means it needs no cleanup.
   */
  sawWebhook(worker: string, body: unknown): void {
    const fields = (typeof body === 'object' && body !== null ? body : {}) as { conferenceId?: unknown; status?: unknown; requestType?: unknown };
    if (typeof fields.conferenceId !== 'string' || !fields.conferenceId.startsWith('CF')) return;
    if (fields.requestType === 'conferenceStatus' && fields.status === 'terminated') return this.ended(fields.conferenceId);
    if (!this.endedIds.has(fields.conferenceId) && !this.liveConferences.has(fields.conferenceId)) this.liveConferences.set(fields.conferenceId, worker);
  }

  /** What workers created and did not end: the run's cleanup list. */
  leftovers(): { calls: string[]; conferences: string[] } {
    return { calls: [...this.liveCalls.keys()], conferences: [...this.liveConferences.keys()] };
  }

  /** No more calls from now on (Ctrl-C): claims are refused with `reason`. */
  close(reason: string): void {
    this.closedReason = reason;
  }

  ownerOfCall(callId: string): string | undefined {
    return this.callOwners.get(callId);
  }

  /** Resolves with the owner once `callId` is claimed, or with undefined after `timeoutMs`. */
  waitForOwner(callId: string, timeoutMs: number): Promise<string | undefined> {
    const known = this.callOwners.get(callId);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const done = (worker: string | undefined) => {
        clearTimeout(timer);
        const left = (this.waiters.get(callId) ?? []).filter((w) => w !== done);
        if (left.length) this.waiters.set(callId, left);
        else this.waiters.delete(callId);
        resolve(worker);
      };
      this.waiters.set(callId, [...(this.waiters.get(callId) ?? []), done]);
    });
  }

  /** Counted per worker, for the run's summary (both workers must have had webhooks). */
  countForward(worker: string): void {
    this.forwarded.set(worker, (this.forwarded.get(worker) ?? 0) + 1);
  }

  get forwards(): ReadonlyMap<string, number> {
    return this.forwarded;
  }

  /** Where a webhook to `path` with parsed `body` goes. Learns inbound legs' owners on the way. */
  decide(path: string, body: unknown): Decision {
    const fields = (typeof body === 'object' && body !== null ? body : {}) as { callId?: unknown; digits?: unknown };
    const callId = typeof fields.callId === 'string' ? fields.callId : undefined;
    const worker = WORKER_PATH.exec(path);
    if (worker) {
      if (!this.workerUrls.has(worker[1])) return { kind: 'none', reason: `no worker ${worker[1]} registered` };
      return { kind: 'worker', worker: worker[1], path: worker[2] ?? '/' };
    }
    switch (path) {
      case '/app/voice':
        // An inbound leg on number B: which scenario it serves is known only from its digits.
        if (callId) this.unidentified.add(callId);
        return { kind: 'any', path };
      case '/app/identify': {
        const owner = typeof fields.digits === 'string' ? this.tokenOwners.get(fields.digits) : undefined;
        if (callId) this.unidentified.delete(callId);
        // An unknown token is answered by any worker: each hangs up on a token it did not issue.
        if (!owner) return { kind: 'any', path };
        if (callId) this.own(callId, owner);
        return { kind: 'worker', worker: owner, path };
      }
      case '/app/status':
      case '/app/connect': {
        const owner = callId ? this.callOwners.get(callId) : undefined;
        if (owner) return { kind: 'worker', worker: owner, path };
        // Its owner may not know the call id yet (a POST /Calls still under way, which answers in
        // moments): wait for the claim rather than guess. An inbound leg that never sent its token
        // will never have an owner, so its status is not held: a platform that delivers webhooks one
        // at a time (the simulator does) would stall every worker for the whole hold.
        if (callId && this.placing.size > 0 && !this.unidentified.has(callId)) return { kind: 'await-call', callId, path };
        return { kind: 'any', path };
      }
      default:
        return { kind: 'none', reason: `no route for ${path}` };
    }
  }

  private maybeSettled(): void {
    if (this.placingCount === 0) for (const done of this.settled.splice(0)) done();
  }

  private own(callId: string, worker: string): void {
    this.callOwners.set(callId, worker);
    for (const resolve of this.waiters.get(callId) ?? []) resolve(worker);
  }
}

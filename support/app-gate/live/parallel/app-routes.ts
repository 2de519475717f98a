// The routing table of a parallel live app gate (`fch app test --live --parallel N`): which worker
// gets which request that FreeClimb sends the run's one public URL. Pure state, no HTTP, so the unit
// tests drive it directly; app-front.ts puts it behind a port.
//
// Each worker runs its own copy of the app, whose host variable is the public URL plus /w/<worker>,
// so every URL an app puts into its PerCL carries its worker and is routed by path. What carries no
// worker is what `fch app live setup` registered once for everybody: the applications' voiceUrl,
// statusCallbackUrl and callConnectUrl. Those are routed by what the request is about:
//  - a call or conference already seen on a worker's paths belongs to that worker;
//  - an inboundCall to the app's number from the callers' number belongs to the worker that holds
//    the dial lock: workers place callers one at a time, so while one is being placed there is
//    exactly one call that can ring the app (every caller dials from FREECLIMB_NUMBER_A, and nothing
//    else FreeClimb sends ties the harness's outbound leg to the app's inbound one);
//  - a call to a people number belongs to the worker whose scenario holds that number: a scenario
//    reserves all the people numbers it names at once before it starts, so two scenarios never wait
//    on each other's numbers in a cycle;
//  - anything else is nobody's: answered with a Hangup (or 204) by the front, and counted.
// The same table counts calls against the run's one HARNESS_MAX_CALLS and remembers every call and
// conference it routed, for the run's cleanup after Ctrl-C.
/** `late`: the request is about a worker that has finished its scenarios (its own end-of-run cleanup's webhooks, mostly). */
export type AppDecision = { kind: 'worker'; worker: string; path: string } | { kind: 'none'; reason: string; late?: boolean };

export type Grant = { ok: true; grant: number } | { ok: false; reason: 'budget' | 'closed' | 'timeout' | 'unknown-worker'; message: string };

export interface AppRoutesOptions {
  maxCalls: number;
  /** FREECLIMB_APP_NUMBER: what callers dial. */
  appNumber: string;
  /** FREECLIMB_NUMBER_A: the number every caller dials from. */
  callerNumber: string;
  /** Paths the harness's own legs use (the shared ones: a person's number rang, a leg's status). */
  personPath: string;
}

interface Waiter {
  worker: string;
  /** The people numbers a hold waits for (none for a dial): a later hold never takes one of them first. */
  numbers?: string[];
  ready: () => boolean;
  grant: () => void;
  fail: (reason: 'closed' | 'timeout' | 'unknown-worker', message: string) => void;
  /** Starts its bound again: something it may be waiting behind was let go. */
  rearm?: () => void;
}

const WORKER_PATH = /^\/w\/([A-Za-z0-9_-]+)(\/.*)?$/;

export class AppRouteTable {
  private readonly workerUrls = new Map<string, string>();
  private readonly finished = new Set<string>();
  private readonly callOwners = new Map<string, string>();
  private readonly conferenceOwners = new Map<string, string>();
  private readonly numberHolders = new Map<string, string>();
  private dialHolder: { worker: string; grant: number } | undefined;
  private grants = 0;
  private waiters: Waiter[] = [];
  private closedReason: string | undefined;
  private readonly forwarded = new Map<string, number>();
  callsPlaced = 0;
  /** Requests nobody owned, answered by the front itself: each with why. */
  readonly answeredItself: string[] = [];
  /** Requests for workers that had finished (their cleanup's own webhooks), answered by the front. */
  readonly afterFinish: string[] = [];

  constructor(readonly opts: AppRoutesOptions) {}

  addWorker(worker: string, url: string): void {
    this.workerUrls.set(worker, url.replace(/\/+$/, ''));
    this.forwarded.set(worker, this.forwarded.get(worker) ?? 0);
  }

  urlOf(worker: string): string | undefined {
    return this.workerUrls.get(worker);
  }

  /** Where a request to `path` with parsed `body` goes; learns the calls and conferences it names. */
  decide(path: string, body: unknown): AppDecision {
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const str = (k: string) => (typeof fields[k] === 'string' ? (fields[k] as string) : undefined);
    const callId = str('callId');
    const conferenceId = str('conferenceId');
    const byPath = WORKER_PATH.exec(path);
    if (byPath) {
      if (this.finished.has(byPath[1])) return this.late(byPath[1], fields);
      if (!this.workerUrls.has(byPath[1])) return { kind: 'none', reason: `no worker ${byPath[1]} registered` };
      return this.to(byPath[1], byPath[2] ?? '/', fields);
    }
    const owner = (callId && this.callOwners.get(callId)) || (conferenceId && this.conferenceOwners.get(conferenceId));
    if (owner) return this.finished.has(owner) ? this.late(owner, fields) : this.to(owner, path, fields);
    const to = str('to');
    if (str('requestType') === 'inboundCall' && to === this.opts.appNumber) {
      if (str('from') !== this.opts.callerNumber) return { kind: 'none', reason: `a call to the app's number from ${str('from')}, not from the callers' number ${this.opts.callerNumber}: no scenario placed it` };
      const holder = this.dialHolder;
      if (!holder) return { kind: 'none', reason: 'a call to the app\'s number while no worker was placing a caller' };
      // The caller this worker is placing has reached the app: the next worker may dial.
      this.releaseDial(holder.worker, holder.grant);
      return this.to(holder.worker, path, fields);
    }
    // The caller being placed, before its worker has said which call it is (its POST /Calls not
    // answered yet): a status of the harness's own leg from number A to the app's number can only be it.
    if (this.dialHolder && str('from') === this.opts.callerNumber && to === this.opts.appNumber) return this.to(this.dialHolder.worker, path, fields);
    const holder = to ? this.numberHolders.get(to) : undefined;
    if (holder) return this.to(holder, path, fields);
    if (path === this.opts.personPath) return { kind: 'none', reason: `nobody of a running scenario is at ${to}` };
    return { kind: 'none', reason: `no worker owns ${callId ? `call ${callId}` : conferenceId ? `conference ${conferenceId}` : `a request to ${path}`}` };
  }

  /**
   * A request for a worker that has finished is answered by the front, but what it names is still
   * learned: a conference the worker's app created just before the worker stopped (Ctrl-C) is first
   * named here, and the front's cleanup must end it too.
   */
  private late(worker: string, fields: Record<string, unknown>): AppDecision {
    this.learn(worker, fields);
    return { kind: 'none', reason: `worker ${worker} has finished its scenarios`, late: true };
  }

  /**
   * The worker played its last scenario and stopped its app, or its process ended some other way
   * (a crash): what still comes for it is answered by the front, and nothing it held or waited for
   * stays held, so the other workers' callers and scenarios are not kept waiting on it.
   */
  finish(worker: string): void {
    this.finished.add(worker);
    this.workerUrls.delete(worker);
    for (const w of this.waiters.filter((x) => x.worker === worker)) {
      this.waiters = this.waiters.filter((x) => x !== w);
      w.fail('unknown-worker', `worker ${worker} has finished`);
    }
    if (this.dialHolder?.worker === worker) {
      this.dialHolder = undefined;
      this.progress();
    }
    this.release(worker);
  }

  private to(worker: string, path: string, fields: Record<string, unknown>): AppDecision {
    this.learn(worker, fields);
    return { kind: 'worker', worker, path };
  }

  private learn(worker: string, fields: Record<string, unknown>): void {
    for (const key of ['callId', 'dialCallId', 'parentCallId']) {
      const id = fields[key];
      if (typeof id === 'string' && !this.callOwners.has(id)) this.callOwners.set(id, worker);
    }
    const conference = fields.conferenceId;
    if (typeof conference === 'string' && !this.conferenceOwners.has(conference)) this.conferenceOwners.set(conference, worker);
  }

  /** The answer a worker gave names conferences too (a CreateConference's id comes back in later requests only). */
  learnFromAnswer(worker: string, answer: string | undefined): void {
    for (const m of (answer ?? '').matchAll(/"conferenceId"\s*:\s*"([^"]+)"/g)) if (!this.conferenceOwners.has(m[1])) this.conferenceOwners.set(m[1], worker);
  }

  // ------------------------------------------------------------------ the dial lock and the budget

  /**
   * Resolves once `worker` may place one caller: no other caller is being placed, and the run's
   * budget has a call left (counted now). Refused once the run closes, or after `timeoutMs`.
   */
  dial(worker: string, timeoutMs: number): Promise<Grant> {
    if (!this.workerUrls.has(worker)) return Promise.resolve(this.unknown(worker));
    return new Promise((resolve) => {
      const w: Waiter = {
        worker,
        ready: () => this.dialHolder === undefined,
        grant: () => {
          if (this.callsPlaced >= this.opts.maxCalls) {
            return resolve({ ok: false, reason: 'budget', message: `HARNESS_MAX_CALLS (${this.opts.maxCalls}) reached across all workers: this run will not place another call. Raise it if the run needs more.` });
          }
          this.callsPlaced += 1;
          this.grants += 1;
          this.dialHolder = { worker, grant: this.grants };
          resolve({ ok: true, grant: this.grants });
        },
        fail: (reason, message) => resolve({ ok: false, reason, message }),
      };
      this.enqueue(w, timeoutMs, () => `worker ${this.dialHolder?.worker}'s caller has not reached the app`);
    });
  }

  /** The worker's caller reached the app, or never will (its POST /Calls failed, its wait ended): the next may dial. */
  releaseDial(worker: string, grant: number): void {
    if (this.dialHolder?.worker !== worker || this.dialHolder.grant !== grant) return;
    this.dialHolder = undefined;
    this.progress();
    this.pump();
  }

  /** A call the worker placed (its POST /Calls answered): the worker's, for routing and cleanup. */
  placed(worker: string, callId: string): void {
    this.callOwners.set(callId, worker);
  }

  // ------------------------------------------------------------------ people numbers

  /** Resolves once every one of `numbers` is free or already `worker`'s; all are then held at once. */
  hold(worker: string, numbers: string[], timeoutMs: number): Promise<Grant> {
    if (!this.workerUrls.has(worker)) return Promise.resolve(this.unknown(worker));
    return new Promise((resolve) => {
      const w: Waiter = {
        worker,
        numbers,
        ready: () => numbers.every((n) => (this.numberHolders.get(n) ?? worker) === worker),
        grant: () => {
          for (const n of numbers) this.numberHolders.set(n, worker);
          resolve({ ok: true, grant: 0 });
        },
        fail: (reason, message) => resolve({ ok: false, reason, message }),
      };
      this.enqueue(w, timeoutMs, () => `${numbers.filter((n) => this.numberHolders.get(n) !== worker).map((n) => `${n} is held by worker ${this.numberHolders.get(n)}`).join(', ')}`);
    });
  }

  /** The worker's scenario ended: its people numbers are free for the others. */
  release(worker: string): void {
    let freed = false;
    for (const [n, holder] of [...this.numberHolders]) if (holder === worker) freed = this.numberHolders.delete(n);
    if (freed) this.progress();
    this.pump();
  }

  private unknown(worker: string): Grant {
    const message = this.finished.has(worker) ? `worker ${worker} has finished its scenarios` : `worker ${worker} did not register with the front`;
    return { ok: false, reason: 'unknown-worker', message };
  }

  /** Something was let go: every waiter's bound starts again, so a wait fails only after that long with nothing let go. */
  private progress(): void {
    for (const w of this.waiters) w.rearm?.();
  }

  // ------------------------------------------------------------------ the run

  /** No more calls from now on (Ctrl-C): waiting and future requests are refused with `reason`. */
  close(reason: string): void {
    this.closedReason = reason;
    for (const w of this.waiters.splice(0)) w.fail('closed', reason);
  }

  /** Every call and conference the run routed: what its cleanup asks FreeClimb about. */
  seen(): { calls: string[]; conferences: string[] } {
    return { calls: [...this.callOwners.keys()], conferences: [...this.conferenceOwners.keys()] };
  }

  countForward(worker: string): void {
    this.forwarded.set(worker, (this.forwarded.get(worker) ?? 0) + 1);
  }

  get forwards(): ReadonlyMap<string, number> {
    return this.forwarded;
  }

  /**
   * Waiters are served in arrival order, each as soon as what it waits for is free: two dials never
   * overtake each other, and a hold never takes a number an earlier hold is waiting for. The bound
   * is on progress, not on the whole wait: a scenario holds its numbers for all its steps and a
   * caller holds the dial lock until it reaches the app, so a waiter behind several of them may wait
   * longer than HARNESS_TIMEOUT_MS in all; it fails when nothing was let go for that long.
   */
  private enqueue(w: Waiter, timeoutMs: number, blocker: () => string): void {
    if (this.closedReason) return w.fail('closed', this.closedReason);
    const expire = () => {
      if (!this.waiters.includes(w)) return;
      this.waiters = this.waiters.filter((x) => x !== w);
      w.fail('timeout', `waited ${timeoutMs} ms with nothing let go: ${blocker()}`);
    };
    let timer = setTimeout(expire, timeoutMs);
    const { grant, fail } = w;
    w.grant = () => (clearTimeout(timer), grant());
    w.fail = (reason, message) => (clearTimeout(timer), fail(reason, message));
    w.rearm = () => (clearTimeout(timer), (timer = setTimeout(expire, timeoutMs)));
    this.waiters.push(w);
    this.pump();
  }

  private pump(): void {
    // Numbers that an earlier hold still waits for: a later hold may not take them first.
    const wanted = new Set<string>();
    for (const w of [...this.waiters]) {
      // (A number the waiter already holds is its own whoever else waits for it.)
      if (w.ready() && !(w.numbers ?? []).some((n) => wanted.has(n) && this.numberHolders.get(n) !== w.worker)) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.grant();
        continue;
      }
      for (const n of w.numbers ?? []) wanted.add(n);
    }
  }
}

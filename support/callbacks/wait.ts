// An append-only log that steps can wait on. Waits are event-driven (each push checks the pending
// waiters) so a step finishes the moment its callback lands, and a timeout explains itself by
// listing everything that did arrive: "waited for X, got Y and Z" is most of a diagnosis.

export interface WaitOptions<T> {
  timeoutMs: number;
  /** What is awaited, in words, e.g. `conferenceStatus with status=empty`. */
  description: string;
  /** Only items at this index or later count. Default 0. */
  fromIndex?: number;
  /** Resolve with the count-th match (1-based). Default 1. */
  count?: number;
  /** One line per item for the timeout message. */
  summarize: (item: T) => string;
  /**
   * Resolves once whatever could still push items is idle (mock mode: the simulator has nothing
   * queued, in flight or answering, and no REST request is outstanding; its clock only moves when
   * a step moves it). A wait still pending then can never be satisfied, so it fails at once with
   * the same message a timeout gives, instead of idling until timeoutMs.
   */
  quiescent?: () => Promise<void>;
}

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
  constructor(
    readonly description: string,
    readonly timeoutMs: number,
    /** Summaries of every item in the log when the wait gave up. */
    readonly arrived: readonly string[],
    message: string,
    /** Wall-clock ms the wait began, so a report can show where in the flow it started. */
    readonly since: number = Date.now() - timeoutMs,
    /** Given up early because the source went idle (see WaitOptions.quiescent), not at the timeout. */
    readonly idle = false,
  ) {
    super(message);
  }
}

export class WaitClosedError extends Error {
  override name = 'WaitClosedError';
  constructor(
    readonly description: string,
    readonly reason: string,
  ) {
    super(`stopped waiting for ${description}: ${reason}`);
  }
}

interface Waiter<T> {
  description: string;
  match: (item: T) => boolean;
  fromIndex: number;
  remaining: number;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
}

export class EventLog<T> {
  readonly #items: T[] = [];
  readonly #waiters = new Set<Waiter<T>>();
  #closed: string | undefined;

  get items(): readonly T[] {
    return this.#items;
  }

  push(item: T): void {
    const index = this.#items.push(item) - 1;
    // Copy: settling a waiter removes it from the set while we iterate.
    for (const waiter of [...this.#waiters]) {
      if (index < waiter.fromIndex) continue;
      let matched: boolean;
      try {
        matched = waiter.match(item);
      } catch (error) {
        // A throwing predicate is a bug in the step; surface it rather than time out later.
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (matched && --waiter.remaining === 0) waiter.resolve(item);
    }
  }

  waitFor(match: (item: T) => boolean, opts: WaitOptions<T>): Promise<T> {
    const fromIndex = opts.fromIndex ?? 0;
    const count = opts.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
    if (!Number.isInteger(fromIndex) || fromIndex < 0) throw new RangeError(`fromIndex must be a non-negative integer, got ${fromIndex}`);

    let remaining = count;
    const since = Date.now();
    try {
      for (let i = fromIndex; i < this.#items.length; i++) {
        if (match(this.#items[i]) && --remaining === 0) return Promise.resolve(this.#items[i]);
      }
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.#closed !== undefined) return Promise.reject(new WaitClosedError(opts.description, this.#closed));

    return new Promise<T>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const waiter: Waiter<T> = {
        description: opts.description,
        match,
        fromIndex,
        remaining,
        resolve: (item) => (settle(), resolve(item)),
        reject: (error) => (settle(), reject(error)),
      };
      // Not unref'd: an unref'd timer would let the process exit with the wait still pending,
      // which is a silent hang. It is always cleared when the wait settles.
      const timer = setTimeout(() => waiter.reject(this.#timeoutError(opts, count - waiter.remaining, since)), opts.timeoutMs);
      this.#waiters.add(waiter);
      opts.quiescent?.().then(
        () => {
          if (this.#waiters.has(waiter)) waiter.reject(this.#timeoutError(opts, count - waiter.remaining, since, true));
        },
        // A failing probe proves nothing: the timeout stays the backstop.
        () => undefined,
      );
    });
  }

  /** Reject every pending wait; later waits that are not already satisfied reject at once. */
  close(reason: string): void {
    this.#closed = reason;
    for (const waiter of [...this.#waiters]) waiter.reject(new WaitClosedError(waiter.description, reason));
  }

  #timeoutError(opts: WaitOptions<T>, matched: number, since: number, idle = false): WaitTimeoutError {
    const count = opts.count ?? 1;
    const fromIndex = opts.fromIndex ?? 0;
    const arrived = this.#items.map((item, i) => `[${i}] ${safeSummary(opts.summarize, item)}`);
    const which = [
      count > 1 ? `match #${count}, ${matched} matched so far` : '',
      fromIndex > 0 ? `counting from index ${fromIndex}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    const waited = idle
      ? `gave up after ${Date.now() - since}ms (of ${opts.timeoutMs}ms) waiting for ${opts.description}${which ? ` (${which})` : ''}: the simulator went idle, so nothing more can arrive`
      : `timed out after ${opts.timeoutMs}ms waiting for ${opts.description}${which ? ` (${which})` : ''}`;
    const message = [
      waited,
      arrived.length === 0 ? 'nothing arrived' : `arrived (${arrived.length}):\n${arrived.map((line) => `  ${line}`).join('\n')}`,
    ].join('\n');
    return new WaitTimeoutError(opts.description, opts.timeoutMs, arrived, message, since, idle);
  }
}

function safeSummary<T>(summarize: (item: T) => string, item: T): string {
  try {
    return summarize(item);
  } catch (error) {
    return `(could not summarize: ${(error as Error).message})`;
  }
}

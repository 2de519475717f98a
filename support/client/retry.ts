// When a request may be repeated, and how long to wait before repeating it.
//
// Only requests whose repetition cannot change the outcome are retried: reads, deletes, and the
// two POSTs that drive a resource to a final state (terminate a conference, hang up a call).
// A create repeated after a lost response would make a second conference, call or application,
// so creates and every other POST are sent exactly once.

export interface RetryOptions {
  /** Total attempts, including the first. 1 disables retries. */
  attempts: number;
  /** Backoff base: attempt n waits up to baseDelayMs × 2^(n-1) (full jitter). */
  baseDelayMs: number;
  /** Upper bound for every wait, including one asked for by Retry-After. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 200, maxDelayMs: 2000 };

/** `path` is relative to the account (`/Conferences/CF…`), possibly with a query. */
export function isSafeToRepeat(method: string, path: string, body: unknown): boolean {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'DELETE') return true;
  if (m !== 'POST') return false;
  const bare = path.split('?')[0];
  const status = body !== null && typeof body === 'object' ? (body as { status?: unknown }).status : undefined;
  if (/^\/Conferences\/[^/]+$/.test(bare)) return status === 'terminated';
  if (/^\/Calls\/[^/]+$/.test(bare)) return status === 'completed' || status === 'canceled';
  return false;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date), or undefined when absent/invalid. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before attempt `failedAttempt + 1`. Retry-After wins when present (capped by
 * maxDelayMs); otherwise exponential backoff with full jitter: uniform in [0, min(max, base·2^(n-1))].
 */
export function backoffDelay(failedAttempt: number, retry: RetryOptions, retryAfter?: string, random: () => number = Math.random): number {
  const asked = parseRetryAfter(retryAfter);
  if (asked !== undefined) return Math.min(retry.maxDelayMs, asked);
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.floor(random() * ceiling);
}

export function validateRetry(retry: RetryOptions): RetryOptions {
  const ok = Number.isInteger(retry.attempts) && retry.attempts >= 1 && retry.baseDelayMs >= 0 && retry.maxDelayMs >= 0;
  if (!ok) throw new Error(`invalid retry options ${JSON.stringify(retry)}: attempts is an integer ≥ 1, delays are ≥ 0`);
  return { ...retry };
}

/**
 * The pause between retry attempts (backoff with jitter, as the API client must do). It is not a
 * way of waiting for something to happen: callbacks are awaited with event-driven waits.
 */
export const backoffPause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

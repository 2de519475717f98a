// Sends one request, with a timeout per attempt and retries for requests that are safe to repeat,
// recording every attempt. Live mode talks to FreeClimb, mock mode to the simulator through nock
// (which intercepts Node's http in process).
import type { HttpSender } from './http-send';
import { TransportError, type ApiResponse } from './errors';
import { ExchangeLog, parseBody, redactHeaders, type Exchange, type Scrubber } from './exchange';
import { backoffDelay, backoffPause, isRetryableStatus, type RetryOptions } from './retry';

export interface TransportOptions {
  sender: HttpSender;
  /** A function, so that inspecting the client or transport never prints the credentials. */
  authorization: () => string;
  timeoutMs: number;
  retry: RetryOptions;
  scrubber: Scrubber;
  log: ExchangeLog;
}

/** How an attempt that was followed by a retry ended. */
export interface EarlierAttempt {
  status?: number;
  error?: string;
  /**
   * True when the server may have acted on it: no response arrived (it may have been lost after the
   * server applied the change) or a 5xx (a gateway may answer 502/504 after the backend acted).
   * A 429 means the request was refused unprocessed.
   */
  mayHaveApplied: boolean;
}

export interface SendResult {
  response: ApiResponse;
  /** Attempts before the one that produced `response`, oldest first. */
  earlier: EarlierAttempt[];
}

/** Serves a request without the network (a sweep's simulator in this process); undefined: not for it. */
export type InProcessRoute = (request: { method: string; url: string; headers: Record<string, string>; body: string }) => { status: number; headers: Record<string, string>; text: string } | undefined;

/**
 * Serve requests in process instead of over the network while a route is set, for every client in
 * this process (like nock, which it replaces in sweeps): the route answers undefined for requests
 * that are not its own. Every exchange is recorded and checked exactly as over HTTP.
 */
let processRoute: InProcessRoute | undefined;
export function routeInProcess(route: InProcessRoute | undefined): void {
  processRoute = route;
}

type AttemptResult = { response: ApiResponse; exchange: Exchange } | { failure: { kind: 'timeout' | 'connection'; detail: string }; exchange: Exchange };

export class Transport {
  #inFlight = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: TransportOptions) {}

  /** Resolves once no request (retries and their pauses included) is outstanding. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  idleNow(): boolean {
    return this.#inFlight === 0;
  }

  /** `body`: an object is sent as JSON; a string is sent as-is (with Content-Type: application/json). */
  async send(method: string, url: string, body: unknown, repeatable: boolean): Promise<SendResult> {
    this.#inFlight += 1;
    try {
      return await this.#send(method, url, body, repeatable);
    } finally {
      if (--this.#inFlight === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
    }
  }

  async #send(method: string, url: string, body: unknown, repeatable: boolean): Promise<SendResult> {
    const maxAttempts = repeatable ? this.opts.retry.attempts : 1;
    const earlier: EarlierAttempt[] = [];
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(method, url, body, attempt);
      const retry = 'failure' in result || isRetryableStatus(result.response.status);
      if (!retry || attempt >= maxAttempts) {
        if ('response' in result) return { response: result.response, earlier };
        throw new TransportError(method, url, result.failure.kind, result.failure.detail, attempt);
      }
      const retryAfter = 'response' in result ? result.response.headers['retry-after'] : undefined;
      const delay = backoffDelay(attempt, this.opts.retry, retryAfter);
      result.exchange.retryInMs = delay;
      earlier.push(
        'response' in result
          ? { status: result.response.status, mayHaveApplied: result.response.status !== 429 }
          : { error: result.failure.detail, mayHaveApplied: true },
      );
      await backoffPause(delay);
    }
  }

  private async attempt(method: string, url: string, body: unknown, attempt: number): Promise<AttemptResult> {
    const { sender, authorization, timeoutMs, scrubber, log } = this.opts;
    const headers: Record<string, string> = { Authorization: authorization(), Accept: 'application/json' };
    let data: string | undefined;
    if (body !== undefined) {
      data = typeof body === 'string' ? body : JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    const seq = log.nextSeq();
    const started = Date.now();
    const exchange: Exchange = {
      seq,
      startedAt: new Date(started).toISOString(),
      method,
      url: scrubber.text(url),
      requestHeaders: redactHeaders(headers),
      requestBody: data === undefined ? undefined : parseBody(scrubber.text(data)),
      status: undefined,
      responseHeaders: {},
      responseBody: undefined,
      durationMs: 0,
      attempt,
    };
    try {
      // No redirect is followed (HttpSender): it would carry the Authorization header to wherever it points.
      const served = await this.#fetch(sender, method, url, headers, data, timeoutMs);
      const text = scrubber.text(served.text);
      const response: ApiResponse = { status: served.status, headers: served.headers, text, json: undefined, url: scrubber.text(url) };
      const parsed = parseBody(text);
      response.json = typeof parsed === 'string' ? undefined : parsed;
      Object.assign(exchange, { status: response.status, responseHeaders: { ...response.headers }, responseBody: parsed, durationMs: Date.now() - started });
      log.add(exchange);
      return { response, exchange };
    } catch (e) {
      const failure = this.describe(e);
      Object.assign(exchange, { durationMs: Date.now() - started, error: failure.detail });
      log.add(exchange);
      return { failure, exchange };
    }
  }

  async #fetch(sender: HttpSender, method: string, url: string, headers: Record<string, string>, data: string | undefined, timeoutMs: number) {
    const local = processRoute?.({ method, url, headers, body: data ?? '' });
    if (local) return { ...local, headers: Object.fromEntries(Object.entries(local.headers).map(([k, v]) => [k.toLowerCase(), v])) };
    return sender.send(method, url, headers, data, timeoutMs);
  }

  /**
   * Only the error's first line is kept, scrubbed (a URL may carry what the scrubber hides), and
   * the original error is not attached as `cause` (Node prints causes, with their properties).
   */
  private describe(e: unknown): { kind: 'timeout' | 'connection'; detail: string } {
    const err = e as { name?: string; message?: string };
    const first = String(err?.message ?? e).split('\n')[0];
    if (err?.name === 'TimeoutError' || /Timeout \d+ms exceeded/.test(first)) {
      return { kind: 'timeout', detail: `no response within ${this.opts.timeoutMs} ms (timeout)` };
    }
    return { kind: 'connection', detail: this.opts.scrubber.text(first) || 'connection error' };
  }
}

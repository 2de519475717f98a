// Delivers the simulator's webhooks over real HTTP, one at a time, in the order they were emitted.
// A single FIFO keeps every conference's callbacks in documented order and makes runs reproducible.
// Internal tasks (a phone answering, a timer firing) share the queue so that they interleave with
// webhooks exactly as they were caused.
import http from 'node:http';
import https from 'node:https';
import { resetUnread } from '../stale-connection';

export interface Delivery {
  seq: number;
  url: string;
  requestType: string;
  body: Record<string, unknown>;
  virtualTime: number;
  status?: number;
  answer?: string;
  error?: string;
  /** Real time (performance.now()) the request was sent, to order it among other records. */
  sentAt?: number;
  /** Real milliseconds until the answer (or the failure) arrived: the app's own time. */
  answerMs?: number;
}

type Job =
  | { kind: 'webhook'; url: string; body: Record<string, unknown>; virtualTime: number; onAnswer?: (answer: WebhookAnswer) => void }
  | { kind: 'task'; run: () => void };

export type WebhookAnswer = { ok: true; status: number; text: string } | { ok: false; status?: number; error: string };

export interface DispatcherOptions {
  /** Returns the FreeClimb-Signature header for a raw body, or undefined to send none. */
  sign: (rawBody: string) => string | undefined;
  timeoutMs: number;
  /** Called for errors inside tasks so that a simulator bug surfaces instead of hanging a test. */
  onError: (error: Error) => void;
  /** How a webhook travels; default `post`, real HTTP. A sweep hands the same signed bytes over in process. */
  post?: WebhookPoster;
}

export type WebhookPoster = (url: string, body: string, headers: Record<string, string>, timeoutMs: number) => Promise<WebhookAnswer>;

export class Dispatcher {
  readonly deliveries: Delivery[] = [];
  private queue: Job[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private inFlight = false;
  /** Real time (performance.now()) the last webhook's answer (or failure) arrived; 0 before the first. */
  lastAnswerAt = 0;

  constructor(private readonly opts: DispatcherOptions) {}

  webhook(url: string, body: Record<string, unknown>, virtualTime: number, onAnswer?: (answer: WebhookAnswer) => void): void {
    this.push({ kind: 'webhook', url, body, virtualTime, onAnswer });
  }

  task(run: () => void): void {
    this.push({ kind: 'task', run });
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  idleNow(): boolean {
    return !this.running && this.queue.length === 0;
  }

  /** A webhook is on the wire, waiting for its answer (the app gate does not count its REST requests as after an answer then). */
  delivering(): boolean {
    return this.inFlight;
  }

  close(): void {
    this.closed = true;
    this.queue = [];
  }

  private push(job: Job): void {
    if (this.closed) return;
    this.queue.push(job);
    if (!this.running) void this.pump();
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        try {
          if (job.kind === 'task') job.run();
          else {
            const answer = await this.deliver(job);
            job.onAnswer?.(answer);
          }
        } catch (e) {
          this.opts.onError(e as Error);
        }
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
  }

  private async deliver(job: Extract<Job, { kind: 'webhook' }>): Promise<WebhookAnswer> {
    const raw = JSON.stringify(job.body);
    const delivery: Delivery = {
      seq: this.deliveries.length + 1,
      url: job.url,
      requestType: String(job.body.requestType),
      body: job.body,
      virtualTime: job.virtualTime,
    };
    this.deliveries.push(delivery);
    const signature = this.opts.sign(raw);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(raw)) };
    if (signature) headers['freeclimb-signature'] = signature;
    delivery.sentAt = performance.now();
    this.inFlight = true;
    let answer: WebhookAnswer;
    try {
      answer = await (this.opts.post ?? post)(job.url, raw, headers, this.opts.timeoutMs);
    } finally {
      this.inFlight = false;
      this.lastAnswerAt = performance.now();
    }
    delivery.answerMs = this.lastAnswerAt - delivery.sentAt;
    if (answer.ok) {
      delivery.status = answer.status;
      delivery.answer = answer.text;
      if (answer.status < 200 || answer.status > 299) return { ok: false, status: answer.status, error: `HTTP ${answer.status}` };
    } else {
      delivery.error = answer.error;
    }
    return answer;
  }
}

/** One webhook POST; the app gate's signature probes send theirs the same way. */
export function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number, fresh = false): Promise<WebhookAnswer> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ ok: false, error: `not a URL: ${url}` });
      return;
    }
    const lib = target.protocol === 'https:' ? https : http;
    let answered = false;
    const req = lib.request(target, { method: 'POST', headers, timeout: timeoutMs, ...(fresh ? { agent: false } : {}) }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ ok: true, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => resolve({ ok: false, error: `reading the answer from ${url} failed: ${e.message}` }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'FCH_TIMEOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => {
      // A kept-alive connection that the app closed just as this webhook was written: the app never
      // read it, so it goes again on a new connection (Node's documented remedy). Otherwise the
      // verdict would hang on when the app's server happens to drop idle connections.
      if (!fresh && resetUnread(req, e, answered)) return void post(url, body, headers, timeoutMs, true).then(resolve);
      resolve({ ok: false, error: `POST ${url} failed: ${whyNoAnswer(e, timeoutMs)}` });
    });
    req.end(body);
  });
}

/** What happened to a webhook that got no answer, in words a reader of the report needs (not only errno). */
function whyNoAnswer(e: NodeJS.ErrnoException, timeoutMs: number): string {
  switch (e.code) {
    case 'FCH_TIMEOUT':
      return `no answer within ${timeoutMs} ms (the webhook timeout)`;
    case 'ECONNREFUSED':
      return `connection refused: nothing listens there (${e.message})`;
    case 'ECONNRESET':
      return `the connection was reset before an answer came (${e.message})`;
    default:
      return e.message === 'socket hang up' ? 'the app closed the connection without answering (socket hang up)' : e.message;
  }
}

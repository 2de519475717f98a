// A real HTTP server that receives FreeClimb webhooks, so the harness exercises the same wire path
// (exact bytes, signature header, status codes) as a deployed app. Each scenario gets an Inbox under
// /s/<key>/ so concurrent scenarios never see each other's callbacks; run-level routes (e.g. a
// shared /app/voice in live mode) sit outside /s/.
//
// Every request is recorded, whatever happens to it, and problems (bad signature, invalid webhook,
// invalid scripted PerCL, a throwing responder) are queued on the inbox for the scenario to assert
// on or to fail with. Responders answer from what they already know: FreeClimb sends the next
// webhook only after this one is answered, so a responder that waits on another callback deadlocks.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkWebhook, PERCL_EXPECTED, type Webhook } from '../schemas/webhooks';
import { formatProblems, validatePercl, type Problem } from '../percl/validate';
import { verifySignature, type SignatureFailure } from '../signature';
import { EventLog } from './wait';

export interface CallbackRecord {
  /** Receiver-wide arrival order. */
  seq: number;
  receivedAt: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** The path after the inbox's /s/<key>/ (or a route's prefix); the full path for orphans. */
  endpoint: string;
  /** Lower-cased names; credentials such as `authorization` are stored as `[redacted]`. */
  headers: Record<string, string>;
  rawBody: string;
  body: unknown;
  requestType?: string;
  webhook?: Webhook;
  signature: { ok: boolean; reason?: SignatureFailure; message?: string; t?: number };
  validation: { ok: boolean; message?: string; issues: string[] };
  answer?: { status: number; percl?: unknown; problems: Problem[] };
}

/**
 * Returns the PerCL to serve. `undefined` means "no answer" (204), as for a notification.
 * May be async so a later version can forward to the user's app.
 */
export type Responder = (record: CallbackRecord) => unknown | Promise<unknown>;

export type ProblemKind = 'signature' | 'invalid-webhook' | 'invalid-percl' | 'responder-error';

export interface InboxProblem {
  kind: ProblemKind;
  seq: number;
  endpoint: string;
  message: string;
}

export interface InboxWaitOptions {
  /** Defaults to the receiver's timeoutMs. */
  timeoutMs?: number;
  description: string;
  fromIndex?: number;
  count?: number;
}

export interface ReceiverOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Externally reachable base URL (e.g. a tunnel); default http://<host>:<port>. */
  publicUrl?: string;
  signingSecret: string;
  /** Signature age tolerance in seconds; default 300. */
  toleranceSec?: number;
  /** Clock for signature checks, in unix seconds; tests pin it. */
  nowSec?: () => number;
  /** Default timeout for waitFor. */
  timeoutMs: number;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Sends an answer: a status and a JSON body, or none (e.g. 204). */
type Send = (status: number, json?: string) => void;
const REDACTED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

// Module-private hooks: the receiver drives mailboxes through these, steps cannot.
const deliver = Symbol('deliver');
const report = Symbol('report');
const responderFor = Symbol('responderFor');

interface Hub {
  readonly publicUrl: string;
  readonly timeoutMs: number;
  unregister(mailbox: Mailbox): void;
}

/** What Inbox and Route share: their records, problems and waits. */
export abstract class Mailbox {
  readonly #log = new EventLog<CallbackRecord>();
  readonly #problems: InboxProblem[] = [];
  /**
   * Set by a backend that can tell when nothing more can arrive (mock mode): a wait that is still
   * unmet then fails at once instead of at its timeout (see WaitOptions.quiescent).
   */
  quiescent: (() => Promise<void>) | undefined;

  protected constructor(
    /** Path prefix without trailing slash, e.g. `/s/abc` or `/app/voice`. */
    readonly prefix: string,
    protected readonly hub: Hub,
  ) {}

  protected abstract get label(): string;
  abstract [responderFor](endpoint: string): Responder | undefined;

  get records(): readonly CallbackRecord[] {
    return this.#log.items;
  }

  get problems(): readonly InboxProblem[] {
    return this.#problems;
  }

  /** Remove and return the problems (of one kind, if given): a step that expects a problem consumes it. */
  takeProblems(kind?: ProblemKind): InboxProblem[] {
    const taken = this.#problems.filter((p) => kind === undefined || p.kind === kind);
    const kept = this.#problems.filter((p) => !taken.includes(p));
    this.#problems.splice(0, this.#problems.length, ...kept);
    return taken;
  }

  /**
   * Wait for an accepted callback. Rejected ones (bad signature, invalid body) are kept as evidence
   * but never satisfy a wait: a forged callback must not make a scenario pass.
   */
  waitFor(match: (record: CallbackRecord) => boolean, opts: InboxWaitOptions): Promise<CallbackRecord> {
    return this.waitForAnyRecord((r) => accepted(r) && match(r), opts);
  }

  /**
   * Wait for any request, rejected ones included. Only for diagnostics that judge the rejection
   * itself (live:doctor asks whether FreeClimb's signature verifies); scenarios use waitFor.
   */
  waitForAnyRecord(match: (record: CallbackRecord) => boolean, opts: InboxWaitOptions): Promise<CallbackRecord> {
    return this.#log.waitFor(match, {
      timeoutMs: opts.timeoutMs ?? this.hub.timeoutMs,
      description: `${opts.description} on ${this.label}`,
      fromIndex: opts.fromIndex,
      count: opts.count,
      summarize: summarizeRecord,
      quiescent: this.quiescent,
    });
  }

  /**
   * Take in a record that arrived on a run-level route but belongs here: live mode routes a call's
   * webhooks (callStatus on the shared application URL) to the scenario that placed the call.
   */
  adopt(record: CallbackRecord): void {
    this.#log.push(record);
  }

  /** Stop receiving: later requests here are 404 orphans, and pending waits reject. */
  close(): void {
    this.hub.unregister(this);
    this.#log.close(`${this.label} was closed`);
  }

  [deliver](record: CallbackRecord): void {
    this.#log.push(record);
  }

  [report](problem: InboxProblem): void {
    this.#problems.push(problem);
  }
}

/** One scenario's callbacks, under /s/<key>/. */
export class Inbox extends Mailbox {
  readonly #responders = new Map<string, Responder>();

  constructor(
    readonly key: string,
    hub: Hub,
  ) {
    super(`/s/${key}`, hub);
  }

  protected get label(): string {
    return `inbox "${this.key}"`;
  }

  url(endpoint: string): string {
    return `${this.hub.publicUrl}${this.prefix}/${endpoint.replace(/^\/+/, '')}`;
  }

  /** Serve `responder`'s PerCL for requests to `endpoint` (the path part; replaces any earlier one). */
  answer(endpoint: string, responder: Responder): void {
    const name = endpoint.replace(/^\/+/, '');
    if (name.includes('?')) throw new Error(`answer() takes the endpoint path without a query string, got ${JSON.stringify(endpoint)}`);
    this.#responders.set(name, responder);
  }

  [responderFor](endpoint: string): Responder | undefined {
    return this.#responders.get(endpoint);
  }
}

/** A run-level route outside /s/; one handler answers everything under its prefix. */
export class Route extends Mailbox {
  constructor(
    prefix: string,
    readonly handler: Responder,
    hub: Hub,
  ) {
    super(prefix, hub);
  }

  protected get label(): string {
    return `route ${this.prefix}`;
  }

  url(endpoint = ''): string {
    const rest = endpoint.replace(/^\/+/, '');
    return `${this.hub.publicUrl}${this.prefix}${rest ? `/${rest}` : ''}`;
  }

  [responderFor](): Responder {
    return this.handler;
  }
}

export class CallbackReceiver {
  readonly #server: http.Server;
  readonly #secret: string; // private field: never shows up in inspect() or JSON of the receiver
  readonly #toleranceSec: number;
  readonly #nowSec: () => number;
  readonly #timeoutMs: number;
  readonly #mailboxes = new Map<string, Mailbox>();
  readonly #records: CallbackRecord[] = [];
  readonly #orphans: CallbackRecord[] = [];
  #publicUrl = '';
  #localUrl = '';
  #seq = 0;
  #closing: Promise<void> | undefined;

  private constructor(server: http.Server, opts: ReceiverOptions) {
    this.#server = server;
    this.#secret = opts.signingSecret;
    this.#toleranceSec = opts.toleranceSec ?? 300;
    this.#nowSec = opts.nowSec ?? (() => Math.floor(Date.now() / 1000));
    this.#timeoutMs = opts.timeoutMs;
    server.on('request', (req, res) => {
      this.#fromHttp(req, res).catch((error: unknown) => {
        // Only reachable through a bug here or an aborted request; answer if anyone is listening.
        if (res.headersSent || res.destroyed) return void res.destroy();
        res.writeHead(500, { 'content-type': 'application/json' }).end(errorJson(`receiver failure: ${(error as Error).message}`));
      });
    });
  }

  static async start(opts: ReceiverOptions): Promise<CallbackReceiver> {
    if (!opts.signingSecret) throw new Error('CallbackReceiver needs a signingSecret to verify FreeClimb-Signature');
    const host = opts.host ?? '127.0.0.1';
    const server = http.createServer();
    const receiver = new CallbackReceiver(server, opts);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    receiver.#localUrl = `http://${urlHost}:${port}`;
    receiver.#publicUrl = (opts.publicUrl ?? receiver.#localUrl).replace(/\/+$/, '');
    return receiver;
  }

  /** The externally reachable base URL that callback URLs are built from. */
  get baseUrl(): string {
    return this.#publicUrl;
  }

  /** Where the server actually listens (differs from baseUrl behind a tunnel). */
  get localUrl(): string {
    return this.#localUrl;
  }

  /** Every request, in completion order. */
  get records(): readonly CallbackRecord[] {
    return this.#records;
  }

  /** Requests no inbox or route claimed (answered 404). */
  get orphans(): readonly CallbackRecord[] {
    return this.#orphans;
  }

  openInbox(key: string): Inbox {
    if (!/^[A-Za-z0-9][A-Za-z0-9._~-]*$/.test(key)) {
      throw new Error(`inbox key ${JSON.stringify(key)} must be URL-safe: letters, digits, and . _ ~ - (not first)`);
    }
    const inbox = new Inbox(key, this.#hub());
    this.#register(inbox);
    return inbox;
  }

  /** A run-level route, e.g. `/app/voice`; everything under the prefix goes to `handler`. */
  route(prefix: string, handler: Responder): Route {
    const normalized = '/' + prefix.replace(/^\/+|\/+$/g, '');
    if (normalized === '/') throw new Error('a route needs a non-empty prefix such as /app/voice');
    if (normalized === '/s' || normalized.startsWith('/s/')) throw new Error(`route prefix ${normalized} is inside /s/, which is reserved for inboxes`);
    const route = new Route(normalized, handler, this.#hub());
    this.#register(route);
    return route;
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      for (const mailbox of [...this.#mailboxes.values()]) mailbox.close();
      this.#server.close(() => resolve());
      // Keep-alive sockets (fetch keeps them) would otherwise hold close() open.
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }

  #hub(): Hub {
    // Getters, not copies: publicUrl is only known once the server listens.
    const receiver = this;
    return {
      get publicUrl() {
        return receiver.#publicUrl;
      },
      timeoutMs: this.#timeoutMs,
      unregister: (mailbox) => {
        if (this.#mailboxes.get(mailbox.prefix) === mailbox) this.#mailboxes.delete(mailbox.prefix);
      },
    };
  }

  #register(mailbox: Mailbox): void {
    if (this.#closing) throw new Error('the callback receiver is closed');
    if (this.#mailboxes.has(mailbox.prefix)) throw new Error(`${mailbox.prefix} is already open on this receiver`);
    this.#mailboxes.set(mailbox.prefix, mailbox);
  }

  /** The longest registered prefix that owns `path`, and the endpoint below it. */
  #lookup(path: string): { mailbox: Mailbox; endpoint: string } | undefined {
    let best: { mailbox: Mailbox; endpoint: string } | undefined;
    for (const [prefix, mailbox] of this.#mailboxes) {
      if (path !== prefix && !path.startsWith(prefix + '/')) continue;
      if (best && best.mailbox.prefix.length >= prefix.length) continue;
      best = { mailbox, endpoint: path.slice(prefix.length + 1) };
    }
    return best;
  }

  /**
   * The same request as the HTTP server would take, handed over in process: the exact bytes and
   * headers (signature included) go through the same checks, records and answers. Sweeps of the
   * self-check use it where the transport is not what is under test; the answer is what an HTTP
   * client would have read.
   */
  async inject(request: { method: string; path: string; headers: Record<string, string>; body: string }): Promise<{ status: number; text: string }> {
    const bytes = Buffer.from(request.body, 'utf8');
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    let answer: { status: number; text: string } = { status: 0, text: '' };
    await this.#receive({ method: request.method, url: request.path, headers, bytes, size: bytes.length }, (status, json) => {
      answer = { status, text: json ?? '' };
    });
    return answer;
  }

  async #fromHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Keep draining past the limit so the client still gets our answer.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    }
    await this.#receive({ method: req.method ?? '', url: req.url ?? '/', headers: req.headers, bytes: Buffer.concat(chunks), size }, (status, json) => {
      if (json === undefined) {
        res.writeHead(status);
        res.end();
      } else {
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
        res.end(json);
      }
    });
  }

  /** Transport-free core: one request in, one answer out through `send`, the record kept. */
  async #receive(req: { method: string; url: string; headers: http.IncomingHttpHeaders; bytes: Buffer; size: number }, send: Send): Promise<void> {
    const seq = ++this.#seq;
    const receivedAt = new Date().toISOString();
    const { bytes, size } = req;
    const url = new URL(req.url ?? '/', 'http://receiver.invalid');
    const target = this.#lookup(url.pathname);
    const rawBody = bytes.toString('utf8');
    const record: CallbackRecord = {
      seq,
      receivedAt,
      method: req.method,
      path: url.pathname,
      query: queryOf(url.searchParams),
      endpoint: target ? target.endpoint : url.pathname,
      headers: headersOf(req.headers),
      rawBody,
      body: parseJson(rawBody),
      signature: { ok: false },
      validation: { ok: false, issues: [] },
    };
    if (isObject(record.body) && typeof record.body.requestType === 'string') record.requestType = record.body.requestType;

    if (size > MAX_BODY_BYTES) {
      record.signature = { ok: false, message: 'not checked: body too large' };
      record.validation = { ok: false, message: `body is ${size} bytes, over the ${MAX_BODY_BYTES}-byte limit`, issues: [] };
    } else {
      // Checked over the exact bytes received: the HMAC covers bytes, not decoded text.
      const signature = verifySignature(bytes, headerValue(req.headers['freeclimb-signature']), this.#secret, {
        toleranceSec: this.#toleranceSec,
        nowSec: this.#nowSec(),
      });
      record.signature = signature.ok ? { ok: true, t: signature.t } : { ok: false, reason: signature.reason, message: signature.message };
      // Validated even when the signature fails, so the record and summaries say what it was; but
      // only a verified webhook becomes `record.webhook`, the parsed form that steps rely on.
      const check = checkWebhook(rawBody);
      if (check.ok) {
        if (signature.ok) record.webhook = check.webhook;
        record.validation = { ok: true, issues: [] };
      } else {
        record.validation = { ok: false, message: check.message, issues: check.issues };
      }
    }

    if (!target) {
      this.#finish(record, send, 404, errorJson(`no inbox or route for ${url.pathname}`));
      this.#orphans.push(record);
      return;
    }
    const { mailbox, endpoint } = target;
    const problem = (kind: ProblemKind, message: string) =>
      mailbox[report]({ kind, seq, endpoint, message: `#${seq} ${record.method} ${record.path}: ${message}` });

    if (size > MAX_BODY_BYTES) {
      problem('invalid-webhook', record.validation.message ?? 'body too large');
      this.#finish(record, send, 413, errorJson(record.validation.message ?? 'body too large'));
    } else if (!record.signature.ok) {
      const message = `signature ${record.signature.reason}: ${record.signature.message}`;
      problem('signature', message);
      this.#finish(record, send, 401, errorJson(message));
    } else if (!record.validation.ok || !record.webhook) {
      const message = record.validation.message ?? 'invalid webhook';
      problem('invalid-webhook', message);
      this.#finish(record, send, 400, errorJson(message));
    } else {
      await this.#answer(record, mailbox[responderFor](endpoint), send, problem);
    }
    mailbox[deliver](record);
  }

  async #answer(
    record: CallbackRecord,
    responder: Responder | undefined,
    send: Send,
    problem: (kind: ProblemKind, message: string) => void,
  ): Promise<void> {
    if (!responder) return this.#finish(record, send, 204);
    let text: string | undefined;
    try {
      const value = await responder(record);
      text = value === undefined ? undefined : JSON.stringify(value);
    } catch (error) {
      const message = `responder threw: ${error instanceof Error ? error.message : String(error)}`;
      problem('responder-error', message);
      return this.#finish(record, send, 500, errorJson(message));
    }
    if (text === undefined) return this.#finish(record, send, 204);
    // Validate what goes on the wire (after JSON round-trip), not the JS value the responder built.
    const percl: unknown = JSON.parse(text);
    const { valid, problems } = validatePercl(percl);
    if (!valid) {
      // Served anyway: how the platform reacts to invalid PerCL is itself something to observe.
      problem('invalid-percl', `invalid PerCL answered to ${record.requestType} at endpoint "${record.endpoint}" (served anyway):\n${formatProblems(problems)}`);
    }
    this.#finish(record, send, 200, text, { percl, problems });
  }

  /** Send the answer, note it on the record, and log the record receiver-wide. */
  #finish(
    record: CallbackRecord,
    send: Send,
    status: number,
    json?: string,
    served: { percl?: unknown; problems: Problem[] } = { problems: [] },
  ): void {
    record.answer = { status, ...served };
    send(status, json);
    this.#records.push(record);
  }
}

/** One line per record, for wait timeouts and logs: `#seq requestType endpoint key fields → status`. */
/** A callback the receiver accepted: signed with the account's secret and a documented webhook. */
export function accepted(record: CallbackRecord): boolean {
  return record.signature.ok && record.validation.ok && record.webhook !== undefined;
}

export function summarizeRecord(record: CallbackRecord): string {
  const body = isObject(record.body) ? record.body : {};
  const fields = ['status', 'callStatus', 'callId', 'conferenceId', 'digits', 'reason']
    .filter((key) => body[key] !== undefined && body[key] !== null)
    .map((key) => `${key}=${String(body[key])}`);
  const parts = [`#${record.seq}`, record.requestType ?? '(no requestType)', record.endpoint || '(root)', ...fields];
  if (!record.signature.ok && record.signature.reason) parts.push(`[signature ${record.signature.reason}]`);
  else if (!record.validation.ok) parts.push(`[invalid: ${record.validation.issues[0] ?? record.validation.message}]`);
  const status = record.answer?.status;
  if (status !== undefined) parts.push(`→ ${status}`);
  if (status === 204 && record.webhook && PERCL_EXPECTED.has(record.webhook.requestType)) parts.push('(no PerCL scripted)');
  if (record.answer?.problems.some((p) => p.severity === 'error')) parts.push('(invalid PerCL)');
  return parts.join(' ');
}

function errorJson(error: string): string {
  return JSON.stringify({ error });
}

function headersOf(raw: http.IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name] = REDACTED_HEADERS.has(name) ? '[redacted]' : headerValue(value) ?? '';
  }
  return headers;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  return query;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

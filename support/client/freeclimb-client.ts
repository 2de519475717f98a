// The FreeClimb REST client the steps use in both modes: live (the real API) and mock (the
// simulator behind nock, or its HTTP server). Requests and responses are checked against the zod
// schemas of support/schemas/rest.ts; every attempt is recorded in `exchanges` with auth redacted.
import { HttpSender } from './http-send';
import type { z } from 'zod';
import type { CallStatus, ConferenceStatus } from '../schemas/common';
import * as S from '../schemas/rest';
import { ApiError, type ApiResponse } from './errors';
import { ExchangeLog, Scrubber, type Exchange } from './exchange';
import { DEFAULT_RETRY, isSafeToRepeat, validateRetry, type RetryOptions } from './retry';
import { readAllPages, type ListSchema } from './pagination';
import { Transport, type SendResult } from './transport';
import { checkRequest, checkResponse } from './validation';

export { ApiError, RequestSchemaError, ResponseSchemaError, TransportError, type ApiResponse, type SchemaProblem } from './errors';
export { REDACTED_AUTHORIZATION, type Exchange } from './exchange';
export { PAGE_CAP } from './pagination';
export { DEFAULT_RETRY, isSafeToRepeat, type RetryOptions } from './retry';
export { routeInProcess } from './transport';
export { errorBodyOf, type ErrorBodyCheck } from './validation';

export interface FreeClimbClientOptions {
  /** e.g. https://www.freeclimb.com/apiserver, or http://127.0.0.1:4010/apiserver for a local stand-in. */
  apiBaseUrl: string;
  accountId: string;
  apiKey: string;
  /** Per attempt. */
  timeoutMs: number;
  /** Defaults to DEFAULT_RETRY (3 attempts, 200 ms base, 2000 ms cap). */
  retry?: RetryOptions;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  /** An object is sent as JSON; a string is sent as-is. */
  body?: unknown;
  query?: Query;
  /** Statuses that count as success; any other status throws ApiError. Omit to get any status back. */
  expect?: number[];
}

const LIVE_CALL = new Set<string>(['queued', 'ringing', 'inProgress']);
const enc = encodeURIComponent;

export class FreeClimbClient {
  private readonly log = new ExchangeLog();
  private readonly transport: Transport;
  private disposed = false;

  static async create(opts: FreeClimbClientOptions): Promise<FreeClimbClient> {
    let base: URL;
    try {
      base = new URL(opts.apiBaseUrl);
    } catch {
      throw new Error(`apiBaseUrl "${opts.apiBaseUrl}" is not an absolute URL`);
    }
    if (!/^https?:$/.test(base.protocol)) throw new Error(`apiBaseUrl "${opts.apiBaseUrl}" must be http(s)`);
    if (!opts.accountId) throw new Error('accountId is empty');
    if (!opts.apiKey) throw new Error('apiKey is empty');
    if (!(opts.timeoutMs > 0)) throw new Error(`timeoutMs must be > 0, got ${opts.timeoutMs}`);
    const retry = validateRetry(opts.retry ?? DEFAULT_RETRY);
    return new FreeClimbClient(new HttpSender(), opts.apiBaseUrl.replace(/\/+$/, ''), opts.accountId, opts.apiKey, opts.timeoutMs, retry);
  }

  private constructor(
    private readonly sender: HttpSender,
    readonly apiBaseUrl: string,
    readonly accountId: string,
    apiKey: string,
    readonly timeoutMs: number,
    readonly retry: RetryOptions,
  ) {
    // The key is kept only in closures (the Authorization value and the scrubber), never in a
    // property, so that logging or inspecting a client cannot print it.
    const credentials = Buffer.from(`${accountId}:${apiKey}`).toString('base64');
    this.transport = new Transport({
      sender,
      authorization: () => `Basic ${credentials}`,
      timeoutMs,
      retry,
      scrubber: new Scrubber([apiKey, credentials, encodeURIComponent(apiKey)]),
      log: this.log,
    });
  }

  /** Every attempt so far, in start order. */
  get exchanges(): Exchange[] {
    return this.log.exchanges;
  }
  /** Resolves once no request of this client is outstanding (mock mode's waits use it to know nothing more is coming). */
  idle(): Promise<void> {
    return this.transport.idle();
  }

  idleNow(): boolean {
    return this.transport.idleNow();
  }

  mark(): number {
    return this.log.mark();
  }
  exchangesSince(mark: number): Exchange[] {
    return this.log.since(mark);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.sender.destroy();
  }

  // ------------------------------------------------------------ low level

  /** `path` is relative to /Accounts/{accountId}, e.g. `/Conferences`. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse> {
    const { response } = await this.send(method, path, opts);
    return response;
  }

  private async send(method: string, path: string, opts: RequestOptions): Promise<SendResult> {
    const m = method.toUpperCase();
    const result = await this.transport.send(m, this.url(path, opts.query), opts.body, isSafeToRepeat(m, path, opts.body));
    if (opts.expect && !opts.expect.includes(result.response.status)) throw new ApiError(m, result.response, opts.expect);
    return result;
  }

  private url(path: string, query?: Query): string {
    if (!path.startsWith('/')) throw new Error(`path "${path}" must start with / (it is relative to /Accounts/{accountId})`);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) params.append(k, String(v));
    const qs = params.toString();
    return `${this.apiBaseUrl}/Accounts/${enc(this.accountId)}${path}${qs ? (path.includes('?') ? '&' : '?') + qs : ''}`;
  }

  private async one<T extends z.ZodType>(method: string, path: string, schema: T, name: string, expect: number[], body?: unknown): Promise<z.infer<T>> {
    const { response } = await this.send(method, path, { body, expect });
    return checkResponse(method, response.url, schema, name, response.json);
  }

  private all<K extends string, T>(path: string, query: Query | undefined, schema: ListSchema<K, T>, name: string, key: K): Promise<T[]> {
    const get = async (url: string) => (await this.transport.send('GET', url, undefined, true)).response;
    return readAllPages(this.apiBaseUrl, this.url(path, query), get, schema, name, key);
  }

  /**
   * Terminate, hang-up and remove are retried: repeating them cannot change the outcome. But when an
   * earlier attempt may have been applied — its response was lost (timeout, reset) or was a 5xx from
   * a gateway — the retry finds the work already done, and the API answers 409 (a terminated
   * conference cannot be changed, §1.3) or 404 (a POST to a completed call, §1.3; the call is no
   * longer a participant). That answer describes our own first attempt's success; reporting it as a
   * failure would fail a scenario for a network hiccup. The error body does not identify "already
   * terminated" in any documented way (no error dictionary, §1.4), so the state is confirmed with a
   * GET before the answer is accepted. A 409/404 on a first attempt is always an error.
   */
  private async doneByEarlierAttempt(result: SendResult, status: number, confirm: () => Promise<boolean>): Promise<boolean> {
    if (result.response.status !== status || !result.earlier.some((a) => a.mayHaveApplied)) return false;
    return confirm().catch(() => false);
  }

  // ------------------------------------------------------------ conferences

  async createConference(req: S.CreateConferenceRequest): Promise<S.ConferenceResult> {
    checkRequest('createConference', S.CreateConferenceRequest, 'CreateConferenceRequest', req);
    // SPEC says 200, the docs 202 (reference §6.24); 201 is what "created" means elsewhere.
    return this.one('POST', '/Conferences', S.ConferenceResult, 'ConferenceResult', [200, 201, 202], req);
  }
  async getConference(id: string): Promise<S.ConferenceResult> {
    return this.one('GET', `/Conferences/${enc(id)}`, S.ConferenceResult, 'ConferenceResult', [200]);
  }
  // Filters are typed for completion but accept any string: scenarios probe the filter with values from feature files.
  async listConferences(query?: { status?: ConferenceStatus | (string & {}); alias?: string }): Promise<S.ConferenceResult[]> {
    return this.all('/Conferences', query, S.ConferenceList, 'ConferenceList', 'conferences');
  }
  async updateConference(id: string, req: S.UpdateConferenceRequest): Promise<void> {
    checkRequest('updateConference', S.UpdateConferenceRequest, 'UpdateConferenceRequest', req);
    const result = await this.send('POST', `/Conferences/${enc(id)}`, { body: req });
    if (result.response.status === 204) return;
    const terminating = req.status === 'terminated';
    if (terminating && (await this.doneByEarlierAttempt(result, 409, async () => (await this.getConference(id)).status === 'terminated'))) return;
    throw new ApiError('POST', result.response, [204]);
  }
  async terminateConference(id: string): Promise<void> {
    return this.updateConference(id, { status: 'terminated' });
  }

  // ------------------------------------------------------------ participants

  async listParticipants(confId: string): Promise<S.ParticipantResult[]> {
    return this.all(`/Conferences/${enc(confId)}/Participants`, undefined, S.ParticipantList, 'ParticipantList', 'participants');
  }
  async getParticipant(confId: string, callId: string): Promise<S.ParticipantResult> {
    return this.one('GET', `/Conferences/${enc(confId)}/Participants/${enc(callId)}`, S.ParticipantResult, 'ParticipantResult', [200]);
  }
  async updateParticipant(confId: string, callId: string, req: S.UpdateParticipantRequest): Promise<S.ParticipantResult> {
    checkRequest('updateParticipant', S.UpdateParticipantRequest, 'UpdateParticipantRequest', req);
    return this.one('POST', `/Conferences/${enc(confId)}/Participants/${enc(callId)}`, S.ParticipantResult, 'ParticipantResult', [200], req);
  }
  async removeParticipant(confId: string, callId: string): Promise<void> {
    const result = await this.send('DELETE', `/Conferences/${enc(confId)}/Participants/${enc(callId)}`, {});
    if (result.response.status === 204) return;
    // The 404 itself says the call is not a participant, which is the state asked for.
    if (await this.doneByEarlierAttempt(result, 404, async () => true)) return;
    throw new ApiError('DELETE', result.response, [204]);
  }

  // ------------------------------------------------------------ calls

  async makeCall(req: S.MakeCallRequest): Promise<S.CallResult> {
    checkRequest('makeCall', S.MakeCallRequest, 'MakeCallRequest', req);
    return this.one('POST', '/Calls', S.CallResult, 'CallResult', [200, 201, 202], req);
  }
  async getCall(id: string): Promise<S.CallResult> {
    return this.one('GET', `/Calls/${enc(id)}`, S.CallResult, 'CallResult', [200]);
  }
  async listCalls(query?: { active?: boolean; status?: CallStatus | (string & {}); to?: string; from?: string; parentCallId?: string }): Promise<S.CallResult[]> {
    return this.all('/Calls', query, S.CallList, 'CallList', 'calls');
  }
  async updateCall(id: string, status: S.UpdateCallRequest['status']): Promise<void> {
    const req = { status };
    checkRequest('updateCall', S.UpdateCallRequest, 'UpdateCallRequest', req);
    const result = await this.send('POST', `/Calls/${enc(id)}`, { body: req });
    if (result.response.status === 202) return;
    if (await this.doneByEarlierAttempt(result, 404, async () => !LIVE_CALL.has((await this.getCall(id)).status))) return;
    throw new ApiError('POST', result.response, [202]);
  }

  // ------------------------------------------------------------ recordings

  async getRecording(id: string): Promise<S.RecordingResult> {
    return this.one('GET', `/Recordings/${enc(id)}`, S.RecordingResult, 'RecordingResult', [200]);
  }
  async listRecordings(query?: { conferenceId?: string; callId?: string }): Promise<S.RecordingResult[]> {
    return this.all('/Recordings', query, S.RecordingList, 'RecordingList', 'recordings');
  }
  async listConferenceRecordings(confId: string): Promise<S.RecordingResult[]> {
    return this.all(`/Conferences/${enc(confId)}/Recordings`, undefined, S.RecordingList, 'RecordingList', 'recordings');
  }

  // ------------------------------------------------------------ applications and numbers

  async createApplication(req: S.ApplicationRequest): Promise<S.ApplicationResult> {
    checkRequest('createApplication', S.ApplicationRequest, 'ApplicationRequest', req);
    return this.one('POST', '/Applications', S.ApplicationResult, 'ApplicationResult', [201, 200], req);
  }
  async getApplication(id: string): Promise<S.ApplicationResult> {
    return this.one('GET', `/Applications/${enc(id)}`, S.ApplicationResult, 'ApplicationResult', [200]);
  }
  async listApplications(query?: { alias?: string }): Promise<S.ApplicationResult[]> {
    return this.all('/Applications', query, S.ApplicationList, 'ApplicationList', 'applications');
  }
  async updateApplication(id: string, req: S.ApplicationRequest): Promise<S.ApplicationResult> {
    checkRequest('updateApplication', S.ApplicationRequest, 'ApplicationRequest', req);
    return this.one('POST', `/Applications/${enc(id)}`, S.ApplicationResult, 'ApplicationResult', [200], req);
  }
  async listIncomingNumbers(query?: { phoneNumber?: string }): Promise<S.IncomingNumberResult[]> {
    return this.all('/IncomingPhoneNumbers', query, S.IncomingNumberList, 'IncomingNumberList', 'incomingPhoneNumbers');
  }
  async updateIncomingNumber(id: string, req: S.IncomingNumberRequest): Promise<S.IncomingNumberResult> {
    checkRequest('updateIncomingNumber', S.IncomingNumberRequest, 'IncomingNumberRequest', req);
    return this.one('POST', `/IncomingPhoneNumbers/${enc(id)}`, S.IncomingNumberResult, 'IncomingNumberResult', [200], req);
  }
}

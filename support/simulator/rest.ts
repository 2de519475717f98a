// The REST API of reference §2 as a pure request handler: (method, path, headers, body) → response.
// Both adapters (nock, HTTP server) call `handle`; nothing here knows how the request arrived.
import {
  ApplicationRequest,
  CreateConferenceRequest,
  IncomingNumberRequest,
  MakeCallRequest,
  UpdateCallRequest,
  UpdateConferenceRequest,
  UpdateParticipantRequest,
} from '../schemas/rest';
import { SimulatorError, type Engine } from './engine';
import { newId } from './ids';
import { ResourceRenderer } from './resources';
import { messageRoutes } from './rest-messages';
import { queueRoutes } from './rest-queues';
import { found, validate, type Route } from './rest-helpers';
import { stamp, touch, type ConferenceState } from './state';

export interface RestRequest {
  method: string;
  /** Path and query as received, including the API base path (e.g. /apiserver/Accounts/…). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RestResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

type Json = Record<string, unknown>;

// Codes 0, 2 and 50 are FreeClimb's (§1.4). The dictionary of other codes was not found, so the
// simulator uses codes above 9000 that nobody can mistake for documented ones.
const ERROR_CODES: Record<number, { code: number; call: string }> = {
  400: { code: 9400, call: 'Bad Request' },
  401: { code: 50, call: 'Unauthorized To Make Request' },
  403: { code: 9403, call: 'Forbidden' },
  404: { code: 9404, call: 'Not Found' },
  405: { code: 2, call: 'Method Not Allowed' },
  409: { code: 9409, call: 'Conflict' },
  500: { code: 0, call: 'Internal Failure' },
};

export class RestApi {
  private readonly render: ResourceRenderer;
  private readonly routes: [string, RegExp, Route][];

  constructor(
    private readonly engine: Engine,
    private readonly credentials: { accountId: string; apiKey: string },
    private readonly basePath: string,
  ) {
    this.render = new ResourceRenderer(engine);
    const id = '([A-Za-z0-9]+)';
    const acc = `^/Accounts/${id}`;
    this.routes = [
      ['POST', new RegExp(`${acc}/Conferences$`), (_m, _q, body) => this.createConference(body())],
      ['GET', new RegExp(`${acc}/Conferences$`), (_m, q) => this.listConferences(q)],
      ['GET', new RegExp(`${acc}/Conferences/${id}$`), (m) => ({ status: 200, json: this.render.conference(this.visibleConference(m[2])) })],
      ['POST', new RegExp(`${acc}/Conferences/${id}$`), (m, _q, body) => this.updateConference(this.conference(m[2]), body())],
      ['GET', new RegExp(`${acc}/Conferences/${id}/Participants$`), (m, q) => this.listParticipants(this.conference(m[2]), q)],
      ['GET', new RegExp(`${acc}/Conferences/${id}/Participants/${id}$`), (m) => ({ status: 200, json: this.render.participant(this.participant(m[2], m[3])) })],
      ['POST', new RegExp(`${acc}/Conferences/${id}/Participants/${id}$`), (m, _q, body) => this.updateParticipant(m[2], m[3], body())],
      ['DELETE', new RegExp(`${acc}/Conferences/${id}/Participants/${id}$`), (m) => this.removeParticipant(m[2], m[3])],
      ['GET', new RegExp(`${acc}/Conferences/${id}/Recordings$`), (m, q) => this.listRecordings(q, { conferenceId: this.conference(m[2]).conferenceId })],
      ['POST', new RegExp(`${acc}/Calls$`), (_m, _q, body) => this.makeCall(body())],
      ['GET', new RegExp(`${acc}/Calls$`), (_m, q) => this.listCalls(q)],
      ['GET', new RegExp(`${acc}/Calls/${id}$`), (m) => ({ status: 200, json: this.render.call(this.call(m[2])) })],
      ['POST', new RegExp(`${acc}/Calls/${id}$`), (m, _q, body) => this.updateCall(m[2], body())],
      ['GET', new RegExp(`${acc}/Calls/${id}/Recordings$`), (m, q) => this.listRecordings(q, { callId: this.call(m[2]).callId })],
      ['GET', new RegExp(`${acc}/Recordings$`), (_m, q) => this.listRecordings(q, {})],
      ['GET', new RegExp(`${acc}/Recordings/${id}$`), (m) => ({ status: 200, json: this.render.recording(this.recording(m[2])) })],
      ['DELETE', new RegExp(`${acc}/Recordings/${id}$`), (m) => this.deleteRecording(m[2])],
      ['GET', new RegExp(`${acc}/Recordings/${id}/(Download|Stream)$`), (m) => this.downloadRecording(m[2])],
      ['POST', new RegExp(`${acc}/Applications$`), (_m, _q, body) => this.createApplication(body())],
      ['GET', new RegExp(`${acc}/Applications$`), (_m, q) => this.listApplications(q)],
      ['GET', new RegExp(`${acc}/Applications/${id}$`), (m) => ({ status: 200, json: this.render.application(this.application(m[2])) })],
      ['POST', new RegExp(`${acc}/Applications/${id}$`), (m, _q, body) => this.updateApplication(m[2], body())],
      ['DELETE', new RegExp(`${acc}/Applications/${id}$`), (m) => this.deleteApplication(m[2])],
      ['GET', new RegExp(`${acc}/IncomingPhoneNumbers$`), (_m, q) => this.listNumbers(q)],
      ['GET', new RegExp(`${acc}/IncomingPhoneNumbers/${id}$`), (m) => ({ status: 200, json: this.render.number(this.number(m[2])) })],
      ['POST', new RegExp(`${acc}/IncomingPhoneNumbers/${id}$`), (m, _q, body) => this.updateNumber(m[2], body())],
      ...queueRoutes(engine, this.render, acc, id),
      ...messageRoutes(engine, this.render, acc, id),
    ];
  }

  handle(req: RestRequest): RestResponse {
    try {
      const url = new URL(req.url, 'http://simulator');
      const path = url.pathname.startsWith(this.basePath) ? url.pathname.slice(this.basePath.length) : url.pathname;
      const matches = this.routes.map(([method, re, route]) => ({ method, m: path.match(re), route })).filter((r) => r.m);
      if (matches.length === 0) throw new SimulatorError(404, `no resource at ${url.pathname}`);
      this.authorize(req.headers.authorization, matches[0].m![1]);
      const match = matches.find((r) => r.method === req.method.toUpperCase());
      if (!match) throw new SimulatorError(405, `${req.method} is not allowed on ${url.pathname}; allowed: ${matches.map((r) => r.method).join(', ')}`);
      const result = match.route(match.m!, url.searchParams, () => parseJson(req.body));
      if (result.json === undefined) return { status: result.status, headers: {} };
      return { status: result.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result.json) };
    } catch (e) {
      if (!(e instanceof SimulatorError)) {
        this.engine.trace(`internal error on ${req.method} ${req.url}: ${(e as Error).stack}`);
        return this.error(new SimulatorError(500, (e as Error).message));
      }
      return this.error(e);
    }
  }

  private error(e: SimulatorError): RestResponse {
    if (this.engine.has('error-body-missing')) return { status: e.status, headers: {} };
    const known = ERROR_CODES[e.status] ?? ERROR_CODES[500];
    const key = this.engine.variant('errorBodyKey');
    const body = { code: known.code, [key]: known.call, url: `https://docs.freeclimb.com/reference/error-and-warning-dictionary#${known.code}`, details: { ...e.details, reason: e.message } };
    return { status: e.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  }

  private authorize(header: string | string[] | undefined, pathAccount: string): void {
    if (this.engine.has('auth-not-enforced')) return;
    const value = Array.isArray(header) ? header[0] : header;
    const match = value?.match(/^Basic\s+(.+)$/i);
    const [user, ...rest] = match ? Buffer.from(match[1], 'base64').toString('utf8').split(':') : [];
    if (user !== this.credentials.accountId || rest.join(':') !== this.credentials.apiKey) {
      // Never echo what was sent: it may be a real key.
      throw new SimulatorError(401, value ? 'the account ID or API key is wrong' : 'no Authorization header (HTTP Basic: accountId:apiKey)');
    }
    if (pathAccount !== this.credentials.accountId) throw new SimulatorError(403, `these credentials are not authorized for account ${pathAccount}`);
  }

  // ------------------------------------------------------------ lookups

  private conference(id: string): ConferenceState {
    const conf = this.engine.state.conferences.get(id);
    if (!conf && this.engine.has('unknown-conference-500')) throw new SimulatorError(500, `conference ${id}: internal error (fault)`);
    return found(conf, `conference ${id} not found`);
  }
  /** What GET shows; under `terminated-deleted` a terminated conference is gone. */
  private visibleConference(id: string): ConferenceState {
    const conf = this.conference(id);
    if (this.engine.has('terminated-deleted') && conf.status === 'terminated') throw new SimulatorError(404, `conference ${id} not found (fault)`);
    return conf;
  }
  private participant(confId: string, callId: string) {
    return found(this.conference(confId).participants.get(callId), `call ${callId} is not a participant of conference ${confId}`);
  }
  private call(id: string) {
    return found(this.engine.state.calls.get(id), `call ${id} not found`);
  }
  private recording(id: string) {
    const recording = this.engine.has('recording-not-readable') ? undefined : this.engine.state.recordings.get(id);
    return found(recording, `recording ${id} not found`);
  }
  private application(id: string) {
    return found(this.engine.state.applications.get(id), `application ${id} not found`);
  }
  private number(id: string) {
    return found(this.engine.state.numbers.get(id), `incoming number ${id} not found`);
  }

  // ------------------------------------------------------------ conferences

  private createConference(raw: unknown) {
    const req = validate(CreateConferenceRequest, raw);
    const conf = this.engine.createConference(req);
    const json: Json = this.render.conference(conf);
    if (this.engine.has('create-returns-no-id')) delete json.conferenceId;
    return { status: Number(this.engine.variant('restCreateStatus')), json };
  }

  private listConferences(q: URLSearchParams) {
    const status = q.get('status');
    const alias = q.get('alias');
    let items = [...this.engine.state.conferences.values()].reverse();
    if (this.engine.has('terminated-deleted')) items = items.filter((c) => c.status !== 'terminated');
    if (status && !this.engine.has('list-ignores-status-filter')) items = items.filter((c) => this.render.conference(c).status === status);
    if (alias) items = items.filter((c) => c.alias === alias);
    const path = `/Accounts/${this.engine.state.accountId}/Conferences`;
    return { status: 200, json: this.render.page('conferences', path, items.map((c) => this.render.conference(c)), q) };
  }

  private updateConference(conf: ConferenceState, raw: unknown) {
    const req = validate(UpdateConferenceRequest, raw);
    if (conf.status === 'terminated') {
      if (!this.engine.has('terminated-accepts-updates')) throw new SimulatorError(409, `conference ${conf.conferenceId} is terminated and cannot be changed`);
      conf.status = 'empty';
    }
    if (req.alias !== undefined) conf.alias = req.alias;
    if (req.playBeep !== undefined) conf.playBeep = req.playBeep;
    touch(conf, this.engine.now);
    // What status "empty" does is not documented (§2.1); the simulator accepts it and changes nothing.
    if (req.status === 'terminated') this.engine.terminate(conf);
    if (req.status === 'terminated' && this.engine.has('terminate-answers-200')) return { status: 200, json: this.render.conference(conf) };
    return { status: 204 };
  }

  private listParticipants(conf: ConferenceState, q: URLSearchParams) {
    let items = this.engine.has('participant-list-stale') ? [...conf.participants.values()] : this.engine.activeParticipants(conf);
    for (const flag of ['talk', 'listen', 'dtmfPassThrough'] as const) {
      const v = q.get(flag);
      if (v !== null) items = items.filter((p) => String(p[flag]) === v);
    }
    const path = `/Accounts/${this.engine.state.accountId}/Conferences/${conf.conferenceId}/Participants`;
    return { status: 200, json: this.render.page('participants', path, items.reverse().map((p) => this.render.participant(p)), q) };
  }

  private updateParticipant(confId: string, callId: string, raw: unknown) {
    const p = this.participant(confId, callId);
    const req = validate(UpdateParticipantRequest, raw);
    if (this.engine.has('participant-update-ignored')) return { status: 200, json: this.render.participant(p) };
    Object.assign(p, Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined)));
    touch(p, this.engine.now);
    return { status: 200, json: this.render.participant(p) };
  }

  private removeParticipant(confId: string, callId: string) {
    this.participant(confId, callId);
    const call = this.call(callId);
    if (call.conferenceId === confId) this.engine.leave(call, 'removed');
    return { status: 204 };
  }

  // ------------------------------------------------------------ calls

  private makeCall(raw: unknown) {
    const call = this.engine.makeCall(validate(MakeCallRequest, raw));
    return { status: Number(this.engine.variant('makeCallStatus')), json: this.render.call(call) };
  }

  private listCalls(q: URLSearchParams) {
    let items = [...this.engine.state.calls.values()].reverse();
    const status = q.get('status');
    if (q.get('active') === 'true') items = items.filter((c) => ['queued', 'ringing', 'inProgress'].includes(c.status));
    if (status) items = items.filter((c) => c.status === status);
    for (const key of ['to', 'from', 'parentCallId'] as const) {
      const v = q.get(key);
      if (v) items = items.filter((c) => c[key] === v);
    }
    const path = `/Accounts/${this.engine.state.accountId}/Calls`;
    return { status: 200, json: this.render.page('calls', path, items.map((c) => this.render.call(c)), q) };
  }

  private updateCall(id: string, raw: unknown) {
    const call = this.call(id);
    this.engine.updateCall(call, validate(UpdateCallRequest, raw).status);
    return { status: 202 };
  }

  // ------------------------------------------------------------ recordings

  private listRecordings(q: URLSearchParams, scope: { conferenceId?: string; callId?: string }) {
    const conferenceId = scope.conferenceId ?? q.get('conferenceId');
    const callId = scope.callId ?? q.get('callId');
    let items = [...this.engine.state.recordings.values()].reverse();
    if (conferenceId) items = items.filter((r) => r.conferenceId === conferenceId);
    if (callId) items = items.filter((r) => r.callId === callId);
    if (this.engine.has('recording-not-readable')) items = [];
    const path = `/Accounts/${this.engine.state.accountId}/Recordings`;
    return { status: 200, json: this.render.page('recordings', path, items.map((r) => this.render.recording(r)), q) };
  }

  private deleteRecording(id: string) {
    this.recording(id);
    this.engine.state.recordings.delete(id);
    return { status: 204 };
  }

  private downloadRecording(id: string) {
    const r = this.recording(id);
    // Audio is out of scope; the body says what it stands for so nobody mistakes it for a WAV file.
    return { status: 200, json: { note: 'simulated recording: no audio', recordingId: r.recordingId, durationSec: r.durationSec } };
  }

  // ------------------------------------------------------------ applications and numbers

  private createApplication(raw: unknown) {
    const req = validate(ApplicationRequest, raw);
    const app = {
      ...stamp(this.engine.now),
      applicationId: newId('AP'),
      alias: req.alias ?? null,
      voiceUrl: req.voiceUrl ?? null,
      voiceFallbackUrl: req.voiceFallbackUrl ?? null,
      callConnectUrl: req.callConnectUrl ?? null,
      statusCallbackUrl: req.statusCallbackUrl ?? null,
      smsUrl: req.smsUrl ?? null,
      smsFallbackUrl: req.smsFallbackUrl ?? null,
    };
    this.engine.state.applications.set(app.applicationId, app);
    return { status: 201, json: this.render.application(app) };
  }

  private listApplications(q: URLSearchParams) {
    const alias = q.get('alias');
    const items = [...this.engine.state.applications.values()].filter((a) => !alias || a.alias === alias).reverse();
    const path = `/Accounts/${this.engine.state.accountId}/Applications`;
    return { status: 200, json: this.render.page('applications', path, items.map((a) => this.render.application(a)), q) };
  }

  private updateApplication(id: string, raw: unknown) {
    const app = this.application(id);
    const req = validate(ApplicationRequest, raw);
    Object.assign(app, Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined)));
    touch(app, this.engine.now);
    return { status: 200, json: this.render.application(app) };
  }

  private deleteApplication(id: string) {
    this.application(id);
    this.engine.state.applications.delete(id);
    return { status: 204 };
  }

  private listNumbers(q: URLSearchParams) {
    let items = [...this.engine.state.numbers.values()];
    const phone = q.get('phoneNumber');
    const appId = q.get('applicationId');
    if (phone) items = items.filter((n) => safeRegex(phone).test(n.phoneNumber));
    if (appId) items = items.filter((n) => n.applicationId === appId);
    if (q.get('hasApplication') === 'true') items = items.filter((n) => n.applicationId);
    const path = `/Accounts/${this.engine.state.accountId}/IncomingPhoneNumbers`;
    return { status: 200, json: this.render.page('incomingPhoneNumbers', path, items.map((n) => this.render.number(n)), q) };
  }

  private updateNumber(id: string, raw: unknown) {
    const n = this.number(id);
    const req = validate(IncomingNumberRequest, raw);
    if (req.applicationId !== undefined) {
      if (req.applicationId !== null) this.application(req.applicationId);
      n.applicationId = req.applicationId;
    }
    if (req.alias !== undefined) n.alias = req.alias;
    touch(n, this.engine.now);
    return { status: 200, json: this.render.number(n) };
  }
}

function parseJson(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new SimulatorError(400, `request body is not JSON: ${(e as Error).message}`);
  }
}

function safeRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    return { test: (s: string) => s === pattern } as RegExp;
  }
}

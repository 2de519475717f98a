// A scripted stand-in for FreeClimb, just big enough to hold conversations with the app before
// the real gate exists: it signs webhooks, follows the PerCL the app answers with, keeps
// conferences, and plays each documented reading the app must cope with (`reading` below uses
// the gate's variant names). Every non-2xx answer, refused connection or invalid script is
// recorded in `failures`, which is what the gate's per-webhook checks would report.
import http from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';
import { perclProblems } from './percl-check.mjs';

export const DEFAULT_READING = {
  creationCallback: 'createConference',
  perclCreationOrder: 'actionUrlFirst',
  startModeratorFirstJoin: 'populatedThenInProgress',
  recordingReport: 'separateWebhook',
  recordingRequestType: 'conferenceRecordingStatus',
  terminateEmpty: 'terminatedOnly',
  callControlRequestType: 'callControl',
  callStatusConferenceId: 'null',
  // A Redirect that is the only command replays the previous request (§5.3): its requestType may
  // be the original one instead of redirect.
  redirectRequestType: 'redirect',
};

const id = (prefix) => prefix + randomBytes(20).toString('hex');

export function sign(raw, secret, t = Math.floor(Date.now() / 1000)) {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex')}`;
}

export class FakeFreeClimb {
  constructor({ appUrl, secret, accountId, reading = {} }) {
    this.appUrl = appUrl;
    this.secret = secret;
    this.accountId = accountId;
    this.reading = { ...DEFAULT_READING, ...reading };
    this.failures = [];
    this.calls = new Map();
    this.conferences = new Map();
    this.restRequests = [];
    this.pendingTerminations = [];
  }

  // ------------------------------------------------------------------ transport

  async send(url, body, { signature = 'good' } = {}) {
    const raw = JSON.stringify(body);
    const headers = { 'content-type': 'application/json' };
    if (signature === 'good') headers['freeclimb-signature'] = sign(raw, this.secret);
    if (signature === 'forged') headers['freeclimb-signature'] = sign(raw, `${this.secret}-not`);
    if (signature === 'stale') headers['freeclimb-signature'] = sign(raw, this.secret, Math.floor(Date.now() / 1000) - 600);
    const what = `${body.requestType} → ${new URL(url).pathname}`;
    let res;
    try {
      res = await fetch(url, { method: 'POST', headers, body: raw });
    } catch (e) {
      this.failures.push(`${what}: no answer (${e.cause?.code ?? e.message})`);
      return { status: 0, script: null };
    }
    const text = await res.text();
    await this.drainRest();
    if (signature !== 'good') return { status: res.status, text, script: null };
    if (res.status < 200 || res.status > 299) {
      this.failures.push(`${what}: HTTP ${res.status}`);
      return { status: res.status, script: null };
    }
    if (res.status === 204 || text.trim() === '') return { status: res.status, script: [] };
    let script;
    try {
      script = JSON.parse(text);
    } catch {
      this.failures.push(`${what}: answer is not JSON`);
      return { status: res.status, script: null };
    }
    const problems = perclProblems(script);
    if (problems.length) {
      this.failures.push(`${what}: invalid PerCL: ${problems.join('; ')}`);
      return { status: res.status, script: null };
    }
    return { status: res.status, script };
  }

  std(call, conferenceId = null) {
    return {
      accountId: this.accountId,
      callId: call?.callId ?? null,
      from: call?.from ?? null,
      to: call?.to ?? null,
      callStatus: call ? (call.ended ? 'completed' : 'inProgress') : null,
      direction: 'inbound',
      conferenceId,
      queueId: null,
    };
  }

  // ------------------------------------------------------------------ calls and PerCL

  async callIn(name, from = '+15550100001') {
    const call = { name, callId: id('CA'), from, to: '+15550109999', heard: [], collecting: null, conferenceId: null, lastConferenceId: null, ended: false };
    this.calls.set(name, call);
    const answer = await this.send(`${this.appUrl}/voice`, { ...this.std(call), callStatus: 'ringing', requestType: 'inboundCall', parentCallId: null });
    await this.runAnswer(call, answer);
    return call;
  }

  async runAnswer(call, answer) {
    if (call.ended) return;
    if (!answer.script) return this.end(call, answer.status ? 'appInvalidPercl' : 'webhookFailed');
    for (const command of answer.script) {
      const [name] = Object.keys(command);
      const a = command[name];
      switch (name) {
        case 'Say':
          call.heard.push(a.text);
          continue;
        case 'Play':
        case 'Pause':
          continue;
        case 'Hangup':
          return this.end(call, 'appHangup');
        case 'GetDigits':
          for (const p of a.prompts ?? []) if (p.Say) call.heard.push(p.Say.text);
          call.collecting = a;
          return;
        case 'Redirect':
          return this.runAnswer(call, await this.send(a.actionUrl, { ...this.std(call), requestType: this.reading.redirectRequestType, parentCallId: null }));
        case 'CreateConference':
          return this.createConference(call, a);
        case 'AddToConference':
          return this.join(call, a);
        case 'TerminateConference':
          return call.conferenceId && this.terminate(call.conferenceId);
        default:
          this.failures.push(`${call.name}: the fake does not run ${name}`);
          return;
      }
    }
    if (!call.conferenceId) await this.end(call, 'appHangup'); // a script that runs out hangs up
  }

  async press(name, keys) {
    await this.runAnswer(this.calls.get(name), await this.pressOnly(name, keys));
  }

  /** Sends the getDigits webhook and returns the app's answer without running it yet. */
  async pressOnly(name, keys) {
    const call = this.calls.get(name);
    const g = call.collecting;
    if (!g) throw new Error(`${name} pressed "${keys}" but the app is not collecting digits (heard: ${call.heard.join(' | ')})`);
    call.collecting = null;
    const digits = g.finishOnKey ? keys.split(g.finishOnKey)[0] : keys;
    return this.send(g.actionUrl, { ...this.std(call), requestType: 'getDigits', digits, reason: 'finishKey', parentCallId: null });
  }

  /** The GetDigits timeout fires without a key. */
  async silence(name) {
    const call = this.calls.get(name);
    const g = call.collecting;
    if (!g) throw new Error(`${name} is not being asked for digits`);
    call.collecting = null;
    await this.runAnswer(call, await this.send(g.actionUrl, { ...this.std(call), requestType: 'getDigits', digits: '', reason: 'timeout', parentCallId: null }));
  }

  async hangup(name) {
    const call = this.calls.get(name);
    if (call.ended) return;
    call.collecting = null;
    if (call.conferenceId) await this.leave(call);
    await this.end(call, 'farEndHangup');
  }

  async end(call, reason) {
    if (call.ended) return;
    const conferenceId = this.reading.callStatusConferenceId === 'conference' ? call.lastConferenceId : null;
    call.ended = true;
    call.endReason = reason;
    call.collecting = null;
    await this.send(`${this.appUrl}/status`, { ...this.std(call, conferenceId), callStatus: 'completed', requestType: 'callStatus', callEndedReason: reason });
  }

  // ------------------------------------------------------------------ conferences

  async createConference(call, a) {
    const conf = { conferenceId: id('CF'), status: 'empty', record: a.record === true, statusCallbackUrl: a.statusCallbackUrl, participants: new Map(), recordingSince: null };
    this.conferences.set(conf.conferenceId, conf);
    const action = async () =>
      this.runAnswer(call, await this.send(a.actionUrl, { ...this.std(call, conf.conferenceId), requestType: 'createConference' }));
    const status = async () =>
      this.status(conf, 'empty', call, { requestType: this.reading.creationCallback, recordingUrl: null, recordingId: null, recordingDurationSec: null });
    if (this.reading.perclCreationOrder === 'actionUrlFirst') {
      await action();
      await status();
    } else {
      await status();
      await action();
    }
  }

  async status(conf, status, call, extra = {}) {
    conf.status = status;
    if (conf.statusCallbackUrl) await this.send(conf.statusCallbackUrl, { ...this.std(call, conf.conferenceId), requestType: 'conferenceStatus', status, ...extra });
  }

  async join(call, a) {
    const conf = this.conferences.get(a.conferenceId);
    if (!conf || conf.status === 'terminated') {
      call.joinRefused = `AddToConference ${a.conferenceId}: ${conf ? 'terminated' : 'no such conference'}`;
      return this.end(call, 'perclProcessingError');
    }
    conf.participants.set(call.callId, { call, attrs: a });
    call.conferenceId = call.lastConferenceId = conf.conferenceId;
    const starts = (a.startConfOnEnter ?? true) && conf.status !== 'inProgress';
    const transitions = [];
    if (conf.status === 'empty' && !(starts && this.reading.startModeratorFirstJoin === 'inProgressOnly')) transitions.push('populated');
    if (starts) transitions.push('inProgress');
    for (const s of transitions) {
      await this.status(conf, s, call);
      if (s === 'inProgress' && conf.record && conf.recordingSince === null) conf.recordingSince = Date.now();
    }
    if (a.notificationUrl) await this.send(a.notificationUrl, { ...this.std(call, conf.conferenceId), requestType: 'addToConferenceNotification' });
  }

  async leave(call) {
    const conf = this.conferences.get(call.conferenceId);
    const p = conf.participants.get(call.callId);
    conf.participants.delete(call.callId);
    call.conferenceId = null;
    if (p.attrs.leaveConferenceUrl) await this.send(p.attrs.leaveConferenceUrl, { ...this.std(call, conf.conferenceId), requestType: 'leaveConference' });
    if (conf.participants.size === 0) await this.emptied(conf, call);
  }

  /** The last participant left: `empty`, and the recording report in the reading's shape (§6.10). */
  async emptied(conf, call) {
    const recording = conf.recordingSince === null ? null : { recordingId: id('RE'), recordingUrl: `https://recordings.invalid/${conf.conferenceId}`, recordingDurationSec: 1 };
    conf.recordingSince = null;
    const onEmpty = recording && this.reading.recordingReport !== 'separateWebhook' ? recording : {};
    await this.status(conf, 'empty', call, onEmpty);
    if (recording && this.reading.recordingReport !== 'fieldsOnEmpty') {
      await this.send(conf.statusCallbackUrl, { ...this.std(undefined, conf.conferenceId), requestType: this.reading.recordingRequestType, status: 'empty', ...recording });
    }
  }

  async terminate(conferenceId) {
    const conf = this.conferences.get(conferenceId);
    if (!conf || conf.status === 'terminated') return;
    const wasActive = conf.participants.size > 0;
    const people = [...conf.participants.values()].map((p) => p.call);
    conf.participants.clear();
    for (const call of people) {
      call.conferenceId = null;
      await this.end(call, 'conferenceTerminated');
    }
    if (wasActive) await this.emptied(conf, undefined);
    else if (this.reading.terminateEmpty === 'emptyThenTerminated') await this.status(conf, 'empty', undefined);
    await this.status(conf, 'terminated', undefined);
  }

  /** A participant keys its callControlSequence. */
  async callControl(name, digits) {
    const call = this.calls.get(name);
    const conf = this.conferences.get(call.conferenceId);
    const { attrs } = conf.participants.get(call.callId);
    if (!attrs.allowCallControl || attrs.callControlSequence !== digits) throw new Error(`${name}: "${digits}" is not this participant's call-control sequence`);
    const body = { requestType: this.reading.callControlRequestType, callId: call.callId, accountId: this.accountId, conferenceId: conf.conferenceId, digits };
    await this.runAnswer(call, await this.send(attrs.callControlUrl, body));
  }

  // ------------------------------------------------------------------ the app's REST calls

  /** A REST server for the app's own requests; terminations run after the webhook that asked for them. */
  async listenRest(apiKey) {
    const expectedAuth = `Basic ${Buffer.from(`${this.accountId}:${apiKey}`).toString('base64')}`;
    this.rest = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        this.restRequests.push({ method: req.method, path: req.url, body: raw });
        if (req.headers.authorization !== expectedAuth) {
          this.failures.push(`REST ${req.method} ${req.url}: bad credentials`);
          res.writeHead(401).end();
          return;
        }
        const list = new RegExp(`^/Accounts/${this.accountId}/Conferences/(CF[0-9a-f]+)/Participants$`).exec(req.url);
        if (req.method === 'GET' && list && this.conferences.has(list[1])) {
          const participants = [...this.conferences.get(list[1]).participants.values()].map((p) => ({ callId: p.call.callId, conferenceId: list[1] }));
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ participants }));
          return;
        }
        const m = new RegExp(`^/Accounts/${this.accountId}/Conferences/(CF[0-9a-f]+)$`).exec(req.url);
        if (req.method === 'POST' && m && JSON.parse(raw || '{}').status === 'terminated') {
          this.pendingTerminations.push(m[1]);
          res.writeHead(204).end();
          return;
        }
        this.failures.push(`REST ${req.method} ${req.url}: not served by the fake`);
        res.writeHead(404).end();
      });
    });
    await new Promise((resolve) => this.rest.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${this.rest.address().port}`;
  }

  async drainRest() {
    while (this.pendingTerminations.length) await this.terminate(this.pendingTerminations.shift());
  }

  close() {
    this.rest?.close();
  }
}

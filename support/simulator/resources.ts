// Renders simulator state as the REST resources of reference §3, typed by the zod schemas so the
// simulator cannot drift from what the harness validates.
import type {
  ApplicationResult,
  CallResult,
  ConferenceResult,
  IncomingNumberResult,
  PaginationFields,
  ParticipantResult,
  RecordingResult,
} from '../schemas/rest';
import type { MessageResult } from '../schemas/rest-messages';
import type { QueueMember, QueueResult } from '../schemas/rest-queues';
import type { Engine } from './engine';
import { rfc1123 } from './ids';
import type {
  ApplicationState,
  CallState,
  ConferenceState,
  NumberState,
  MessageState,
  ParticipantState,
  QueueMemberState,
  QueueState,
  RecordingState,
  Stamped,
} from './state';

const PAGE_SIZE = 100;

export class ResourceRenderer {
  constructor(private readonly engine: Engine) {}

  private get base(): string {
    return `/Accounts/${this.engine.state.accountId}`;
  }

  private common(uri: string, r: Stamped) {
    return { uri, dateCreated: rfc1123(r.created), dateUpdated: rfc1123(r.updated), revision: r.revision };
  }

  conference(c: ConferenceState): ConferenceResult {
    const uri = `${this.base}/Conferences/${c.conferenceId}`;
    return {
      ...this.common(uri, c),
      conferenceId: c.conferenceId,
      accountId: this.engine.state.accountId,
      alias: c.alias,
      playBeep: c.playBeep,
      record: c.record,
      status: this.engine.has('stale-rest-status') ? c.initialStatus : c.status,
      waitUrl: c.waitUrl,
      actionUrl: c.actionUrl,
      statusCallbackUrl: c.statusCallbackUrl,
      subresourceUris: { participants: `${uri}/Participants`, recordings: `${uri}/Recordings` },
    };
  }

  participant(p: ParticipantState): ParticipantResult {
    return {
      ...this.common(`${this.base}/Conferences/${p.conferenceId}/Participants/${p.callId}`, p),
      accountId: this.engine.state.accountId,
      conferenceId: p.conferenceId,
      callId: p.callId,
      talk: p.talk,
      listen: p.listen,
      dtmfPassThrough: p.dtmfPassThrough,
      startConfOnEnter: p.startConfOnEnter,
    };
  }

  call(c: CallState): CallResult {
    const uri = `${this.base}/Calls/${c.callId}`;
    // duration and connectDuration are empty for busy, failed and unanswered calls (§3.4).
    const ended = c.endTime !== null && c.status !== 'busy' && c.status !== 'failed' && c.status !== 'noAnswer';
    return {
      ...this.common(uri, c),
      callId: c.callId,
      parentCallId: c.parentCallId,
      accountId: this.engine.state.accountId,
      from: c.from,
      to: c.to,
      phoneNumberId: c.phoneNumberId,
      status: c.status,
      startTime: c.startTime === null ? null : rfc1123(c.startTime),
      connectTime: c.connectTime === null ? null : rfc1123(c.connectTime),
      endTime: c.endTime === null ? null : rfc1123(c.endTime),
      duration: ended && c.startTime !== null ? Math.ceil((c.endTime! - c.startTime) / 1000) : null,
      connectDuration: ended && c.connectTime !== null ? Math.ceil((c.endTime! - c.connectTime) / 1000) : null,
      direction: c.direction,
      answeredBy: c.answeredBy ?? null,
      subresourceUris: { recordings: `${uri}/Recordings` },
      applicationId: c.applicationId,
    };
  }

  recording(r: RecordingState): RecordingResult {
    return {
      ...this.common(`${this.base}/Recordings/${r.recordingId}`, r),
      recordingId: r.recordingId,
      accountId: this.engine.state.accountId,
      callId: r.callId,
      conferenceId: r.conferenceId,
      durationSec: r.durationSec,
    };
  }

  application(a: ApplicationState): ApplicationResult {
    return {
      ...this.common(`${this.base}/Applications/${a.applicationId}`, a),
      accountId: this.engine.state.accountId,
      applicationId: a.applicationId,
      alias: a.alias,
      voiceUrl: a.voiceUrl,
      voiceFallbackUrl: a.voiceFallbackUrl,
      callConnectUrl: a.callConnectUrl,
      statusCallbackUrl: a.statusCallbackUrl,
      smsUrl: a.smsUrl,
      smsFallbackUrl: a.smsFallbackUrl,
    };
  }

  number(n: NumberState): IncomingNumberResult {
    return {
      ...this.common(`${this.base}/IncomingPhoneNumbers/${n.phoneNumberId}`, n),
      phoneNumberId: n.phoneNumberId,
      accountId: this.engine.state.accountId,
      applicationId: n.applicationId,
      phoneNumber: n.phoneNumber,
      alias: n.alias,
      region: null,
      country: 'US',
      capabilities: { voice: true, sms: false, tollFree: false, tenDLC: false, shortCode: false },
    };
  }

  message(m: MessageState): MessageResult {
    return {
      ...this.common(`${this.base}/Messages/${m.messageId}`, m),
      accountId: this.engine.state.accountId,
      messageId: m.messageId,
      status: m.status,
      from: m.from,
      to: m.to,
      text: m.text,
      direction: m.direction,
      notificationUrl: m.notificationUrl,
      segmentCount: 1,
      phoneNumberId: m.phoneNumberId,
      applicationId: m.applicationId,
    };
  }

  queue(q: QueueState): QueueResult {
    const uri = `${this.base}/Queues/${q.queueId}`;
    const removals = q.removalSecs;
    return {
      ...this.common(uri, q),
      accountId: this.engine.state.accountId,
      queueId: q.queueId,
      alias: q.alias,
      maxSize: q.maxSize,
      currentSize: q.members.length,
      averageQueueRemovalTime: removals.length ? Math.round(removals.reduce((a, b) => a + b, 0) / removals.length) : 0,
      subresourceUris: { members: `${uri}/Members` },
    };
  }

  queueMember(q: QueueState, m: QueueMemberState): QueueMember {
    return {
      uri: `${this.base}/Queues/${q.queueId}/Members/${m.callId}`,
      callId: m.callId,
      waitTime: Math.floor((this.engine.now - m.enqueued) / 1000),
      position: this.engine.queues.position(q, m.callId),
      dateEnqueued: rfc1123(m.enqueued),
    };
  }

  /**
   * A page of a list, newest first (CLI docs, §1.5). `nextPageUri` is relative to /apiserver so
   * that both SDKs can append it to their base URL.
   */
  page<K extends string, T>(key: K, path: string, items: T[], query: URLSearchParams): PaginationFields & Record<K, T[]> {
    const page = Math.max(0, Number.parseInt(query.get('page') ?? '0', 10) || 0);
    const total = items.length;
    const numPages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const slice = items.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    const next = new URLSearchParams(query);
    next.set('page', String(page + 1));
    return {
      total,
      start: page * PAGE_SIZE,
      end: page * PAGE_SIZE + Math.max(0, slice.length - 1),
      page,
      numPages,
      pageSize: slice.length,
      nextPageUri: page + 1 < numPages ? `${path}?${next.toString()}` : null,
      [key]: slice,
    } as PaginationFields & Record<K, T[]>;
  }
}

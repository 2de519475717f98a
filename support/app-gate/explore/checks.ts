// The invariants' checks, on a snapshot of the run taken after each action: the conversation so
// far (the gate's own entries) and how the simulator's calls and conferences stand. Pure, so the
// unit tests feed them snapshots; the Watch keeps what must be remembered between two actions
// (when a caller became alone, which violations were already reported).
import type { ConversationEntry } from '../../schemas/conversation';
import type { InvariantCode } from '../../schemas/explore';
import type { Limits } from './invariants';

export interface CallView {
  callId: string;
  direction: 'inbound' | 'outboundAPI' | 'outboundDial';
  status: string;
  endedReason: string | null;
  endTime: number | null;
  parentCallId: string | null;
  conferenceId: string | null;
  /** The person's name in the sequence (c1, person1), if known. */
  name?: string;
}

export interface ConferenceView {
  conferenceId: string;
  status: string;
  participants: number;
}

export interface Snapshot {
  entries: readonly ConversationEntry[];
  calls: readonly CallView[];
  conferences: readonly ConferenceView[];
  death?: string;
  /** Virtual milliseconds. */
  now: number;
}

export interface Violation {
  code: InvariantCode;
  where: string;
  message: string;
  /** Entry indexes to mark red in the diagram. */
  entries: number[];
  /** The caller the violation is about, for a "Then … call ends" in the written feature. */
  caller?: string;
}

/** Ended reasons with which the platform ends a call because of the app (§3.4). */
export const APP_ERROR_ENDINGS = ['perclProcessingError', 'maxRedirectsError', 'webhookFailed', 'webhookInvalidResponse', 'appInvalidPercl'];
const NOT_CONNECTED = ['noAnswer', 'busy', 'failed'];
const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);
const pathOf = (url: string) => {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0];
  }
};

/** Conference ids a PerCL answer's commands name. */
export function conferenceIdsOf(answer: string | undefined): string[] {
  if (!answer) return [];
  try {
    const doc = JSON.parse(answer) as unknown;
    if (!Array.isArray(doc)) return [];
    return doc.flatMap((command) => Object.values(command as Record<string, { conferenceId?: unknown }>).map((attrs) => attrs?.conferenceId)).filter((id): id is string => typeof id === 'string');
  } catch {
    return [];
  }
}

export class Watch {
  private readonly reported = new Set<string>();
  private checkedEntries = 0;
  /** conferenceId → the most participants seen, and since when (virtual ms) only one is left. */
  private readonly rooms = new Map<string, { most: number; aloneSince?: number }>();
  /** Calls whose webhook already broke webhook-2xx or valid-percl: their platform ending is that finding, not another. */
  private readonly explained = new Set<string>();

  constructor(private readonly limits: Limits) {}

  check(s: Snapshot): Violation[] {
    const found: Violation[] = [];
    const add = (v: Violation) => {
      const key = `${v.code}@${v.where}@${v.caller ?? ''}`;
      if (this.reported.has(key)) return;
      this.reported.add(key);
      found.push(v);
    };
    const from = this.checkedEntries;
    this.checkedEntries = s.entries.length;
    const explained = this.explained;
    s.entries.forEach((e, i) => {
      if (i < from) return;
      if (e.kind === 'webhook') {
        const where = `${e.requestType} ${pathOf(e.url)}`;
        if (e.status === undefined || e.error !== undefined || e.status < 200 || e.status > 299) {
          const got = e.error ?? (e.status === undefined ? 'no answer yet' : `HTTP ${e.status}`);
          if (e.callId) explained.add(e.callId);
          add({ code: 'webhook-2xx', where, message: `webhook #${e.seq} ${where} got ${got}; every webhook needs a 2xx answer within the webhook timeout\n  request: ${clip(JSON.stringify(e.body))}`, entries: [i] });
        }
        if (e.problems.length) {
          if (e.callId) explained.add(e.callId);
          add({ code: 'valid-percl', where, message: `webhook #${e.seq} ${where} was answered with invalid PerCL: ${e.problems.map((p) => `${p.pointer || '(document)'} [${p.rule}] ${p.message}`).join('; ')}\n  answer: ${clip(e.answer ?? '')}`, entries: [i] });
        }
      }
      if (e.kind === 'rest') {
        const route = e.path.replace(/\/Accounts\/[^/]+/, '').replace(/\/(CF|CA|RE|QU|SM|AP|PN)[0-9a-zA-Z]+/g, '/{$1}');
        if (e.status === 400) add({ code: 'rest-well-formed', where: `${e.method} ${route}`, message: `the app sent a malformed REST request: ${e.method} ${e.path} → 400 ${e.error ?? ''}\n  request body: ${clip(e.requestBody) || '(empty)'}`, entries: [i] });
        const id = /\/Conferences\/(CF[0-9a-zA-Z]+)/.exec(e.path)?.[1];
        const conference = id ? s.conferences.find((c) => c.conferenceId === id) : undefined;
        // Terminating a conference someone else terminated first is a harmless race, not a use of it.
        const terminating = /"status"\s*:\s*"terminated"/.test(e.requestBody);
        if (id && e.status >= 400 && (!conference || (conference.status === 'terminated' && !terminating))) {
          add({ code: 'conference-known', where: `${e.method} ${route}`, message: `the app used a conference it ${conference ? 'ended' : 'never had'}: ${e.method} ${e.path} → ${e.status} ${e.error ?? ''}`, entries: [i] });
        }
      }
    });
    if (s.death) add({ code: 'app-alive', where: 'process', message: s.death, entries: [] });
    for (const call of s.calls) {
      if (call.endTime === null || !call.endedReason || !APP_ERROR_ENDINGS.includes(call.endedReason) || explained.has(call.callId)) continue;
      // The answer that ended it: the call's last PerCL answer (its callStatus comes after the end).
      const last = lastIndex(s.entries, (e) => e.kind === 'webhook' && e.callId === call.callId && e.perclExpected && !!e.answer);
      const answer = last >= 0 ? (s.entries[last] as { answer?: string }).answer : undefined;
      const bad = conferenceIdsOf(answer).map((id) => ({ id, conference: s.conferences.find((c) => c.conferenceId === id) })).find((c) => !c.conference || c.conference.status === 'terminated');
      const who = call.name ? `"${call.name}"'s call` : `call ${call.callId}`;
      if (bad && call.endedReason === 'perclProcessingError') {
        add({ code: 'conference-known', where: 'PerCL conferenceId', message: `the app used a conference it ${bad.conference ? 'ended' : 'never had'}: ${who} was sent to ${bad.id} (${bad.conference ? 'terminated' : 'unknown'}), and FreeClimb ended the call (perclProcessingError)\n  answer: ${clip(answer ?? '')}`, entries: last >= 0 ? [last] : [], caller: call.name });
      } else {
        add({ code: 'platform-ended-call', where: call.endedReason, message: `${who} was ended by the platform (${call.endedReason}) for an app error${answer ? `\n  last answer: ${clip(answer)}` : ''}`, entries: last >= 0 ? [last] : [], caller: call.name });
      }
    }
    this.checkWaiting(s, add);
    this.checkAlone(s, add);
    return found;
  }

  /** A caller whose OutDial did not connect, still on the line with nothing sent to it since. */
  private checkWaiting(s: Snapshot, add: (v: Violation) => void): void {
    for (const out of s.calls) {
      if (out.direction === 'inbound' || out.endTime === null || !out.parentCallId) continue;
      const outcome = NOT_CONNECTED.includes(out.status) ? out.status : out.endedReason === 'machineDetected' ? 'machine' : undefined;
      const parent = s.calls.find((c) => c.callId === out.parentCallId);
      if (!outcome || !parent || parent.endTime !== null || s.now - out.endTime < this.limits.waitingSec * 1000) continue;
      const since = s.entries.some((e) => e.kind === 'webhook' && e.callId === parent.callId && (e.virtualTime ?? 0) > out.endTime!);
      if (since) continue;
      const who = parent.name ? `"${parent.name}"` : `the caller (${parent.callId})`;
      add({ code: 'outdial-outcome-handled', where: outcome, message: `the app's OutDial to ${out.name ? `"${out.name}"` : out.callId} ended ${outcome}, and ${who} was left waiting ${Math.round((s.now - out.endTime) / 1000)} s with nothing sent to the call since (${parent.conferenceId ? `in conference ${parent.conferenceId}` : parent.status})`, entries: [], caller: parent.name });
    }
  }

  private checkAlone(s: Snapshot, add: (v: Violation) => void): void {
    for (const c of s.conferences) {
      const room = this.rooms.get(c.conferenceId) ?? { most: 0 };
      this.rooms.set(c.conferenceId, room);
      room.most = Math.max(room.most, c.participants);
      if (c.status === 'terminated' || c.participants !== 1 || room.most < 2) {
        room.aloneSince = undefined;
        continue;
      }
      room.aloneSince ??= s.now;
      if (s.now - room.aloneSince < this.limits.aloneSec * 1000) continue;
      const left = s.calls.find((call) => call.conferenceId === c.conferenceId && call.endTime === null);
      add({ code: 'caller-left-alone', where: 'conference', message: `${left?.name ? `"${left.name}"` : 'a caller'} stayed alone in conference ${c.conferenceId} for ${Math.round((s.now - room.aloneSince) / 1000)} s after the other party left (limit ${this.limits.aloneSec} s)`, entries: [], caller: left?.name });
    }
  }
}

function lastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}

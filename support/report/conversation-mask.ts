// Masks what differs between any two runs of a scenario, so that comparing a live conversation
// with a mock one shows only what the account and the simulator do differently. Ids (CA…, CF…,
// RE…: two capitals and 40 hex digits) and phone numbers become aliases in order of first
// appearance, so that "the same call" or "another conference" still compares; a caller's call is
// named after the caller, since the harness places callers in the scenario's order on both sides.
// Times and durations become `<time>`, hosts are dropped from URLs. Signatures are headers, which
// conversations do not keep.
import type { Conversation, WebhookExchange } from '../schemas/conversation';
import type { MaskedWebhook } from './conversation-diff-schema';

const ID = /\b([A-Z]{2})[0-9a-f]{40}\b/g;
const PHONE = /^\+\d{6,15}$/;
const ORIGIN = /\bhttps?:\/\/[^/\s"'?#]+/g;
/** Fields whose value is a moment or a length of time, which no two runs share. */
const TIME_FIELD = /^(time|date|timestamps?|duration|elapsed)$|[a-z](Time|Date|Timestamps?|Duration|Sec|Ms)$/;

export const MASKED_TEXT =
  'ids (two capitals and 40 hex digits) and phone numbers are aliased in order of first appearance (a caller\'s call as "call of <name>", its own number as "<number of name>", since live every caller calls from number A); fields named like a time, date or duration are <time>; hosts are dropped from URLs; only webhooks the app received are compared, in order within each call (calls interleave by timing, which differs between a real account and the simulator)';

/** Aliases for one conversation. */
export class Masker {
  private readonly ids = new Map<string, string>();
  private readonly phones = new Map<string, string>();
  private readonly counts = new Map<string, number>();

  constructor(conversation: Pick<Conversation, 'callers'>) {
    for (const c of conversation.callers) this.ids.set(c.callId, `call of ${c.name}`);
  }

  private alias(map: Map<string, string>, value: string, prefix: string): string {
    let a = map.get(value);
    if (!a) {
      const n = (this.counts.get(prefix) ?? 0) + 1;
      this.counts.set(prefix, n);
      a = `${prefix}#${n}`;
      map.set(value, a);
    }
    return a;
  }

  /** A string with its ids aliased and URL hosts dropped. */
  text(value: string): string {
    if (PHONE.test(value)) return `<${this.alias(this.phones, value, 'number')}>`;
    return value.replace(ORIGIN, '').replace(ID, (id, prefix: string) => `<${this.alias(this.ids, id, prefix)}>`);
  }

  /** A field's value, masked, as JSON text (so `null`, `2` and `"2"` stay apart). */
  field(name: string, value: unknown): string {
    if (value !== null && value !== undefined && value !== '' && TIME_FIELD.test(name)) return '"<time>"';
    return JSON.stringify(this.deep(value)) ?? 'undefined';
  }

  private deep(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.deep(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, TIME_FIELD.test(k) && v !== null ? '<time>' : this.deep(v)]));
    return value;
  }

  /** The call a webhook is about, by alias. */
  callOf(w: Pick<WebhookExchange, 'callId'>): string {
    return w.callId ? this.text(w.callId).replace(/^<(.*)>$/, '$1') : 'no call';
  }
}

/** The webhooks the app received in a conversation, masked, in the conversation's order. */
export function maskedWebhooks(conversation: Conversation): MaskedWebhook[] {
  const m = new Masker(conversation);
  // A caller's own number: live, every caller calls from FREECLIMB_NUMBER_A (the diagram's note says
  // so), in mock mode from the number the step named; that is the harness's doing, not the platform's.
  const own = new Map(conversation.callers.map((c) => [c.callId, { number: c.from, masked: JSON.stringify(`<number of ${c.name}>`) }]));
  const field = (w: WebhookExchange, k: string) => (w.callId && own.get(w.callId)?.number === w.body[k] ? own.get(w.callId)!.masked : m.field(k, w.body[k]));
  return conversation.entries
    .filter((e): e is WebhookExchange => e.kind === 'webhook')
    .map((w) => ({
      seq: w.seq,
      requestType: w.requestType,
      path: m.text(w.url.replace(ORIGIN, '')) || '/',
      call: m.callOf(w),
      fields: Object.fromEntries(Object.keys(w.body).sort().map((k) => [k, field(w, k)])),
      answer: w.error ? `no answer (${w.error.replace(ORIGIN, '').replace(/:\d+\b/g, '')})` : w.status === undefined ? 'in flight' : `${w.status}${w.answerSummary === String(w.status) ? '' : ` ${w.answerSummary}`}`,
    }));
}

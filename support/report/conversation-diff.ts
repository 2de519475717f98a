// Compares the app's conversation with the real account against its conversation with the
// simulator in the same scenario (issue 24, item 5). Only the webhooks the app received count, each
// masked (conversation-mask.ts), call by call: within a call, order is the platform's; between calls
// it is timing, which a real account and a simulator do not share. Within a call, in four passes:
//   1. the longest common run of identical webhooks (same type, path, fields and answer) is "same";
//   2. an identical webhook left over on both sides was sent at another place: "order";
//   3. leftovers of the same type and path, paired in order, differ in fields: "field", one per field;
//   4. what is still left was sent by one side only: "only-live" or "only-mock".
import type { Conversation } from '../schemas/conversation';
import type { MaskedWebhook, WebhookDifference } from './conversation-diff-schema';
import { maskedWebhooks } from './conversation-mask';

const ANSWER = '(answer)';

const weakKey = (w: MaskedWebhook) => `${w.requestType} ${w.path}`;
const fullKey = (w: MaskedWebhook) => `${weakKey(w)}\u0000${JSON.stringify(w.fields)}\u0000${w.answer}`;

/** Indexes of a longest common subsequence of `a` and `b` by `key`, as pairs [i, j]. */
export function commonRun<T>(a: readonly T[], b: readonly T[], key: (x: T) => string): [number, number][] {
  const ka = a.map(key);
  const kb = b.map(key);
  const len: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) len[i][j] = ka[i] === kb[j] ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (ka[i] === kb[j]) (pairs.push([i, j]), i++, j++);
    else if (len[i + 1][j] >= len[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

function fieldDifferences(call: string, mock: MaskedWebhook, live: MaskedWebhook): WebhookDifference[] {
  const names = [...new Set([...Object.keys(mock.fields), ...Object.keys(live.fields)])].sort();
  const out: WebhookDifference[] = names
    .filter((n) => mock.fields[n] !== live.fields[n])
    .map((field) => ({ kind: 'field' as const, call, field, ...(field in mock.fields ? { mockValue: mock.fields[field] } : {}), ...(field in live.fields ? { liveValue: live.fields[field] } : {}), mock, live }));
  if (mock.answer !== live.answer) out.push({ kind: 'field', call, field: ANSWER, mockValue: mock.answer, liveValue: live.answer, mock, live });
  return out;
}

/** What came before webhook `i` of a call, in words. */
function before(seq: readonly MaskedWebhook[], i: number): string {
  return i === 0 ? 'first of the call' : `after ${weakKey(seq[i - 1])} (#${seq[i - 1].seq})`;
}

/** The differences between two sequences of webhooks of one call. */
export function compareCall(call: string, mock: readonly MaskedWebhook[], live: readonly MaskedWebhook[]): WebhookDifference[] {
  const out: WebhookDifference[] = [];
  const same = commonRun(mock, live, fullKey);
  const leftMock = new Set(mock.keys());
  const leftLive = new Set(live.keys());
  for (const [i, j] of same) (leftMock.delete(i), leftLive.delete(j));
  const pairUp = (key: (w: MaskedWebhook) => string, found: (i: number, j: number) => void) => {
    for (const j of [...leftLive]) {
      const i = [...leftMock].find((x) => key(mock[x]) === key(live[j]));
      if (i === undefined) continue;
      leftMock.delete(i);
      leftLive.delete(j);
      found(i, j);
    }
  };
  pairUp(fullKey, (i, j) => out.push({ kind: 'order', call, mock: mock[i], live: live[j], mockAfter: before(mock, i), liveAfter: before(live, j) }));
  pairUp(weakKey, (i, j) => out.push(...fieldDifferences(call, mock[i], live[j])));
  for (const i of leftMock) out.push({ kind: 'only-mock', call, mock: mock[i] });
  for (const j of leftLive) out.push({ kind: 'only-live', call, live: live[j] });
  // In the order a reader meets them: by the live side's place, else the mock side's.
  const at = (d: WebhookDifference) => ('live' in d ? live.indexOf(d.live) : mock.indexOf(d.mock) - 0.5);
  return out.sort((a, b) => at(a) - at(b));
}

/** Every difference between the app's live and mock conversations of one scenario, call by call. */
export function compareConversations(mock: Conversation, live: Conversation): { differences: WebhookDifference[]; mockWebhooks: number; liveWebhooks: number } {
  const m = maskedWebhooks(mock);
  const l = maskedWebhooks(live);
  const calls = [...new Set([...m, ...l].map((w) => w.call))];
  const differences = calls.flatMap((c) =>
    compareCall(
      c,
      m.filter((w) => w.call === c),
      l.filter((w) => w.call === c),
    ),
  );
  return { differences, mockWebhooks: m.length, liveWebhooks: l.length };
}

/** One line per difference, for the console, the Allure status message and the text attachment. */
export function describeDifference(d: WebhookDifference): string {
  // The statuses tell apart webhooks of one type (conferenceStatus populated, inProgress, empty).
  const w = (x: MaskedWebhook) => `${x.requestType} ${x.path}${['status', 'callStatus'].filter((f) => x.fields[f] && x.fields[f] !== 'null').map((f) => ` ${f}=${x.fields[f]}`).join('')} (#${x.seq})`;
  switch (d.kind) {
    case 'only-live':
      return `${d.call}: the account sent ${w(d.live)}, the simulator did not`;
    case 'only-mock':
      return `${d.call}: the simulator sent ${w(d.mock)}, the account did not`;
    case 'order':
      return `${d.call}: ${weakKey(d.live)} (live #${d.live.seq}, mock #${d.mock.seq}) came in another order: live ${d.liveAfter}, mock ${d.mockAfter}`;
    case 'field':
      return `${d.call}: ${w(d.live)} ${d.field === ANSWER ? "the app's answer" : d.field}: live ${d.liveValue ?? '(absent)'}, mock ${d.mockValue ?? '(absent)'} (mock #${d.mock.seq})`;
  }
}

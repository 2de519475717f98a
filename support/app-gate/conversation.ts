// Builds the conversation of one scenario from what the simulator recorded: the webhooks it sent
// to the app under test (with each answer judged as FreeClimb would judge it), the app's REST
// requests, and what the callers did and heard, in the order they happened.
import { validatePercl } from '../percl/validate';
import type { CallerEvent, ConversationEntry, RestExchange, WebhookExchange } from '../schemas/conversation';
import { answerIsRun, PERCL_EXPECTED, type RequestType } from '../schemas/webhooks';
import type { Delivery } from '../simulator';
import type { CallState } from '../simulator/state';
import type { AppRestRequest } from './gated-run';

export function webhookExchange(d: Delivery): WebhookExchange {
  // A connect webhook for a call that did not connect (noAnswer, busy) is a notification: FreeClimb
  // ignores its answer, so it is not judged as PerCL.
  const perclExpected = PERCL_EXPECTED.has(d.requestType as RequestType) && answerIsRun(d.requestType, d.body);
  const answer = d.answer ?? '';
  const ok2xx = d.status !== undefined && d.status >= 200 && d.status <= 299;
  let answerSummary: string;
  const problems: WebhookExchange['problems'] = [];
  if (d.error !== undefined) answerSummary = 'no answer';
  else if (d.status === undefined) answerSummary = 'in flight';
  else if (answer.trim() === '') answerSummary = String(d.status);
  else if (!perclExpected) answerSummary = `${d.status} (body ignored: notification)`;
  else if (!ok2xx) answerSummary = String(d.status);
  else {
    let doc: unknown;
    try {
      doc = JSON.parse(answer);
    } catch (e) {
      problems.push({ pointer: '', rule: 'json', message: `the answer is not JSON: ${(e as Error).message}` });
    }
    if (problems.length === 0) {
      const report = validatePercl(doc);
      for (const p of report.problems) if (p.severity === 'error') problems.push({ pointer: p.pointer, rule: p.rule, message: p.message });
      answerSummary = Array.isArray(doc) ? `[${doc.map(commandName).join(', ')}]` : 'not a PerCL array';
    } else answerSummary = 'not JSON';
  }
  return {
    kind: 'webhook',
    seq: d.seq,
    url: d.url,
    requestType: d.requestType,
    callId: typeof d.body.callId === 'string' ? d.body.callId : null,
    body: d.body,
    virtualTime: d.virtualTime,
    at: d.sentAt ?? 0,
    perclExpected,
    ...(d.status !== undefined ? { status: d.status } : {}),
    ...(d.answer !== undefined ? { answer: d.answer } : {}),
    ...(d.error !== undefined ? { error: d.error } : {}),
    ...(d.answerMs !== undefined ? { answerMs: d.answerMs } : {}),
    answerSummary,
    problems,
  };
}

export function restExchange(r: AppRestRequest): RestExchange {
  let error: string | undefined;
  if (r.status >= 400) {
    try {
      const body = JSON.parse(r.responseBody) as { details?: { reason?: string }; message?: string; call?: string };
      error = body.details?.reason ?? body.message ?? body.call;
    } catch {
      error = r.responseBody.slice(0, 300);
    }
  }
  return { kind: 'rest', seq: r.seq, method: r.method, path: r.url, status: r.status, requestBody: r.body, ...(error ? { error } : {}), virtualTime: r.virtualTime, at: r.at, ...(r.route ? { route: r.route } : {}) };
}

/** What the calls heard, as caller events named after the caller (or the call id). */
export function heardEvents(calls: readonly CallState[], nameOf: (callId: string) => string | undefined, since: number): CallerEvent[] {
  return calls.flatMap((call) =>
    (call.heard ?? [])
      .filter((h) => h.at >= since)
      .map((h) => ({
        kind: 'caller' as const,
        caller: nameOf(call.callId) ?? call.callId,
        callId: call.callId,
        action: 'hears' as const,
        detail: h.kind === 'say' ? `"${h.text}"` : `♪ ${h.text}`,
        virtualTime: h.virtualTime,
        at: h.at,
      })),
  );
}

export function ordered(entries: ConversationEntry[]): ConversationEntry[] {
  return [...entries].sort((a, b) => a.at - b.at);
}

export function describeEntry(e: ConversationEntry): string {
  switch (e.kind) {
    case 'webhook':
      return `#${e.seq} ${e.requestType} → ${e.url} : ${e.error ?? (e.status === undefined ? 'in flight, no answer yet' : `HTTP ${e.status}`)}${e.answerSummary === String(e.status) ? '' : ` ${e.answerSummary}`}${e.problems.length ? ` INVALID: ${e.problems.map((p) => `${p.pointer || '/'} ${p.rule}`).join('; ')}` : ''}`;
    case 'rest':
      return `app REST ${e.method} ${e.path} → ${e.status}${e.error ? ` (${e.error})` : ''}`;
    case 'caller':
      return `${e.caller} ${e.action}${e.detail ? ` ${e.detail}` : ''}`;
    case 'probe':
      return `probe ${e.description} → ${e.error ?? `HTTP ${e.status}`}`;
    case 'trigger':
      return `web ${e.method} ${e.path} → ${e.error ?? `HTTP ${e.status}`}`;
    case 'note':
      return `harness: ${e.text}`;
  }
}

function commandName(element: unknown): string {
  return typeof element === 'object' && element !== null && !Array.isArray(element) ? (Object.keys(element)[0] ?? '?') : '?';
}

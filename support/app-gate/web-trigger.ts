// Web triggers: a step sends the app a form or JSON POST, as a person's browser or another service
// would (click-to-call forms start calls this way). The request and its answer become a row of the
// conversation; an answer of 400 or above fails the step with the status and the body's first lines.
import http from 'node:http';
import type { TriggerExchange } from '../schemas/conversation';

export interface TriggerRequest {
  /** The app's base URL (HARNESS_APP_URL). */
  baseUrl: string;
  path: string;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  body: string;
  timeoutMs: number;
  virtualTime: number;
}

const BODY_LINES = 5;

/** A form body: URLSearchParams encodes `+` as %2B, so an E.164 number arrives with its plus. */
export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** The JSON text of a doc string, checked here so a typo fails with its position, not at the app. */
export function jsonBody(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    throw new Error(`the JSON for the app is not valid: ${(e as Error).message}\n${text}`);
  }
  return text;
}

export function sendTrigger(req: TriggerRequest): Promise<TriggerExchange> {
  const url = new URL(req.path, `${req.baseUrl}/`);
  const at = performance.now();
  const base = { kind: 'trigger' as const, method: 'POST', path: url.pathname + url.search, contentType: req.contentType, requestBody: req.body, virtualTime: req.virtualTime, at };
  return new Promise((resolve) => {
    // agent false: a new connection each time, so a trigger never meets one the app closed while idle.
    const r = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': req.contentType, 'content-length': Buffer.byteLength(req.body) }, timeout: req.timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ ...base, status: res.statusCode ?? 0, answer: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => resolve({ ...base, error: `reading the answer failed: ${e.message}` }));
    });
    r.on('timeout', () => r.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    r.on('error', (e) => resolve({ ...base, error: e.message }));
    r.end(req.body);
  });
}

/** Why the exchange fails the step, or undefined when the app took it (status below 400). */
export function triggerFailure(t: TriggerExchange, baseUrl: string): string | undefined {
  const where = `POST ${baseUrl}${t.path}`;
  if (t.error !== undefined) return `${where} failed: ${t.error}`;
  if ((t.status ?? 0) < 400) return undefined;
  const lines = (t.answer ?? '').split('\n').slice(0, BODY_LINES).join('\n').slice(0, 800);
  return `${where} answered ${t.status}${lines.trim() ? `:\n${lines}` : ' with an empty body'}`;
}

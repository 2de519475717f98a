// The evidence attached to every scenario in the Allure report: what the harness sent, what
// FreeClimb sent back, and the PerCL the app served. Everything passes through redact() first,
// because reports are shared and the API key must never reach them.
import type { CallbackRecord } from '../callbacks/receiver';
import { summarizeRecord } from '../callbacks/receiver';
import type { Exchange } from '../client/freeclimb-client';

export interface Attachment {
  name: string;
  mediaType: string;
  body: string;
}

export function buildEvidence(input: {
  exchanges: readonly Exchange[];
  records: readonly CallbackRecord[];
  backend: Record<string, unknown>;
  redact: (text: string) => string;
}): Attachment[] {
  const json = (name: string, value: unknown): Attachment => ({
    name,
    mediaType: 'application/json',
    body: input.redact(JSON.stringify(value, null, 2)),
  });
  const callbacks = input.records.map((r) => ({
    seq: r.seq,
    receivedAt: r.receivedAt,
    endpoint: r.endpoint,
    requestType: r.requestType ?? null,
    signature: r.signature,
    validation: r.validation,
    body: r.body ?? r.rawBody,
    answer: r.answer ?? null,
  }));
  const served = input.records.filter((r) => r.answer?.percl !== undefined).map((r) => ({ seq: r.seq, endpoint: r.endpoint, percl: r.answer!.percl, problems: r.answer!.problems }));
  return [
    { name: 'timeline.txt', mediaType: 'text/plain', body: input.redact(timeline(input.exchanges, input.records)) },
    json('rest-exchanges.json', input.exchanges),
    json('callbacks.json', callbacks),
    json('percl-served.json', served),
    json('backend.json', input.backend),
  ];
}

/** REST exchanges and callbacks merged by wall-clock time: the first thing to read on a failure. */
export function timeline(exchanges: readonly Exchange[], records: readonly CallbackRecord[]): string {
  const lines = [
    ...exchanges.map((e) => ({
      at: e.startedAt,
      text: `REST ${e.method} ${e.url.replace(/^https?:\/\/[^/]+/, '')} → ${e.status ?? e.error ?? '?'}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`,
    })),
    ...records.map((r) => ({ at: r.receivedAt, text: `HOOK ${summarizeRecord(r)}` })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return lines.map((l) => `${l.at.slice(11, 23)}  ${l.text}`).join('\n') || '(nothing happened)';
}

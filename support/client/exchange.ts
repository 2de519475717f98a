// The record of every HTTP attempt the client makes. Reports attach these; a scenario takes only
// its own with `mark()` / `exchangesSince(mark)`. Secrets never enter a record: the Authorization
// header is replaced, and any occurrence of the key (or the encoded credentials) in text is scrubbed.

export interface Exchange {
  /** Increasing per client; assigned when the attempt starts. */
  seq: number;
  /** ISO 8601 time the attempt started. */
  startedAt: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  /** Parsed JSON, or the text when it is not JSON; undefined when there is no body. */
  requestBody: unknown;
  /** Undefined when no response arrived (timeout, connection error). */
  status: number | undefined;
  /** Names lower-cased; empty when no response arrived. */
  responseHeaders: Record<string, string>;
  /** Parsed JSON when possible, else text; undefined when empty or no response. */
  responseBody: unknown;
  durationMs: number;
  /** 1 for the first try of a request, 2 for its first retry, … */
  attempt: number;
  error?: string;
  /** Set when the client waits and tries again: the delay before the next attempt. */
  retryInMs?: number;
}

export const REDACTED_AUTHORIZATION = 'Basic [redacted]';

/** Replaces every occurrence of the given secrets in text. */
export class Scrubber {
  // A closure rather than a property, so that logging or inspecting a client never prints the secrets.
  readonly text: (value: string) => string;

  constructor(secrets: string[]) {
    // A secret shorter than 6 characters would match ordinary text everywhere; such a value is not
    // a real API key, so it is left alone rather than mangling every record.
    const list = [...new Set(secrets.filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length);
    this.text = (value) => list.reduce((out, s) => out.split(s).join('[redacted]'), value);
  }
}

/** JSON when the text parses, the text itself otherwise, undefined when empty. */
export function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = name.toLowerCase() === 'authorization' ? REDACTED_AUTHORIZATION : value;
  return out;
}

export class ExchangeLog {
  readonly exchanges: Exchange[] = [];
  private lastSeq = 0;

  nextSeq(): number {
    return ++this.lastSeq;
  }

  /** Insert in seq order: concurrent requests may finish out of order. */
  add(exchange: Exchange): void {
    let i = this.exchanges.length;
    while (i > 0 && this.exchanges[i - 1].seq > exchange.seq) i--;
    this.exchanges.splice(i, 0, exchange);
  }

  /** The seq of the latest attempt started so far; pass it to `since`. */
  mark(): number {
    return this.lastSeq;
  }

  since(mark: number): Exchange[] {
    return this.exchanges.filter((e) => e.seq > mark);
  }
}

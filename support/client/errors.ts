// Errors the FreeClimb client throws. Every message names the request (method and URL) and says
// what was wrong; none contains the API key (messages end up in CI logs and Allure reports).
import type { z } from 'zod';

/** What the API answered (or, for the client, what `request()` returns). */
export interface ApiResponse {
  status: number;
  /** Response headers, names lower-cased. */
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
  url: string;
}

/** One schema problem: where (a JSON pointer into the body, '' for the body itself) and what. */
export interface SchemaProblem {
  pointer: string;
  message: string;
}

const escape = (segment: PropertyKey) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1');

export function schemaProblems(error: z.ZodError): SchemaProblem[] {
  return error.issues.map((i) => ({
    pointer: i.path.length === 0 ? '' : '/' + i.path.map(escape).join('/'),
    message: i.message,
  }));
}

export function formatProblems(problems: SchemaProblem[]): string {
  return problems.map((p) => `${p.pointer || '(body)'}: ${p.message}`).join('; ');
}

const MAX_BODY_IN_MESSAGE = 500;

export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  return flat.length > MAX_BODY_IN_MESSAGE ? `${flat.slice(0, MAX_BODY_IN_MESSAGE)}… (${flat.length} chars)` : flat;
}

/** The API answered with a status the caller did not expect. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** Parsed JSON when the body is JSON, else its text. */
  readonly body: unknown;
  readonly expected: number[];
  readonly response: ApiResponse;

  constructor(method: string, response: ApiResponse, expected: number[]) {
    super(`${method} ${response.url} → ${response.status} (expected ${expected.join('/')}): ${excerpt(response.text)}`);
    this.method = method;
    this.url = response.url;
    this.status = response.status;
    this.body = response.json !== undefined ? response.json : response.text;
    this.expected = expected;
    this.response = response;
  }
}

/** A 2xx response whose body does not match the documented resource schema. */
export class ResponseSchemaError extends Error {
  override readonly name = 'ResponseSchemaError';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly schemaName: string,
    readonly problems: SchemaProblem[],
    readonly body: unknown,
  ) {
    super(`${method} ${url} returned ${article(schemaName)} ${schemaName} that does not match the schema: ${formatProblems(problems)}`);
  }
}

/** The caller built a request body the API documents as invalid; nothing was sent. */
export class RequestSchemaError extends Error {
  override readonly name = 'RequestSchemaError';
  constructor(
    readonly operation: string,
    readonly schemaName: string,
    readonly problems: SchemaProblem[],
  ) {
    super(`${operation}: the request body is not a valid ${schemaName}, nothing was sent: ${formatProblems(problems)}`);
  }
}

/** No HTTP response at all: connection refused or reset, DNS failure, or timeout. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly kind: 'timeout' | 'connection',
    readonly detail: string,
    readonly attempts: number,
  ) {
    super(`${method} ${url} failed: ${detail} (${attempts} attempt${attempts === 1 ? '' : 's'})`);
  }
}

function article(word: string): string {
  return /^[AEIOU]/i.test(word) ? 'an' : 'a';
}

// Schema checks for request bodies (before sending) and responses (after receiving), and the
// error-body check used by scenarios that assert on a non-2xx answer.
import type { z } from 'zod';
import { ErrorBody } from '../schemas/rest';
import { ApiError, RequestSchemaError, ResponseSchemaError, formatProblems, schemaProblems, type ApiResponse } from './errors';

/** Throws RequestSchemaError (naming each field by JSON pointer) when `body` is not a valid `name`. */
export function checkRequest(operation: string, schema: z.ZodType, name: string, body: unknown): void {
  const r = schema.safeParse(body);
  if (!r.success) throw new RequestSchemaError(operation, name, schemaProblems(r.error));
}

/** The parsed body, or ResponseSchemaError naming the URL and each problem by JSON pointer. */
export function checkResponse<T extends z.ZodType>(method: string, url: string, schema: T, name: string, json: unknown): z.infer<T> {
  const r = schema.safeParse(json);
  if (!r.success) throw new ResponseSchemaError(method, url, name, schemaProblems(r.error), json);
  return r.data;
}

export type ErrorBodyCheck = { ok: true; body: ErrorBody } | { ok: false; problem: string };

/** Checks a non-2xx answer's body against ErrorBody (§1.4): the parsed body, or why it does not match. */
export function errorBodyOf(response: ApiResponse | ApiError): ErrorBodyCheck {
  const res = response instanceof ApiError ? response.response : response;
  if (res.status >= 200 && res.status < 300) return { ok: false, problem: `status ${res.status} is not an error status` };
  if (res.json === undefined) {
    const text = res.text.trim();
    return { ok: false, problem: text === '' ? `the ${res.status} response has no body` : `the ${res.status} body is not JSON: ${text.slice(0, 200)}` };
  }
  const r = ErrorBody.safeParse(res.json);
  if (r.success) return { ok: true, body: r.data };
  return { ok: false, problem: `the ${res.status} body is not an ErrorBody: ${formatProblems(schemaProblems(r.error))}` };
}

// Helpers shared by the REST route tables (rest.ts and its per-resource companions): the 404 of a
// missing resource and the 400 of an invalid body, both naming what is wrong.
import type { z } from 'zod';
import { SimulatorError } from './engine';

/** One REST route: the path's match, the query, the body (parsed when asked for) -> status and JSON. */
export type Route = (m: RegExpMatchArray, query: URLSearchParams, body: () => unknown) => { status: number; json?: unknown };

/** The resource, or the 404 a missing one gets. */
export function found<T>(resource: T | undefined, message: string): T {
  if (resource === undefined) throw new SimulatorError(404, message);
  return resource;
}

/** Validate a request body; a 400 names every offending field by JSON pointer. */
export function validate<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => ({ pointer: '/' + i.path.join('/'), message: i.message }));
  throw new SimulatorError(400, problems.map((p) => `${p.pointer}: ${p.message}`).join('; '), { problems });
}


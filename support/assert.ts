// Assertion helpers whose failure text shows what was expected, what happened, and the callback
// log, so a red scenario in the report explains itself without a debugger.
import { summarizeRecord, type CallbackRecord } from './callbacks/receiver';

export class ConformanceError extends Error {
  override name = 'ConformanceError';
}

function log(records: readonly CallbackRecord[]): string {
  return records.length ? records.map((r) => `    ${summarizeRecord(r)}`).join('\n') : '    (no callbacks)';
}

export function fail(what: string, expected: unknown, actual: unknown, records: readonly CallbackRecord[] = []): never {
  throw new ConformanceError(
    `${what}\n  expected: ${fmt(expected)}\n  actual:   ${fmt(actual)}\n  callbacks received:\n${log(records)}`,
  );
}

export function assertEqual<T>(what: string, actual: T, expected: T, records?: readonly CallbackRecord[]): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) fail(what, expected, actual, records);
}

/** Passes if `actual` equals any of the documented readings; the message lists all of them. */
export function assertOneOf<T>(what: string, actual: T, readings: T[], records?: readonly CallbackRecord[]): void {
  if (!readings.some((r) => JSON.stringify(r) === JSON.stringify(actual))) {
    fail(`${what} (the docs allow ${readings.length} readings)`, readings.map(fmt).join('  or  '), actual, records);
  }
}

export function assertThat(what: string, ok: boolean, expected: unknown, actual: unknown, records?: readonly CallbackRecord[]): void {
  if (!ok) fail(what, expected, actual, records);
}

function fmt(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

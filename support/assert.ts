// Assertion helpers whose failure text shows what was expected, what happened, and the callback
// log, so a red scenario in the report explains itself without a debugger.
import { summarizeRecord, type CallbackRecord } from './callbacks/receiver';

export class ConformanceError extends Error {
  override name = 'ConformanceError';
  /** Seqs of the callbacks that broke the expectation, marked red in the call-flow diagram. */
  culprits: number[] = [];
}

function log(records: readonly CallbackRecord[]): string {
  return records.length ? records.map((r) => `    ${summarizeRecord(r)}`).join('\n') : '    (no callbacks)';
}

/** `culprits`: the callbacks that broke the expectation (by seq), when the assertion knows them. */
export function fail(what: string, expected: unknown, actual: unknown, records: readonly CallbackRecord[] = [], culprits: readonly number[] = []): never {
  const error = new ConformanceError(
    `${what}\n  expected: ${fmt(expected)}\n  actual:   ${fmt(actual)}\n  callbacks received:\n${log(records)}`,
  );
  error.culprits = [...culprits];
  throw error;
}

export function assertEqual<T>(what: string, actual: T, expected: T, records?: readonly CallbackRecord[], culprits?: readonly number[]): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) fail(what, expected, actual, records, culprits);
}

/** Passes if `actual` equals any of the documented readings; the message lists all of them. */
export function assertOneOf<T>(what: string, actual: T, readings: T[], records?: readonly CallbackRecord[], culprits?: readonly number[]): void {
  if (!readings.some((r) => JSON.stringify(r) === JSON.stringify(actual))) {
    fail(`${what} (the docs allow ${readings.length} readings)`, readings.map(fmt).join('  or  '), actual, records, culprits);
  }
}

export function assertThat(what: string, ok: boolean, expected: unknown, actual: unknown, records?: readonly CallbackRecord[], culprits?: readonly number[]): void {
  if (!ok) fail(what, expected, actual, records, culprits);
}

/**
 * The records of an actual sequence from the first place it leaves every expected one: what a
 * reader should look at first. Empty when the actual sequence is only too short.
 */
export function divergingRecords<R>(actual: readonly string[], records: readonly R[], expected: readonly (readonly string[])[]): R[] {
  const agree = (reading: readonly string[]) => {
    let i = 0;
    while (i < actual.length && i < reading.length && actual[i] === reading[i]) i++;
    return i;
  };
  const from = Math.max(...expected.map(agree));
  return records.slice(from, from + 1);
}

function fmt(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

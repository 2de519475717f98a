import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventLog, WaitClosedError, WaitTimeoutError } from '../support/callbacks/wait';

interface Ev {
  kind: string;
  n: number;
}
const summarize = (e: Ev) => `${e.kind} n=${e.n}`;
const opts = (description: string, extra: { timeoutMs?: number; fromIndex?: number; count?: number } = {}) => ({
  timeoutMs: 2000,
  description,
  summarize,
  ...extra,
});
const isKind = (kind: string) => (e: Ev) => e.kind === kind;

test('resolves at once with an item already present', async () => {
  const log = new EventLog<Ev>();
  log.push({ kind: 'a', n: 1 });
  assert.deepEqual(await log.waitFor(isKind('a'), opts('an a')), { kind: 'a', n: 1 });
});

test('resolves when a matching item arrives later', async () => {
  const log = new EventLog<Ev>();
  const waiting = log.waitFor(isKind('b'), opts('a b'));
  log.push({ kind: 'a', n: 1 });
  log.push({ kind: 'b', n: 2 });
  assert.deepEqual(await waiting, { kind: 'b', n: 2 });
  assert.equal(log.items.length, 2);
});

test('count picks the count-th match, across present and later items', async () => {
  const log = new EventLog<Ev>();
  log.push({ kind: 'a', n: 1 });
  log.push({ kind: 'b', n: 2 });
  const third = log.waitFor(isKind('a'), opts('the third a', { count: 3 }));
  log.push({ kind: 'a', n: 3 });
  log.push({ kind: 'a', n: 4 });
  log.push({ kind: 'a', n: 5 });
  assert.equal((await third).n, 4);
  assert.equal((await log.waitFor(isKind('a'), opts('the second a', { count: 2 }))).n, 3);
});

test('fromIndex ignores earlier items', async () => {
  const log = new EventLog<Ev>();
  log.push({ kind: 'a', n: 1 });
  const later = log.waitFor(isKind('a'), opts('a new a', { fromIndex: log.items.length }));
  log.push({ kind: 'a', n: 2 });
  assert.equal((await later).n, 2);
  assert.equal((await log.waitFor(isKind('a'), opts('an a from 1', { fromIndex: 1 }))).n, 2);
});

test('a timeout says what was awaited and lists every arrival', async () => {
  const log = new EventLog<Ev>();
  log.push({ kind: 'a', n: 1 });
  const waiting = log.waitFor(isKind('z'), opts('a z event', { timeoutMs: 20, count: 2 }));
  log.push({ kind: 'z', n: 2 });
  await assert.rejects(waiting, (error: unknown) => {
    assert.ok(error instanceof WaitTimeoutError);
    assert.match(error.message, /timed out after 20ms waiting for a z event \(match #2, 1 matched so far\)/);
    assert.match(error.message, /arrived \(2\):\n {2}\[0\] a n=1\n {2}\[1\] z n=2/);
    assert.deepEqual(error.arrived, ['[0] a n=1', '[1] z n=2']);
    return true;
  });
});

test('a timeout with no arrivals says so', async () => {
  const log = new EventLog<Ev>();
  await assert.rejects(log.waitFor(isKind('z'), opts('anything', { timeoutMs: 5 })), /waiting for anything\nnothing arrived$/);
});

test('close rejects pending waits and later unsatisfied waits', async () => {
  const log = new EventLog<Ev>();
  log.push({ kind: 'a', n: 1 });
  const pending = log.waitFor(isKind('z'), opts('a z'));
  log.close('scenario ended');
  await assert.rejects(pending, (error: unknown) => {
    assert.ok(error instanceof WaitClosedError);
    assert.equal(error.message, 'stopped waiting for a z: scenario ended');
    return true;
  });
  await assert.rejects(log.waitFor(isKind('z'), opts('another z')), /another z: scenario ended/);
  // What already arrived can still be read after close.
  assert.equal((await log.waitFor(isKind('a'), opts('an a'))).n, 1);
});

test('a throwing predicate rejects that wait instead of timing out', async () => {
  const log = new EventLog<Ev>();
  const throws = () => {
    throw new Error('bad predicate');
  };
  log.push({ kind: 'a', n: 0 });
  // On an item already present, and on one that arrives later.
  await assert.rejects(log.waitFor(throws, opts('anything')), /bad predicate/);
  const waiting = log.waitFor(throws, opts('anything', { fromIndex: 1 }));
  log.push({ kind: 'a', n: 1 });
  await assert.rejects(waiting, /bad predicate/);
});
